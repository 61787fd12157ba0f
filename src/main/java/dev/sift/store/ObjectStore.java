package dev.sift.store;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.config.SiftConfig;
import dev.sift.config.SiftHome;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import java.util.function.Supplier;
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
 * this process (lazily, so commands that never touch S3 never start it).
 */
@ApplicationScoped
public class ObjectStore {
    @Inject
    SiftConfig config;

    private S3Client client;
    private EmbeddedS3 embedded;
    private String bucket;

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
            b.endpointOverride(URI.create(s3.endpoint().get()))
                    .credentialsProvider(DefaultCredentialsProvider.builder().build());
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
            b.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        S3Client built = b.build();
        bucket = s3.bucket();
        ensureBucket(built);
        client = built;
        return client;
    }

    private void ensureBucket(S3Client c) {
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
            throw new SiftException(ExitCodes.ENVIRONMENT, "S3 bucket " + bucket + " is missing and cannot be "
                    + "created, or is not usable: " + s3Message(e), e);
        } catch (SdkClientException e) {
            throw unreachable(e);
        }
    }

    private SiftException unreachable(SdkClientException e) {
        String where = config.s3().endpoint().map(x -> "S3 endpoint " + x).orElse("S3");
        return new SiftException(ExitCodes.ENVIRONMENT, where + " is not reachable: "
                + DatabaseProbe.firstLine(e.getMessage()), e);
    }

    private static String s3Message(S3Exception e) {
        return e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : "HTTP " + e.statusCode();
    }

    /** Runs one S3 call; a network failure or a missing bucket becomes one line with exit code 3. */
    private <T> T call(String bucketName, Supplier<T> op) {
        try {
            return op.get();
        } catch (NoSuchBucketException e) {
            throw new SiftException(ExitCodes.ENVIRONMENT, "S3 bucket " + bucketName + " does not exist", e);
        } catch (SdkClientException e) {
            throw unreachable(e);
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
        ResponseBytes<GetObjectResponse> bytes = call(bucket(), () -> client().getObjectAsBytes(
                r -> r.bucket(bucket).key(key)));
        return bytes.asByteArray();
    }

    /** Opens any s3:// URI (not only Sift's bucket) as a stream. */
    public InputStream open(String s3Uri) {
        URI u = URI.create(s3Uri);
        String b = u.getHost();
        String key = u.getPath().startsWith("/") ? u.getPath().substring(1) : u.getPath();
        try {
            return call(b, () -> client().getObject(r -> r.bucket(b).key(key)));
        } catch (NoSuchKeyException e) {
            throw SiftException.usage(s3Uri + ": no such object");
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
