package dev.sift.config;

import java.nio.file.Path;

/** Where Sift keeps its embedded database, S3 store and keys when nothing else is configured. */
public final class SiftHome {
    private SiftHome() {
    }

    /** {@code sift.home} system property, else {@code SIFT_HOME}, else {@code ~/.sift}. */
    public static Path resolve() {
        String p = System.getProperty("sift.home");
        if (p == null || p.isBlank()) {
            p = System.getenv("SIFT_HOME");
        }
        if (p == null || p.isBlank()) {
            return Path.of(System.getProperty("user.home"), ".sift");
        }
        return Path.of(p).toAbsolutePath();
    }
}
