package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * V15 moves the per-sample score rows of a store made before it into arrays: every row comes back through the
 * {@code sample_score} view unchanged, and deleting a run still deletes its scores.
 */
class ScoreVectorMigrationTest {
    @Test
    void rowsOfAStoreBeforeV15ComeBackThroughTheView() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            Migrations.migrate(url, "14");
            String all = "SELECT run_id || ' ' || iteration || ' ' || method || ' ' || sample_index || ' ' || score "
                    + "|| ' ' || weight FROM sample_score ORDER BY run_id, iteration, method, sample_index";
            List<String> before;
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("INSERT INTO run (name, workflow, workflow_path, spec_yaml, status) VALUES "
                        + "('a', 'w', '/w.yaml', 'name: w', 'SUCCEEDED'), ('b', 'w', '/w.yaml', 'name: w', 'FAILED')");
                s.execute("INSERT INTO sample_score VALUES (1, 1, 'loss', 7, 0.5, 0.25), (1, 1, 'loss', 2, 1.5, 0.75), "
                        + "(1, 2, 'loss', 2, 'NaN', 0), (1, 1, 'el2n', 3, -1, 1), (2, 1, 'loss', 0, 2, 1)");
                before = Migrations.rows(s, all);
            }
            Migrations.migrate(url, null);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                assertEquals(before, Migrations.rows(s, all));
                assertEquals(List.of("4"), Migrations.rows(s, "SELECT count(*) FROM score_vector"));
                assertEquals(List.of("{2,7} {1.5,0.5}"), Migrations.rows(s, "SELECT sample_index::text || ' ' "
                        + "|| score::text FROM score_vector WHERE run_id = 1 AND iteration = 1 AND method = 'loss'"));
                s.execute("DELETE FROM run WHERE id = 1");
                assertEquals(List.of("2 1 loss 0 2 1"), Migrations.rows(s, all));
            }
        }
    }
}
