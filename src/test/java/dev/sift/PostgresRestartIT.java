package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sift while its PostgreSQL server is stopped and started again (same data directory, same port) in the
 * middle of a run. A restart shorter than the retry budget: the run waits for the database, goes on where it stopped
 * and ends with exactly the rows of an uninterrupted run. An outage longer than the budget: exit code 3 and one line
 * naming the run and the resume command; nothing stored is lost, and {@code sift resume} after the database is back
 * ends with the uninterrupted run's rows. A run holds a PostgreSQL session lock (the store lock, against
 * {@code sift gc}), which a restarted server forgets: the run takes it again before it goes on.
 */
class PostgresRestartIT {
    @TempDir
    Path home;

    private EmbeddedPostgres pg;
    private int port;

    private void startDatabase() throws Exception {
        pg = EmbeddedPostgres.builder().setDataDirectory(home.resolve("pgdata")).setCleanDataDirectory(false)
                .setPort(port).setRegisterShutdownHook(false).start();
    }

    @AfterEach
    void stopDatabase() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    private String url() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    private SiftProcess sift(String retrySeconds, String... args) throws Exception {
        return SiftProcess.start(home, Map.of("SIFT_DB_URL", url(), "SIFT_DB_USER", "postgres",
                "SIFT_DB_RETRY_SECONDS", retrySeconds), args);
    }

    @Test
    void aRestartIsWaitedOutAndALongerOutageIsExit3ThenResumable() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startDatabase();
        Path wf = home.resolve("wf.yaml");
        Files.writeString(wf, """
                name: pg-restart
                dataset:
                  generate: {rows: 400, noise: 0.1, seed: 3}
                model: {buckets: 128, dim: 16, hidden: 16}
                fine_tune: {epochs: 8, seed: 42}
                score: {methods: [loss, el2n, aum]}
                filter: {by: loss, keep: 0.8}
                evaluate: {zero_shot: false, seeds: 1, bootstrap: 200}
                iterations: 1
                cache: false
                """);
        SiftProcess straight = sift("60", "run", wf.toString(), "--name", "straight");
        assertEquals(0, straight.waitFor(300), straight.output());
        long reference = runId(straight.output());

        // restarted during fine-tune: the run waits for the database and finishes by itself
        SiftProcess restarted = sift("120", "run", wf.toString(), "--name", "restarted");
        waitFor(restarted, "fine-tune epoch 2/");
        pg.close();
        Thread.sleep(3000);
        startDatabase();
        waitFor(restarted, "the database is back");
        // the restarted server forgot every session lock: the run has taken the store lock (shared) again
        boolean relocked = false;
        while (!relocked && restarted.process.isAlive()) {
            relocked = query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND mode = 'ShareLock' "
                    + "AND granted") == 1;
            Thread.sleep(20);
        }
        assertTrue(relocked, "the store lock was not taken again:\n" + restarted.output());
        assertEquals(0, restarted.waitFor(300), restarted.output());
        String log = restarted.output();
        assertTrue(log.contains("lost the database connection"), log);
        assertTrue(log.contains("the database is back"), log);
        assertFalse(log.contains("\tat "), log);
        long first = runId(log);
        assertEquals("SUCCEEDED", string("SELECT status FROM run WHERE id = ?", first));
        assertEquals(5, query("SELECT count(*) FROM stage_run WHERE run_id = ? AND status = 'SUCCEEDED'", first));
        assertEquals(0, query("SELECT count(*) FROM stage_run WHERE run_id = ? AND status <> 'SUCCEEDED'", first));
        int compared = sameRows(reference, first);

        // down for longer than the 4-second budget: exit 3, one line; resumed once it is back
        SiftProcess down = sift("4", "run", wf.toString(), "--name", "down");
        waitFor(down, "fine-tune epoch 2/");
        pg.close();
        pg = null;
        assertEquals(3, down.waitFor(300), down.output());
        log = down.output();
        List<String> errors = log.lines().filter(l -> l.startsWith("sift:")).toList();
        assertEquals(1, errors.size(), log);
        long second = runId(log);
        assertTrue(errors.get(0).contains("not reachable (tried for 4 s) while run " + second) && errors.get(0).contains("run " + second)
                && errors.get(0).contains("'sift resume " + second + "'"), errors.get(0));
        assertFalse(log.contains("\tat "), log);
        startDatabase();
        assertEquals("RUNNING", string("SELECT status FROM run WHERE id = ?", second),
                "the run's row could not be written while the database was down; its owner is dead");
        SiftProcess resume = sift("60", "resume", Long.toString(second));
        assertEquals(0, resume.waitFor(300), resume.output());
        assertTrue(resume.output().contains("ingest: done before (attempt 1), skipped"), resume.output());
        compared += sameRows(reference, second);
        SiftProcess gc = sift("60", "gc");
        assertEquals(0, gc.waitFor(120), gc.output());
        assertFalse(gc.output().lines().anyMatch(l -> l.startsWith("s3://") || l.startsWith("weights ")),
                gc.output());
        System.out.printf("PostgresRestartIT: 2 database outages (a 3 s restart waited out, one past the 4 s budget: "
                + "exit 3, resumed); %d rows equal to the uninterrupted run's; gc: 0 orphans%n", compared);
    }

    /** The run's metric, score, iteration and dynamics rows equal the reference run's; returns how many. */
    private int sameRows(long reference, long id) throws Exception {
        int compared = 0;
        for (String sql : List.of("SELECT iteration || ' ' || split || ' ' || subset || ' ' || name || ' ' || "
                + "coalesce(seed, -1) || ' ' || value FROM metric WHERE run_id = ? AND name <> 'train_seconds' "
                + "ORDER BY 1", "SELECT iteration || ' ' || method || ' ' || sample_index || ' ' || score || ' ' || "
                + "weight FROM sample_score WHERE run_id = ? ORDER BY 1", "SELECT pool_size || ' ' || kept_size || ' ' "
                + "|| selected_weights FROM iteration WHERE run_id = ?", "SELECT stage || ' ' || iteration || ' ' || "
                + "epoch || ' ' || md5(loss::text) FROM training_dynamics WHERE run_id = ? ORDER BY 1")) {
            List<String> expected = rows(sql, reference);
            assertFalse(expected.isEmpty(), sql);
            assertEquals(expected, rows(sql, id), sql);
            compared += expected.size();
        }
        return compared;
    }

    private static void waitFor(SiftProcess p, String marker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!p.output().contains(marker) && p.process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
        assertTrue(p.output().contains(marker), "never reached '" + marker + "':\n" + p.output());
    }

    private static long runId(String log) {
        Matcher m = Pattern.compile("run (\\d+) \\(").matcher(log);
        assertTrue(m.find(), log);
        return Long.parseLong(m.group(1));
    }

    private long query(String sql, Object... params) throws Exception {
        return Long.parseLong(string(sql, params));
    }

    private String string(String sql, Object... params) throws Exception {
        List<String> r = rows(sql, params);
        assertEquals(1, r.size(), sql);
        return r.get(0);
    }

    private List<String> rows(String sql, Object... params) throws Exception {
        try (Connection c = DriverManager.getConnection(url(), "postgres", "");
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
