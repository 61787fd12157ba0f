package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SIGTERM / Ctrl-C: the runs and running stages of the stopped process become INTERRUPTED, no others. */
class InterruptedRunsTest {
    private static EmbeddedPostgres pg;
    private static String url;

    @BeforeAll
    static void database() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        url = pg.getJdbcUrl("postgres", "postgres");
        Flyway.configure().dataSource(url, "postgres", null).locations("filesystem:migrations").load().migrate();
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    private static long insertRun(Connection c, String host, long pid) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO run (name, workflow, workflow_path, spec_yaml, "
                + "status, owner_host, owner_pid, started_at) VALUES ('r', 'w', '/w.yaml', 'name: w', 'RUNNING', ?, ?, "
                + "now()) RETURNING id")) {
            ps.setString(1, host);
            ps.setLong(2, pid);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                c.createStatement().execute("INSERT INTO stage_run (run_id, stage, iteration, seq, status, attempt, "
                        + "started_at) VALUES (" + id + ", 'ingest', 0, 0, 'SUCCEEDED', 1, now()), (" + id
                        + ", 'fine-tune', 0, 1, 'RUNNING', 1, now())");
                return id;
            }
        }
    }

    private static String status(Connection c, String sql, long id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void marksOnlyThisProcesssRunningRunsAndStages() throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            long mine = insertRun(c, "this-host", 4242);
            long otherProcess = insertRun(c, "this-host", 4243);
            long otherHost = insertRun(c, "other-host", 4242);
            assertEquals(java.util.List.of(mine), InterruptedRuns.mark(url, "postgres", null, "this-host", 4242));
            assertEquals("INTERRUPTED", status(c, "SELECT status FROM run WHERE id = ?", mine));
            assertEquals("INTERRUPTED", status(c, "SELECT status FROM stage_run WHERE run_id = ? AND stage = "
                    + "'fine-tune'", mine));
            assertEquals("SUCCEEDED", status(c, "SELECT status FROM stage_run WHERE run_id = ? AND stage = 'ingest'",
                    mine));
            assertEquals(InterruptedRuns.REASON, status(c, "SELECT error FROM run WHERE id = ?", mine));
            assertEquals("RUNNING", status(c, "SELECT status FROM run WHERE id = ?", otherProcess));
            assertEquals("RUNNING", status(c, "SELECT status FROM run WHERE id = ?", otherHost));
            assertEquals(java.util.List.of(), InterruptedRuns.mark(url, "postgres", null, "this-host", 4242));
        }
        assertEquals("sift: run 7 marked INTERRUPTED; 'sift resume 7' continues it", InterruptedRuns.said(
                java.util.List.of(7L)));
        assertEquals("sift: runs 7, 9 marked INTERRUPTED; 'sift resume RUN' continues each", InterruptedRuns.said(
                java.util.List.of(7L, 9L)));
    }
}
