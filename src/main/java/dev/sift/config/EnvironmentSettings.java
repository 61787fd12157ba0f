package dev.sift.config;

import java.util.Map;

/**
 * The store and AWS Batch settings read from the environment, checked before Quarkus starts: a probe's
 * {@code SIFT_S3_RETRY_SECONDS=abc} read "Failed to load config value of type int for: sift.s3.retry-seconds" and a
 * blank line, an empty {@code SIFT_S3_BUCKET} and {@code SIFT_BATCH_POLL_INTERVAL=xyz} 50 to 63 lines of start-up logs, {@code Bad_Bucket!} a Java exception after
 * the database had started, and {@code -1} or {@code maybe} were taken without a word.
 */
public final class EnvironmentSettings {
    private EnvironmentSettings() {
    }

    /** The first setting of {@code env} that cannot work, in one line naming it, or null. */
    public static String problem(Map<String, String> env) {
        for (String name : new String[] {"SIFT_S3_RETRY_SECONDS", "SIFT_DB_RETRY_SECONDS"}) {
            String v = env.get(name);
            if (v != null && !v.strip().matches("\\d{1,9}")) {
                return name + " is '" + v + "': a whole number of seconds, 0 or more (0: no retries)";
            }
        }
        for (String name : new String[] {"SIFT_S3_PATH_STYLE", "SIFT_S3_EMBEDDED"}) {
            String v = env.get(name);
            if (v != null && !v.strip().equalsIgnoreCase("true") && !v.strip().equalsIgnoreCase("false")) {
                return name + " is '" + v + "': true or false";
            }
        }
        String poll = env.get("SIFT_BATCH_POLL_INTERVAL");
        if (poll != null && !poll.strip().matches("\\d+(ms|s|m|h|d)?|(?i)P[0-9DTHMS.]+")) {
            return "SIFT_BATCH_POLL_INTERVAL is '" + poll + "': a duration such as 15s, 500ms, 2m or PT15S";
        }
        String bucket = env.get("SIFT_S3_BUCKET");
        if (bucket != null && !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            return "SIFT_S3_BUCKET is '" + bucket + "': an S3 bucket name (3 to 63 lowercase letters, digits, '.' and "
                    + "'-', starting and ending with a letter or digit)";
        }
        return null;
    }
}
