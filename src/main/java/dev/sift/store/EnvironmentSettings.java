package dev.sift.store;

import java.util.Map;
import java.util.Set;

/**
 * The store and AWS Batch settings read from the environment, checked before Quarkus starts: a probe's
 * {@code SIFT_S3_RETRY_SECONDS=abc} read "Failed to load config value of type int for: sift.s3.retry-seconds" and a
 * blank line, an empty {@code SIFT_S3_BUCKET} and {@code SIFT_BATCH_POLL_INTERVAL=xyz} 50 to 63 lines of start-up
 * logs, {@code Bad_Bucket!} a Java exception after the database had started, and {@code -1} or {@code maybe} were
 * taken without a word. What the configuration reads (SmallRye's booleans, Quarkus' durations) is taken as it takes
 * it.
 */
public final class EnvironmentSettings {
    /** SmallRye's words for true; any other value it reads as false, these too by their meaning. */
    private static final Set<String> BOOLEANS = Set.of("true", "1", "yes", "y", "on", "ja", "j", "si", "sim", "oui",
            "false", "0", "no", "n", "off", "nein", "nao", "non");

    private EnvironmentSettings() {
    }

    /** The first setting of {@code env} that cannot work, in one line naming it, or null. */
    public static String problem(Map<String, String> env) {
        for (String name : new String[] {"SIFT_S3_RETRY_SECONDS", "SIFT_DB_RETRY_SECONDS"}) {
            String v = env.get(name);
            if (v != null && !v.trim().matches("\\+?\\d{1,9}")) {
                return name + " is '" + v + "': a whole number of seconds, 0 or more (0: no retries)";
            }
        }
        for (String name : new String[] {"SIFT_S3_PATH_STYLE", "SIFT_S3_EMBEDDED"}) {
            String v = env.get(name);
            if (v != null && !BOOLEANS.contains(v.trim().toLowerCase(java.util.Locale.ROOT))) {
                return name + " is '" + v + "': true or false";
            }
        }
        String poll = env.get("SIFT_BATCH_POLL_INTERVAL");
        if (poll != null && !pollable(poll)) {
            return "SIFT_BATCH_POLL_INTERVAL is '" + poll + "': a duration above 0 and at most a day, such as 15s, "
                    + "500ms, 2m or PT15S";
        }
        String bucket = env.get("SIFT_S3_BUCKET");
        String problem = bucket == null ? null : S3Address.newBucketProblem(bucket); // Sift creates it when missing
        return problem == null ? null : "SIFT_S3_BUCKET is '" + bucket + "': " + problem;
    }

    /**
     * A duration as the configuration reads it (Quarkus' converter: a blank value is null to it, and then fails the
     * start), above 0 (Batch's status is polled in a loop) and at most a day.
     */
    private static boolean pollable(String v) {
        try {
            java.time.Duration d = io.quarkus.runtime.configuration.DurationConverter.parseDuration(v.trim());
            return d != null && !d.isNegative() && !d.isZero() && d.compareTo(java.time.Duration.ofDays(1)) <= 0;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
