package dev.sift;

/** Exit codes of the sift command, in one place. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** A stage or an unexpected error failed the command. */
    public static final int FAILURE = 1;
    /** Bad usage or bad input: unknown option, invalid workflow, unknown run. */
    public static final int USAGE = 2;
    /** The environment is not usable: database or S3 cannot be reached. */
    public static final int ENVIRONMENT = 3;
    /** Someone else holds what the command needs: a schedule's lock (its run is under way); try again later. */
    public static final int BUSY = 4;

    private ExitCodes() {
    }
}
