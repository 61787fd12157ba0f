package dev.sift.store;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.config.SiftConfig;
import dev.sift.config.SiftHome;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Datasets and run artefacts in S3 through the AWS SDK v2. With no endpoint configured, starts S3Proxy in
 * this process (lazily, so commands that never touch S3 never start it). An S3 that cannot be reached, or answers
 * 5xx, is tried again with exponential backoff for {@code sift.s3.retry-seconds}; after that the call ends in one
 * line and exit code 3 (the stage fails, and {@code sift resume} continues once S3 is back).
 */
@ApplicationScoped
public class ObjectStore {
    private static final Logger LOG = Logger.getLogger(ObjectStore.class);
    private static final long FIRST_PAUSE_MS = 250;
    private static final long MAX_PAUSE_MS = 8000;

    @Inject
    SiftConfig config;
    /** How long an unreachable S3 (or one answering 5xx) is retried before the call fails; 0 = not retried. */
    @ConfigProperty(name = "sift.s3.retry-seconds", defaultValue = "60")
    int retrySeconds;

    private S3Client client;
    private EmbeddedS3 embedded;
    private String bucket;

    /**
     * Connects now (starting the embedded server, or reaching the endpoint and its bucket) so that an S3 it cannot
     * use ends the command with exit code 3 before anything is recorded, not at a run's first stage.
     */
    public void check() {
        client();
    }

