package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sift, killed with SIGKILL during fine-tune, then resumed: finished stages are not redone and no
 * stage or score row is duplicated. Runs the real jar as separate processes against a real PostgreSQL.
 */
class KillResumeIT {
    private static EmbeddedPostgres pg;

    @TempDir
    Path home;

    @BeforeAll
    static void startDatabase() throws Exception {
        pg = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        pg.close();
    }

    private ProcessBuilder sift(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-jar", System.getProperty("sift.jar",
                        "target/quarkus-app/quarkus-run.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SIFT_HOME", home.toString());
        pb.environment().put("SIFT_DB_URL", pg.getJdbcUrl("postgres", "postgres"));
        pb.environment().put("SIFT_DB_USER", "postgres");
        return pb;
    }

    private long query(String sql, Object... params) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private Map<String, long[]> stages(long run) throws Exception {
        Map<String, long[]> out = new HashMap<>();
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
                PreparedStatement ps = c.prepareStatement(
                        "SELECT stage || '@' || iteration, attempt, status = 'SUCCEEDED' FROM stage_run WHERE run_id = ?")) {
            ps.setLong(1, run);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getBoolean(3) ? 1 : 0});
                }
            }
        }
        return out;
    }

    @Test
    void killedDuringFineTuneThenResumedFinishesWithoutRedoingOrDuplicating() throws Exception {
        // up to 40 epochs with early stopping after 8 without progress: fine-tune lasts long enough to be killed
        Process run = sift("run", "workflows/quickstart.yaml", "--name", "kill-me", "--set",
                "dataset.generate.rows=1500", "--set", "fine_tune.epochs=40", "--set", "fine_tune.patience=8",
                "--set", "iterations=2", "--set", "evaluate.seeds=1")
                .redirectErrorStream(true).start();
        AtomicLong runId = new AtomicLong(-1);
        CountDownLatch training = new CountDownLatch(1);
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            Pattern started = Pattern.compile("run (\\d+) \\(kill-me\\) started");
            try (BufferedReader r = new BufferedReader(new InputStreamReader(run.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    log.append(line).append('\n');
                    Matcher m = started.matcher(line);
                    if (m.find()) {
                        runId.set(Long.parseLong(m.group(1)));
                    }
                    if (line.contains("fine-tune epoch 2/")) {
                        training.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                // the process was killed
            }
        });
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!training.await(200, TimeUnit.MILLISECONDS) && run.isAlive() && System.nanoTime() < deadline) {
            // wait for training to be under way
        }
        assertTrue(training.getCount() == 0, "fine-tune did not start:\n" + log);
        run.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        reader.join(10_000);
        long id = runId.get();
        assertTrue(id > 0, log.toString());

        Map<String, long[]> before = stages(id);
        assertEquals(1, before.get("ingest@0")[0]);
        assertEquals(1, before.get("ingest@0")[1], "ingest finished before the kill");
        assertEquals(0, before.get("fine-tune@0")[1], "fine-tune was killed while running:\n" + log);
        assertEquals(2, before.size(), "nothing after fine-tune started");
        assertEquals("RUNNING", status(id));

        Path out = Files.createTempFile(home, "resume", ".log");
        Process resume = sift("resume", Long.toString(id)).redirectErrorStream(true).redirectOutput(out.toFile())
                .start();
        assertTrue(resume.waitFor(300, TimeUnit.SECONDS), "resume timed out");
        String resumeLog = Files.readString(out);
        assertEquals(0, resume.exitValue(), resumeLog);
        assertTrue(resumeLog.contains("ingest: done before (attempt 1), skipped"), resumeLog);

        Map<String, long[]> after = stages(id);
        assertEquals(2 + 3 * 2, after.size(), after.keySet().toString());
        assertEquals(8, query("SELECT count(*) FROM stage_run WHERE run_id = ?", id));
        assertEquals(1, after.get("ingest@0")[0], "ingest not redone");
        assertEquals(2, after.get("fine-tune@0")[0], "fine-tune ran again");
        for (var e : after.entrySet()) {
            assertEquals(1, e.getValue()[1], e.getKey() + " succeeded");
            if (!e.getKey().startsWith("fine-tune")) {
                assertEquals(1, e.getValue()[0], e.getKey() + " ran once");
            }
        }
        assertEquals("SUCCEEDED", status(id));
        // scores: every pool sample once per method and iteration
        long pool1 = query("SELECT count(DISTINCT sample_index) FROM sample_score WHERE run_id = ? AND iteration = 1",
                id);
        long pool2 = query("SELECT count(DISTINCT sample_index) FROM sample_score WHERE run_id = ? AND iteration = 2",
                id);
        assertEquals(3 * (pool1 + pool2), query("SELECT count(*) FROM sample_score WHERE run_id = ?", id));
        assertEquals(0, query("SELECT count(*) FROM (SELECT 1 FROM sample_score WHERE run_id = ? GROUP BY iteration, "
                + "method, sample_index HAVING count(*) > 1) d", id));
        // iteration 1: full, selected, random, majority, zero-shot; iteration 2: selected, random, random-train
        assertEquals(8, query("SELECT count(DISTINCT (iteration, subset)) FROM metric WHERE run_id = ? "
                + "AND split = 'test'", id));
        // the quickstart's own flipped labels are known: noise detection per method and iteration, once each
        assertEquals(3 * 2, query("SELECT count(DISTINCT (iteration, subset)) FROM metric WHERE run_id = ? "
                + "AND split = 'pool'", id));
        assertEquals(0, query("SELECT count(*) FROM (SELECT 1 FROM metric WHERE run_id = ? GROUP BY iteration, "
                + "split, subset, name, seed HAVING count(*) > 1) d", id));
        assertEquals(0, query("SELECT count(*) FROM (SELECT 1 FROM comparison WHERE run_id = ? GROUP BY iteration, "
                + "metric, subset, baseline HAVING count(*) > 1) d", id));
    }

    private String status(long id) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
                PreparedStatement ps = c.prepareStatement("SELECT status FROM run WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
