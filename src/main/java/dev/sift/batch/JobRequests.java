package dev.sift.batch;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.batch.model.ContainerOverrides;
import software.amazon.awssdk.services.batch.model.KeyValuePair;
import software.amazon.awssdk.services.batch.model.SubmitJobRequest;

/**
 * The SubmitJob request of a run. The job runs {@code sift resume RUN} in the image of the job definition, which
 * also carries every setting (SIFT_DB_URL, SIFT_S3_BUCKET ...) and the secrets by reference (its {@code secrets}:
 * SIFT_DB_PASSWORD and SIFT_PRIVACY_HASH_KEY from Secrets Manager). The request adds only the run id: no setting and
 * no secret travels in it, so none can reach Batch's job records or logs.
 */
public final class JobRequests {
    /** The one variable a job gets from its request: which run it executes. */
    public static final String RUN_ID_VARIABLE = "SIFT_RUN_ID";

    private JobRequests() {
    }

    /** Batch job names: up to 128 letters, digits, hyphens and underscores. */
    public static String jobName(long runId, String runName) {
        String clean = runName.replaceAll("[^A-Za-z0-9_-]", "-");
        String name = "sift-run-" + runId + "-" + clean;
        return name.length() <= 128 ? name : name.substring(0, 128);
    }

    /**
     * The container command of a run's job: the {@code sift} launcher's arguments, since the images' entry point is
     * the launcher (before stop 59 it began with "sift", and the container ran {@code sift sift resume N}, an unknown
     * command, exit 2, for every run).
     */
    public static List<String> command(long runId) {
        return List.of("resume", Long.toString(runId));
    }

    /** SubmitJob for run {@code runId}; {@code retryOf}: the failed job it is resubmitted after, or null. */
    public static SubmitJobRequest submit(long runId, String runName, BatchTarget target, String retryOf) {
        Map<String, String> env = Map.of(RUN_ID_VARIABLE, Long.toString(runId));
        env.keySet().forEach(JobRequests::checkNotSecret);
        Map<String, String> tags = retryOf == null ? Map.of("sift-run", Long.toString(runId))
                : Map.of("sift-run", Long.toString(runId), "sift-retry-of", retryOf);
        return SubmitJobRequest.builder()
                .jobName(jobName(runId, runName))
                .jobQueue(target.queue())
                .jobDefinition(target.jobDefinition())
                .containerOverrides(ContainerOverrides.builder().command(command(runId))
                        .environment(env.entrySet().stream()
                                .map(e -> KeyValuePair.builder().name(e.getKey()).value(e.getValue()).build())
                                .toList())
                        .build())
                .tags(tags)
                .propagateTags(true)
                .build();
    }

    /** Secrets go by reference in the job definition; a plain variable with a secret's name is a bug here. */
    static void checkNotSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String word : List.of("PASSWORD", "SECRET", "TOKEN", "KEY")) {
            if (upper.contains(word)) {
                throw new IllegalArgumentException("secret-looking variable " + name + " in a SubmitJob request: "
                        + "secrets belong in the job definition's secrets (Secrets Manager references)");
            }
        }
    }
}