    private synchronized S3Client client() {
        if (client != null) {
            return client;
        }
        SiftConfig.S3 s3 = config.s3();
        S3ClientBuilder b = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .region(Region.of(s3.region()))
                .forcePathStyle(s3.pathStyle());
        if (s3.endpoint().isPresent()) {
            b.endpointOverride(endpoint(s3.endpoint().get())).credentialsProvider(credentials());
        } else if (s3.embedded()) {
            try {
                embedded = EmbeddedS3.start(SiftHome.resolve().resolve("s3"));
            } catch (Exception e) {
                throw new SiftException(ExitCodes.ENVIRONMENT, "cannot start the embedded S3 server under "
                        + SiftHome.resolve().resolve("s3") + ": " + e.getMessage(), e);
            }
            b.endpointOverride(embedded.endpoint()).forcePathStyle(true).credentialsProvider(
                    StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(embedded.accessKey(), embedded.secretKey())));
        } else {
            b.credentialsProvider(credentials());
        }
        S3Client built = b.build();
        bucket = s3.bucket();
        ensureBucket(built);
        client = built;
        return client;
    }

    /** SIFT_S3_ENDPOINT as a URI: an http or https URL with a host, or the command ends with exit code 3. */
    static URI endpoint(String setting) {
        return UrlRedaction.endpointUri("SIFT_S3_ENDPOINT", setting);
    }

    /** An endpoint as it may be printed ({@link UrlRedaction}). */
    static String redact(String endpoint) {
        return UrlRedaction.endpoint(endpoint);
    }

    /**
     * The AWS chain's credentials, resolved once here: none found is not something a retry mends, so it ends the
     * command at once with one line (exit code 3) instead of the chain's page-long message after a minute of retries.
     */
    private software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials() {
        DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build();
        try {
            chain.resolveCredentials();
        } catch (SdkClientException e) {
            String profile = System.getenv("AWS_PROFILE"); // a probe's AWS_PROFILE=nosuch was not named
            throw new SiftException(ExitCodes.ENVIRONMENT, where() + ": no AWS credentials found" + (profile == null
                    || profile.isBlank() ? "" : " (AWS_PROFILE is '" + profile + "': is it a profile of ~/.aws/config "
                    + "or ~/.aws/credentials?)") + "; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, "
                    + "or run with an instance or task role", e);
        }
        return chain;
    }

    private void ensureBucket(S3Client c) {
        try {
            retrying(() -> {
                createIfMissing(c);
                return null;
            });
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (S3Exception e) {
            throw new SiftException(ExitCodes.ENVIRONMENT, where() + " answered HTTP " + e.statusCode() + ": "
                    + s3Message(e), e);
        }
    }

    private void createIfMissing(S3Client c) {
        try {
            try {
                c.headBucket(r -> r.bucket(bucket));
            } catch (NoSuchBucketException e) {
                c.createBucket(r -> r.bucket(bucket));
            } catch (S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
                c.createBucket(r -> r.bucket(bucket));
            }
        } catch (S3Exception e) {
            if (e.statusCode() >= 500) {
                throw e; // tried again
            }
            // a probe's wrong secret key read "Forbidden" alone: 403 is most often the credentials or their rights
            throw new SiftException(ExitCodes.ENVIRONMENT, "S3 bucket " + bucket + " is missing and cannot be "
                    + "created, or is not usable: " + s3Message(e) + (e.statusCode() == 403 ? " (HTTP 403: check the "
                    + "credentials, AWS_ACCESS_KEY_ID and its secret or AWS_PROFILE, and their rights on the bucket)"
                    : ""), e);
        }
    }

    private String where() {
        return config.s3().endpoint().map(x -> "S3 endpoint " + redact(x)).orElse("S3");
    }

    private SiftException unreachable(SdkClientException e) {
        return new SiftException(ExitCodes.ENVIRONMENT, where() + " is not reachable: "
                + DatabaseProbe.firstLine(e.getMessage()) + (retrySeconds > 0 ? " (tried for " + retrySeconds + " s)"
                        : ""), e);
    }

    /**
     * Runs {@code op}, again after a pause (doubling from 0.25 s to 8 s) while S3 cannot be reached or answers 5xx,
     * until {@code sift.s3.retry-seconds} have passed; then the last failure is thrown.
     */
    private <T> T retrying(Supplier<T> op) {
        long deadline = System.nanoTime() + retrySeconds * 1_000_000_000L;
        long pause = FIRST_PAUSE_MS;
        for (int attempt = 1;; attempt++) {
            try {
                return op.get();
            } catch (SdkClientException | S3Exception e) {
                boolean transient5xx = e instanceof S3Exception s3 && s3.statusCode() >= 500;
                if (!(e instanceof SdkClientException || transient5xx)
                        || System.nanoTime() + pause * 1_000_000 > deadline
                        || InterruptedRuns.shuttingDown()) { // stopped (SIGTERM): the S3 server may be gone with it
                    throw e;
                }
                if (attempt == 1) {
                    LOG.warnf("%s failed (%s); retrying for up to %d s", where(), DatabaseProbe.firstLine(
                            e.getMessage()), retrySeconds);
                }
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new SiftException(ExitCodes.ENVIRONMENT, where() + " is not reachable (interrupted)", ie);
            }
            pause = Math.min(pause * 2, MAX_PAUSE_MS);
        }
    }

    private static String s3Message(S3Exception e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : "HTTP " + e.statusCode();
    }

    /** Runs one S3 call; a network failure or a missing bucket becomes one line with exit code 3. */
    private <T> T call(String bucketName, Supplier<T> op) {
        try {
            return retrying(op);
        } catch (NoSuchBucketException e) {
            throw new SiftException(ExitCodes.ENVIRONMENT, "S3 bucket " + bucketName + " does not exist", e);
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (S3Exception e) {
            if (e.statusCode() >= 500) {
                throw new SiftException(ExitCodes.ENVIRONMENT, where() + " answered HTTP " + e.statusCode() + ": "
                        + s3Message(e) + (retrySeconds > 0 ? " (tried for " + retrySeconds + " s)" : "")
                        + (embedded == null ? "" : embedded.spaceNote()), e);
            }
            throw e;
        }
    }

    public String bucket() {
        client();
        return bucket;
    }

    /** s3://bucket/key for a key in Sift's bucket. */
    public String uri(String key) {
        return "s3://" + bucket() + "/" + key;
    }

    public void put(String key, byte[] bytes, String contentType) {
        call(bucket(), () -> client().putObject(r -> r.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromBytes(bytes)));
    }

    public void put(String key, Path file, String contentType) {
        call(bucket(), () -> client().putObject(r -> r.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromFile(file)));
    }

    /**
     * Stores rows of floats as little-endian bytes, row after row, through a temporary file: the SDK's
     * {@code fromBytes} copies its array, so a million samples' activations (244 MB at 64 floats) held once as bytes
     * and once as the copy ran a 2 GB heap out of memory; the file is read in chunks as it is sent.
     */
    public void putFloats(String key, float[][] rows) {
        putWritten(key, "sift-floats-", "application/octet-stream", out -> {
            ByteBuffer b = ByteBuffer.allocate(rows.length == 0 ? 0 : rows[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : rows) {
                b.clear();
                b.asFloatBuffer().put(row);
                out.write(b.array(), 0, row.length * 4);
            }
        });
    }

    /** Writes an object's bytes; for {@link #putWritten} and {@link #putContentAddressed}. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Puts what {@code writer} writes under {@code key}, through a temporary file (named {@code prefix}...) that is
     * sent in chunks and removed after: never the whole object in one heap array. Returns the bytes' sha256.
     */
    public String putWritten(String key, String prefix, String contentType, StreamWriter writer) {
        return TempFiles.through(uri(key), prefix, writer, (sha, file) -> put(key, file, contentType));
    }

    /**
     * As {@link #putWritten} under the key {@code keyOf} gives the bytes' sha256, unless an object there already
     * hashes to it (content-addressed keys: an object is reused only while it still hashes to its name).
     */
    public String putContentAddressed(Function<String, String> keyOf, String prefix, String contentType,
            StreamWriter writer) {
        return TempFiles.through("a content-addressed object", prefix, writer, (sha, file) -> {
            String key = keyOf.apply(sha);
            if (!exists(key) || !sha.equals(read(key, dev.sift.Sha256::hexOf))) {
                put(key, file, contentType);
            }
        });
    }

    public boolean exists(String key) {
        return call(bucket(), () -> {
            try {
                client().headObject(r -> r.bucket(bucket).key(key));
                return true;
            } catch (NoSuchKeyException e) {
                return false;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Copies an object of Sift's bucket to another key of it, on the server. */
    public void copy(String fromKey, String toKey) {
        call(bucket(), () -> client().copyObject(r -> r.sourceBucket(bucket).sourceKey(fromKey)
                .destinationBucket(bucket).destinationKey(toKey)));
    }

    public void delete(String key) {
        call(bucket(), () -> client().deleteObject(r -> r.bucket(bucket).key(key)));
    }

    public byte[] get(String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = call(bucket(), () -> client().getObjectAsBytes(
                    r -> r.bucket(bucket).key(key)));
            return bytes.asByteArray();
        } catch (NoSuchKeyException e) {
            throw missing(key, e);
        }
    }

    /**
     * An object a stored row names is not there (removed outside Sift, or a bucket that is not the run's): one line
     * naming it, exit code 3, instead of S3's own "The specified key does not exist" without the key.
     */
    private SiftException missing(String key, NoSuchKeyException e) {
        return new SiftException(ExitCodes.ENVIRONMENT, uri(key) + ": no such object in " + where()
                + " (removed outside Sift, or another bucket than the one that stored it)", e);
    }

    /** Reads a stream; for {@link #read}. */
    @FunctionalInterface
    public interface StreamReader<T> {
        T read(InputStream in) throws IOException;
    }

    /**
     * {@code reader} applied to object {@code key} of Sift's bucket as a stream, never the whole object in memory. A
     * failure while the body is read (a connection reset) is tried again from the object's start, as any call is.
     */
    public <T> T read(String key, StreamReader<T> reader) {
        try {
            return call(bucket(), () -> {
                try (InputStream in = client().getObject(r -> r.bucket(bucket).key(key))) {
                    return reader.read(in);
                } catch (IOException e) {
                    throw SdkClientException.create("reading " + uri(key) + ": " + e.getMessage(), e);
                }
            });
        } catch (NoSuchKeyException e) {
            throw missing(key, e);
        }
    }

    /** One stored object of Sift's bucket. */
    public record Listed(String key, long size, Instant lastModified) {
    }

    /** Every object of Sift's bucket whose key starts with {@code prefix}, page by page. */
    public List<Listed> list(String prefix) {
        return call(bucket(), () -> {
            List<Listed> out = new ArrayList<>();
            client().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents()
                    .forEach(o -> out.add(new Listed(o.key(), o.size(), o.lastModified())));
            return out;
        });
    }

    /** Opens any s3:// address (not only Sift's bucket) as a stream, its key as written ({@link S3Address}). */
    public InputStream open(String s3Uri) {
        S3Address a = S3Address.of(s3Uri);
        try {
            return call(a.bucket(), () -> client().getObject(r -> r.bucket(a.bucket()).key(a.key())));
        } catch (NoSuchKeyException e) { // a missing bucket is the environment's (exit 3: README, exit codes)
            String decoded = a.decodedKey();
            throw SiftException.usage(s3Uri + ": no such object" + (decoded == null ? "" : " (keys are read as "
                    + "written, %XX too: the key '" + decoded + "' is s3://" + a.bucket() + "/" + decoded + ")"));
        }
    }

    @PreDestroy
    void close() throws Exception {
        if (client != null) {
            client.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
