package dev.sift.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Runtime settings of Sift; every key can also be given as an environment variable (SIFT_S3_BUCKET ...). */
@ConfigMapping(prefix = "sift")
public interface SiftConfig {

    /** Folder for the embedded database, S3 store and hash key (SIFT_HOME); default ~/.sift. */
    Optional<String> home();

    /**
     * Start the datasource and Hibernate ORM also for commands that need no database (--help, validate ...), which
     * otherwise start without them; read before boot by SiftMain (SIFT_FULL_START). The launcher sets it when it
     * makes the AppCDS archive, so that the archive holds the classes the database commands load.
     */
    @WithDefault("false")
    boolean fullStart();

    /**
     * The AdamW training runs (SIFT_ADAMW): {@code flat} (Java loops on the CPU, the chunked native kernel on other
     * devices), {@code kernel} (the chunked kernel on the CPU too) or {@code djl} (DJL's own, one native update per
     * parameter); the same maths bit for bit. Read by the trainer from {@code -Dsift.adamw} or SIFT_ADAMW; listed
     * here so that the key is known (an unknown {@code sift.} property stops the start).
     */
    @WithDefault("flat")
    String adamw();

    /** Database connection; read before boot by SiftMain, listed here so the keys are known and documented. */
    Db db();

    /** S3 settings. */
    S3 s3();

    /** Keyed hashing of personal identifiers. */
    Privacy privacy();

    /** AWS Batch, for workflows with {@code execution: aws-batch} and {@code sift run --submit}. */
    Batch batch();

    /** PostgreSQL connection. Without a URL, an embedded PostgreSQL 15 runs under SIFT_HOME/pg. */
    interface Db {
        /** JDBC URL, e.g. jdbc:postgresql://host:5432/sift (SIFT_DB_URL). */
        Optional<String> url();

        /** User name (SIFT_DB_USER). */
        Optional<String> user();

        /** Password (SIFT_DB_PASSWORD); never logged. */
        Optional<String> password();
    }

    /** Where datasets, subsets and reports are stored. */
    interface S3 {
        /** Bucket that holds datasets and run artefacts; created when missing. */
        @WithDefault("sift")
        String bucket();

        /**
         * Endpoint of an S3-compatible API (for example {@code http://minio:9000}). When absent and
         * {@link #embedded()} is true, an in-process S3Proxy is started with a filesystem store under SIFT_HOME.
         */
        Optional<String> endpoint();

        /** Region passed to the SDK. */
        @WithDefault("us-east-1")
        String region();

        /** Path-style addressing ({@code endpoint/bucket/key}); needed by most S3-compatible servers. */
        @WithDefault("true")
        boolean pathStyle();

        /** Start the in-process S3Proxy when no endpoint is configured; false means use AWS S3 itself. */
        @WithDefault("true")
        boolean embedded();
    }

    /** Privacy settings. */
    interface Privacy {
        /**
         * Secret key for the keyed hash (HMAC-SHA256) of user ids. When absent, a random key is created once
         * in SIFT_HOME/hash.key (mode 600) and reused, so hashes stay stable between runs.
         */
        Optional<String> hashKey();
    }

    /**
     * AWS Batch queues and job definitions, named as the Terraform module's outputs ({@code sift_batch_gpu_queue} is
     * SIFT_BATCH_GPU_QUEUE ...); read only when a run is submitted.
     */
    interface Batch {
        /** Job queue (name or ARN) of {@code execution.queue: gpu} (SIFT_BATCH_GPU_QUEUE). */
        Optional<String> gpuQueue();

        /** Job queue (name or ARN) of {@code execution.queue: cpu} (SIFT_BATCH_CPU_QUEUE). */
        Optional<String> cpuQueue();

        /** Job definition of whole runs on the GPU queue (SIFT_BATCH_RUN_JOB_DEFINITION). */
        Optional<String> runJobDefinition();

        /** Job definition of whole runs on the CPU queue (SIFT_BATCH_RUN_CPU_JOB_DEFINITION). */
        Optional<String> runCpuJobDefinition();

        /** Endpoint of the Batch API (SIFT_BATCH_ENDPOINT); absent: AWS's endpoint for the region. */
        Optional<String> endpoint();

        /** Region of the Batch API (SIFT_BATCH_REGION); absent: the AWS SDK's region chain (AWS_REGION ...). */
        Optional<String> region();

        /**
         * How often a submitted job's status is read with DescribeJobs (SIFT_BATCH_POLL_INTERVAL: 15s, 500ms or
         * PT15S).
         */
        @WithDefault("PT15S")
        java.time.Duration pollInterval();
    }
}
