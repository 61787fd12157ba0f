package dev.sift;

/** An error the user can act on: printed as one line, mapped to an exit code. */
public class SiftException extends RuntimeException {
    private final int exitCode;

    public SiftException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public SiftException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static SiftException usage(String message) {
        return new SiftException(ExitCodes.USAGE, message);
    }

    /** A usage error (exit 2) unless {@code value >= min}: {@code --name must be at least min, got value}. */
    public static void atLeast(String option, long value, long min) {
        if (value < min) {
            throw usage(option + " must be at least " + min + ", got " + value);
        }
    }

    public int exitCode() {
        return exitCode;
    }
}
