package dev.sift.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Runtime settings of Sift; every key can also be given as an environment variable (SIFT_S3_BUCKET ...). */
@ConfigMapping(prefix = "sift")
public interface SiftConfig {

    /** Folder for the embedded database, S3 store and hash key (SIFT_HOME); default ~/.sift. */
    Optional<String> home();

    /** Database connection; read before boot by SiftMain, listed here so the keys are known and documented. */
    Db db();

    /** S3 settings. */
    S3 s3();

    /** Keyed hashing of personal identifiers. */
    Privacy privacy();

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
}
