package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged sift with a database or S3 it cannot use: exit code 3 and one line, no stack trace. */
class EnvironmentFaultsIT {
    @TempDir
    Path home;

    private void assertOneLineExit3(SiftProcess p) throws Exception {
        int code = p.waitFor(120);
        String out = p.output();
        assertEquals(3, code, out);
        List<String> errors = out.lines().filter(l -> l.startsWith("sift:")).toList();
        assertEquals(1, errors.size(), out);
        assertFalse(out.contains("\tat ") || out.contains("Exception"), out);
    }

    @Test
    void databaseOnAClosedPort() throws Exception {
        assertOneLineExit3(SiftProcess.start(home, Map.of("SIFT_DB_URL", "jdbc:postgresql://127.0.0.1:1/sift"),
                "runs", "list"));
    }

    @Test
    void malformedDatabaseUrl() throws Exception {
        assertOneLineExit3(SiftProcess.start(home, Map.of("SIFT_DB_URL", "postgres://nowhere/sift"), "runs", "list"));
    }

    @Test
    void unreachableS3Endpoint() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Path wf = home.resolve("wf.yaml");
            Files.writeString(wf, """
                    name: no-s3
                    dataset:
                      generate: {rows: 100, noise: 0.1, seed: 3}
                    model: {buckets: 64, dim: 8, hidden: 8}
                    fine_tune: {epochs: 1}
                    evaluate: {zero_shot: false}
                    iterations: 1
                    """);
            SiftProcess p = SiftProcess.start(home, Map.of("SIFT_DB_URL", pg.getJdbcUrl("postgres", "postgres"),
                    "SIFT_S3_ENDPOINT", "http://127.0.0.1:1", "AWS_ACCESS_KEY_ID", "x", "AWS_SECRET_ACCESS_KEY", "y",
                    "AWS_REGION", "us-east-1", "SIFT_S3_RETRY_SECONDS", "2"), "run", wf.toString());
            assertOneLineExit3(p);
            assertTrue(p.output().contains("is not reachable") && p.output().contains("(tried for 2 s)"), p.output());
            // no credentials anywhere in the chain: said at once in one line, not retried for a minute
            SiftProcess none = SiftProcess.start(home, Map.of("SIFT_DB_URL", pg.getJdbcUrl("postgres", "postgres"),
                    "SIFT_S3_ENDPOINT", "http://127.0.0.1:1", "AWS_ACCESS_KEY_ID", "", "AWS_SECRET_ACCESS_KEY", "",
                    "AWS_SHARED_CREDENTIALS_FILE", home.resolve("none").toString(), "AWS_CONFIG_FILE",
                    home.resolve("none").toString(), "AWS_EC2_METADATA_DISABLED", "true", "AWS_REGION", "us-east-1",
                    "SIFT_S3_RETRY_SECONDS", "60"), "run", wf.toString());
            assertOneLineExit3(none);
            assertTrue(none.output().contains("no AWS credentials found; set AWS_ACCESS_KEY_ID"), none.output());
            assertFalse(none.output().contains("retrying"), none.output());
            try (java.sql.Connection c = pg.getPostgresDatabase().getConnection();
                    java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM run")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "S3 is checked before a run is recorded, so no FAILED run is left");
            }
        }
    }
}
