package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sift killed with SIGKILL in the middle of fine-tune, then of score, then of evaluate, resumed after
 * each kill: the run ends with the same metric, comparison and score rows as an uninterrupted run of the same
 * workflow and seeds, no row twice, finished stages not redone, and {@code sift gc} finds nothing unreferenced in S3
 * or among the weights; after the uninterrupted run's row is deleted, gc lists exactly its S3 objects and
 * {@code --delete} removes them and nothing of the other run. Separate processes against a real PostgreSQL and the
 * embedded S3Proxy (a filesystem store under SIFT_HOME, shared by the processes).
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

    private SiftProcess sift(String... args) throws Exception {
        return SiftProcess.start(home, Map.of("SIFT_DB_URL", pg.getJdbcUrl("postgres", "postgres"), "SIFT_DB_USER",
                "postgres"), args);
    }

    /** Starts sift, waits for {@code marker} in its output, then kills it with SIGKILL; returns its output. */
    private String killAt(String marker, String... args) throws Exception {
        SiftProcess p = sift(args);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!p.output().contains(marker) && p.process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
        assertTrue(p.output().contains(marker), "never reached '" + marker + "':\n" + p.output());
        p.process.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        assertTrue(p.process.waitFor(30, TimeUnit.SECONDS));
        return p.output();
    }

    @Test
    void killedInFineTuneScoreAndEvaluateThenResumedEqualsAnUninterruptedRun() throws Exception {
        Path wf = home.resolve("kill.yaml");
        Files.writeString(wf, """
                name: kill-thrice
                dataset:
                  generate: {rows: 400, noise: 0.1, seed: 3}
                model: {buckets: 128, dim: 16, hidden: 16}
                fine_tune: {epochs: 8, seed: 42}
                score: {methods: [loss, oof_loss, label_quality], cross_fit: 3}
                filter: {by: oof_loss, keep: 0.8}
                evaluate: {zero_shot: false, seeds: 1, bootstrap: 200}
                iterations: 1
                """);
        long t0 = System.nanoTime();
        SiftProcess straight = sift("run", wf.toString(), "--name", "straight");
        assertEquals(0, straight.waitFor(300), straight.output());
        long reference = runId(straight.output());
        long t1 = System.nanoTime();

        // --no-cache: the uninterrupted run has the same cache keys, and this one must compute to be killed
        String log = killAt("fine-tune epoch 2/", "run", wf.toString(), "--name", "killed", "--no-cache");
        long id = runId(log);
        assertStages(id, "fine-tune", log, "ingest");
        String resumed = killAt("cross-fit fold 2/", "resume", Long.toString(id));
        assertTrue(resumed.contains("ingest: done before (attempt 1), skipped"), resumed);
        assertStages(id, "score", resumed, "ingest", "fine-tune");
        resumed = killAt("  selected: ndcg", "resume", Long.toString(id));
        assertStages(id, "evaluate", resumed, "ingest", "fine-tune", "score", "filter");
        SiftProcess last = sift("resume", Long.toString(id));
        assertEquals(0, last.waitFor(300), last.output());
        assertTrue(last.output().contains("[4/5] iteration 1 filter: done before (attempt 1), skipped"),
                last.output());
        long t2 = System.nanoTime();

        // the stages each killed stage ran twice, no other; every stage row once and finished
        assertEquals("SUCCEEDED", string("SELECT status FROM run WHERE id = ?", id));
        assertEquals(5, query("SELECT count(*) FROM stage_run WHERE run_id = ? AND status = 'SUCCEEDED'", id));
        assertEquals(List.of("ingest 1", "fine-tune 2", "score 2", "filter 1", "evaluate 2"),
                rows("SELECT stage || ' ' || attempt FROM stage_run WHERE run_id = ? ORDER BY seq", id));
        // the same rows as the uninterrupted run: none twice, none missing, none different (training time aside, and
        // the bootstrap intervals, whose resampling is seeded by the run id)
        int compared = 0;
        for (String sql : List.of("SELECT iteration || ' ' || split || ' ' || subset || ' ' || name || ' ' || "
                + "coalesce(seed, -1) || ' ' || value FROM metric WHERE run_id = ? AND name <> 'train_seconds' "
                + "ORDER BY 1", "SELECT iteration || ' ' || subset || ' ' || baseline || ' ' || metric || ' ' || "
                + "delta FROM comparison WHERE run_id = ? ORDER BY 1",
                "SELECT iteration || ' ' || method || ' ' || sample_index || ' ' || score || ' ' || weight FROM "
                + "sample_score WHERE run_id = ? ORDER BY 1", "SELECT pool_size || ' ' || kept_size || ' ' || "
                + "selected_weights FROM iteration WHERE run_id = ?", "SELECT stage || ' ' || iteration || ' ' || epoch "
                + "|| ' ' || md5(loss::text) FROM training_dynamics WHERE run_id = ? ORDER BY 1",
                "SELECT sample_index || ' ' || suggested_class || ' ' || quality FROM label_suggestion WHERE run_id = ? "
                + "ORDER BY 1")) {
            List<String> expected = rows(sql, reference);
            assertFalse(expected.isEmpty() && !sql.contains("label_suggestion"), sql);
            assertEquals(expected, rows(sql, id), sql);
            compared += expected.size();
        }
        long t3 = System.nanoTime();

        // nothing unreferenced; then the uninterrupted run's row deleted: gc lists its objects, removes only them
        assertEquals(List.of(), gc(false));
        int killedObjects = objects(id);
        assertTrue(killedObjects >= 3, "selected, random, hidden activations");
        int referenceObjects = objects(reference);
        query("WITH d AS (DELETE FROM run WHERE id = ? RETURNING 1) SELECT count(*) FROM d", reference);
        List<String> orphans = gc(false);
        List<String> s3 = orphans.stream().filter(o -> o.startsWith("s3://")).toList();
        assertEquals(referenceObjects, s3.size(), String.join("\n", orphans));
        assertTrue(s3.stream().allMatch(o -> o.startsWith("s3://sift/runs/" + reference + "/")), s3.toString());
        assertEquals(referenceObjects, objects(reference), "a dry run removes nothing");
        assertEquals(orphans, gc(true));
        assertEquals(0, objects(reference));
        assertEquals(0, query("SELECT count(*) FROM model_weights WHERE sha256 = ANY (?)",
                (Object) orphans.stream().filter(o -> o.startsWith("weights ")).map(o -> o.substring(8))
                        .toArray(String[]::new)));
        assertEquals(killedObjects, objects(id));
        System.out.printf("KillResumeIT: 3 SIGKILLs (fine-tune, score, evaluate), 3 resumes survived; %d rows equal "
                + "to the uninterrupted run's; gc: 0 orphans, then %d after deleting a run (%d S3 objects), removed; "
                + "uninterrupted %.0f s, killed and resumed %.0f s, checks and gc %.0f s%n", compared,
                orphans.size(), s3.size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t3) / 1e9);
    }

    /** The stages before {@code killed} finished once; {@code killed} was running; no later stage started. */
    private void assertStages(long id, String killed, String log, String... finished) throws Exception {
        List<String> expected = new ArrayList<>();
        for (String s : finished) {
            expected.add(s + " SUCCEEDED");
        }
        expected.add(killed + " RUNNING");
        assertEquals(expected, rows("SELECT stage || ' ' || status FROM stage_run WHERE run_id = ? ORDER BY seq", id),
                log);
        assertEquals("RUNNING", string("SELECT status FROM run WHERE id = ?", id));
    }

    /** {@code sift gc}'s listed orphans, one per line. */
    private List<String> gc(boolean delete) throws Exception {
        SiftProcess gc = delete ? sift("gc", "--delete") : sift("gc");
        assertEquals(0, gc.waitFor(120), gc.output());
        return gc.output().lines().filter(l -> l.startsWith("s3://") || l.startsWith("weights ")).toList();
    }

    /** The run's objects in the embedded S3Proxy's filesystem store. */
    private int objects(long run) throws Exception {
        Path dir = home.resolve("s3").resolve("sift").resolve("runs").resolve(Long.toString(run));
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return (int) files.filter(Files::isRegularFile).count();
        }
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
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
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
