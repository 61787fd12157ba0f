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

    /**
     * Whether {@code file}, links followed, lies inside SIFT_HOME: Sift's own state (the embedded database's files and
     * password, the key that hashes user ids, the local S3 store), never data to read. A probe's data file linked to
     * {@code pg.password} printed the password in the "not in the header (has: ...)" line, and a scheduled firing
     * stored it in the run's error. False when either cannot be resolved (the read itself then says why).
     */
    public static boolean holds(Path file) {
        try {
            Path home = resolve();
            if (!java.nio.file.Files.exists(home) || !java.nio.file.Files.exists(file)) {
                return false;
            }
            return file.toRealPath().startsWith(home.toRealPath());
        } catch (java.io.IOException | SecurityException e) {
            return false;
        }
    }

    /** The one-line refusal of a data file inside SIFT_HOME ({@link #holds}). */
    public static String refusal(String path) {
        return path + " is inside SIFT_HOME (" + resolve() + "), which holds Sift's own database, keys and store: it "
                + "is not read as data; keep data files outside it";
    }
}
