package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.config.SiftConfig;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A database or S3 that cannot be used ends in one line and exit code 3, never a stack trace. */
class EnvironmentFaultsTest {
    @TempDir
    Path home;

    private static String environmentError(Executable action) {
        SiftException e = assertThrows(SiftException.class, action);
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void databaseOnAClosedPort() {
        String m = environmentError(() -> DatabaseProbe.check("jdbc:postgresql://127.0.0.1:1/sift", "postgres", "x"));
        assertTrue(m.startsWith("database jdbc:postgresql://127.0.0.1:1/sift is not usable: "), m);
    }

    @Test
    void malformedDatabaseUrlAndThePasswordInAUrlIsNotPrinted() {
        String m = environmentError(() -> DatabaseProbe.check("postgres://db.example/sift?password=secret", null,
                null));
        assertTrue(m.contains("not a PostgreSQL JDBC URL"), m);
        assertFalse(m.contains("secret"), m);
    }

    @Test
    void wrongDatabasePassword() throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(home.resolve("pg"))) {
            String m = environmentError(() -> DatabaseProbe.check(server.jdbcUrl(), server.user(), "wrong"));
            assertTrue(m.contains("password authentication failed"), m);
            DatabaseProbe.check(server.jdbcUrl(), server.user(), server.password());
        }
    }

    /**
     * Credentials of its own (the SDK reads these properties first): alone, on a machine with none, it failed on
     * "no AWS credentials found" before reaching the endpoint; in the whole suite an earlier test had set some.
     */
    @Test
    void unreachableS3Endpoint() throws Throwable {
        withCredentials("x", "y", () -> {
            ObjectStore store = store(Optional.of("http://127.0.0.1:1"));
            String m = environmentError(() -> store.exists("datasets/x"));
            assertTrue(m.startsWith("S3 endpoint http://127.0.0.1:1 is not reachable: "), m);
        });
    }

    /**
     * Wrong credentials for a real S3 API (an S3Proxy of its own, which knows other keys): one line that says to check
     * them; a probe's wrong secret key read "... is not usable: Forbidden" alone.
     */
    @Test
    void wrongS3CredentialsAreNamedAsTheLikelyCause() throws Throwable {
        try (EmbeddedS3 s3 = EmbeddedS3.start(home.resolve("s3"))) {
            withCredentials(s3.accessKey(), "not-" + s3.secretKey(), () -> {
                ObjectStore store = store(Optional.of(s3.endpoint().toString()));
                String m = environmentError(() -> store.exists("datasets/x"));
                assertTrue(m.startsWith("S3 bucket sift is missing and cannot be created, or is not usable: ")
                        && m.endsWith("(HTTP 403: check the credentials, AWS_ACCESS_KEY_ID and its secret or "
                        + "AWS_PROFILE, and their rights on the bucket)"), m);
            });
        }
    }

    /** Runs {@code body} with the SDK's credential properties set to these, then puts back what was there. */
    private static void withCredentials(String id, String secret, Executable body) throws Throwable {
        String[] names = {"aws.accessKeyId", "aws.secretAccessKey"};
        String[] before = {System.getProperty(names[0]), System.getProperty(names[1])};
        System.setProperty(names[0], id);
        System.setProperty(names[1], secret);
        try {
            body.execute();
        } finally {
            for (int i = 0; i < names.length; i++) {
                if (before[i] == null) {
                    System.clearProperty(names[i]);
                } else {
                    System.setProperty(names[i], before[i]);
                }
            }
        }
    }

    @Test
    void missingS3Bucket() throws Exception {
        String before = System.getProperty("sift.home");
        System.setProperty("sift.home", home.toString());
        ObjectStore store = store(Optional.empty());
        try {
            String m = environmentError(() -> store.open("s3://no-such-bucket/shop.csv"));
            assertEquals("S3 bucket no-such-bucket does not exist", m);
        } finally {
            store.close();
            if (before == null) {
                System.clearProperty("sift.home");
            } else {
                System.setProperty("sift.home", before);
            }
        }
    }

    /** The store with a fixed configuration: embedded S3Proxy, or the given endpoint. */
    private static ObjectStore store(Optional<String> endpoint) {
        ObjectStore store = new ObjectStore();
        store.config = new Config(endpoint);
        return store;
    }

    private record Config(Optional<String> endpoint) implements SiftConfig, SiftConfig.S3, SiftConfig.Db,
            SiftConfig.Privacy {
        public Optional<String> home() {
            return Optional.empty();
        }

        public boolean fullStart() {
            return false;
        }

        public String adamw() {
            return "flat";
        }

        public Db db() {
            return this;
        }

        public S3 s3() {
            return this;
        }

        public Privacy privacy() {
            return this;
        }

        public Batch batch() {
            return null; // the object store reads no Batch setting
        }

        public Optional<String> url() {
            return Optional.empty();
        }

        public Optional<String> user() {
            return Optional.empty();
        }

        public Optional<String> password() {
            return Optional.empty();
        }

        public String bucket() {
            return "sift";
        }

        public String region() {
            return "us-east-1";
        }

        public boolean pathStyle() {
            return true;
        }

        public boolean embedded() {
            return true;
        }

        public Optional<String> hashKey() {
            return Optional.empty();
        }
    }
}
