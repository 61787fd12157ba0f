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

    /** What Sift keeps under SIFT_HOME: the database, its password, the S3 store, the hash key, the leases. */
    private static final java.util.List<String> OWN = java.util.List.of("pg", "pg.password", "s3", "hash.key",
            "pg-users", "pg.lock");

    /**
     * Whether {@code file} is one of Sift's own entries under SIFT_HOME ({@link #OWN}), or inside one, with symbolic
     * links followed and hard links to its files caught: never data to read. A probe's data file linked to
     * {@code pg.password} printed the password in the "not in the header (has: ...)" line, and a scheduled firing
     * stored it in the run's error. Data elsewhere under SIFT_HOME (SIFT_HOME=/data) is read as any. False when the
     * file cannot be resolved (the read itself then says why).
     */
    public static boolean holds(Path file) {
        try {
            if (!java.nio.file.Files.exists(file)) {
                return false;
            }
            Path real = file.toRealPath();
            Path home = resolve();
            for (String name : OWN) {
                Path own = home.resolve(name);
                if (java.nio.file.Files.exists(own) && (real.startsWith(own.toRealPath())
                        || java.nio.file.Files.isSameFile(real, own))) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException | SecurityException e) {
            return false;
        }
    }

    /** The one-line refusal of a data file inside SIFT_HOME ({@link #holds}). */
    public static String refusal(String path) {
        return path + " is Sift's own state under SIFT_HOME (" + resolve() + ": its database, keys and store): it is not "
                + "read as data";
    }
}
