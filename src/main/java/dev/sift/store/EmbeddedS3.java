package dev.sift.store;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * S3Proxy in this process on 127.0.0.1 with a filesystem store: a real S3 API over HTTP (signed requests)
 * for when no S3 endpoint is configured. The credentials are random per process.
 */
public final class EmbeddedS3 implements AutoCloseable {
    private final S3Proxy proxy;
    private final String accessKey;
    private final String secretKey;
    private final Path dir;

    private EmbeddedS3(S3Proxy proxy, String accessKey, String secretKey, Path dir) {
        this.proxy = proxy;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.dir = dir;
    }

    public static EmbeddedS3 start(Path dir) throws Exception {
        Files.createDirectories(dir);
        byte[] secret = new byte[20];
        new SecureRandom().nextBytes(secret);
        String access = "sift-local";
        String key = HexFormat.of().formatHex(secret);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, access, key)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return new EmbeddedS3(proxy, access, key, dir);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /**
     * Where it stores and the free space there, for an error it answered: a probe's full disk read only "S3 answered
     * HTTP 500: An internal error occurred" (the cause was in S3Proxy's log, which is now quiet).
     */
    public String spaceNote() {
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            return String.format(java.util.Locale.ROOT, "; the embedded S3 stores under %s, where %d MB are free%s",
                    dir, free >> 20, free < (64L << 20) ? ": the disk is full or nearly" : "");
        } catch (java.io.IOException | RuntimeException e) {
            return "; the embedded S3 stores under " + dir;
        }
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }

    @Override
    public String toString() {
        return "EmbeddedS3[" + endpoint() + "]";
    }
}
