package dev.sift;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One real embedded PostgreSQL per test JVM, plus a temporary SIFT_HOME (S3Proxy store, hash key), so tests
 * use the same code paths as production without touching the user's ~/.sift.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {
    private EmbeddedPostgres pg;

    @Override
    public Map<String, String> start() {
        try {
            Path home = Files.createTempDirectory("sift-test-home");
            System.setProperty("sift.home", home.toString());
            pg = EmbeddedPostgres.builder().start();
            String url = pg.getJdbcUrl("postgres", "postgres");
            System.setProperty("sift.db.url", url);
            return Map.of("quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", "postgres",
                    "quarkus.flyway.migrate-at-start", "true");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        try {
            if (pg != null) {
                pg.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
