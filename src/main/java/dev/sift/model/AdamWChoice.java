package dev.sift.model;

import java.util.Locale;

/**
 * Which AdamW training runs: the {@code sift.adamw} system property, else the SIFT_ADAMW environment variable, else
 * {@code flat} ({@link FlatAdamW}). All three give the same weights bit for bit; the choice is there to compare
 * their speed. Read without DJL, so that the launcher can refuse a misspelt value before anything starts.
 */
public enum AdamWChoice {
    /** {@link AdamWLoop}s on the CPU, DJL's native kernel over chunks elsewhere. */
    FLAT,
    /** DJL's native kernel over chunks, on the CPU too. */
    KERNEL,
    /** DJL's own AdamW, one native update per parameter. */
    DJL;

    static final String PROPERTY = "sift.adamw";

    /**
     * The choice in force.
     *
     * @throws IllegalArgumentException naming the value when it is none of flat, kernel and djl, rather than training
     *     with the default unasked
     */
    public static AdamWChoice current() {
        String env = System.getenv("SIFT_ADAMW");
        String v = System.getProperty(PROPERTY, env == null || env.isBlank() ? "flat" : env).trim();
        for (AdamWChoice c : values()) {
            if (c.name().equalsIgnoreCase(v)) {
                return c;
            }
        }
        throw new IllegalArgumentException("SIFT_ADAMW (or -D" + PROPERTY + ") is '" + v
                + "': use flat, kernel or djl");
    }

    /** The value as written in SIFT_ADAMW. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
