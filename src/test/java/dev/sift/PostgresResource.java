package dev.sift;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One real embedded PostgreSQL per test JVM, plus a temporary SIFT_HOME (S3Proxy store, hash key), so tests
 * use the same code paths as production without touching the user's ~/.sift. The server outlives single
 * application starts (a {@code @QuarkusMainTest} starts the application once per launch) and stops with the
 * JVM.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    private static EmbeddedPostgres pg;
    private static Path home;

    static String url() throws Exception {
        // Quarkus loads this class again for every application start; system properties are the JVM-wide memory
        synchronized (System.class) {
            String url = System.getProperty("test.sift.db.url");
            if (url == null) {
                home = Files.createTempDirectory("sift-test-home");
                pg = EmbeddedPostgres.builder().start();
                url = pg.getJdbcUrl("postgres", "postgres");
                System.setProperty("test.sift.db.url", url);
                System.setProperty("sift.home", home.toString());
            }
            System.setProperty("sift.db.url", url);
            return url;
        }
    }

    @Override
    public Map<String, String> start() {
        try {
            return Map.of("quarkus.datasource.jdbc.url", url(),
                    "quarkus.datasource.username", "postgres",
                    "quarkus.flyway.migrate-at-start", "true");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        // the server is shared by every test of this JVM; zonky's shutdown hook stops it
    }
}
