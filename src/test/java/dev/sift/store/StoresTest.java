package dev.sift.store;

import dev.sift.Sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The stores against the real embedded PostgreSQL and the in-process S3Proxy. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class StoresTest {
    @Inject
    WeightStore weights;
    @Inject
    ScoreStore scores;
    @Inject
    RunStore runs;
    @Inject
    ObjectStore objects;
    @Inject
    Instance<AgroalDataSource> dataSource;
    @Inject
    HistoryStore history;

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.get().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void weightsRoundTripByteForByteInChunksAndAreStoredOnce() throws Exception {
        byte[] bytes = new byte[WeightStore.CHUNK * 9 + 12345];
        new Random(42).nextBytes(bytes);
        String sha = weights.put(bytes, "test");
        assertEquals(Sha256.hex(bytes), sha);
        assertArrayEquals(bytes, weights.get(sha));
        assertEquals(10, count("SELECT count(*) FROM weight_chunk WHERE sha256 = '" + sha + "'"));
        assertEquals(sha, weights.put(bytes.clone(), "test"));
        assertEquals(1, count("SELECT count(*) FROM model_weights WHERE sha256 = '" + sha + "'"));
        assertEquals(10, count("SELECT count(*) FROM weight_chunk WHERE sha256 = '" + sha + "'"));
    }

    @Test
    void corruptWeightsAreDetectedOnLoad() throws Exception {
        byte[] bytes = "some weights".getBytes(StandardCharsets.UTF_8);
        String sha = weights.put(bytes, "test");
        try (Connection c = dataSource.get().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE weight_chunk SET bytes = 'tampered'::bytea WHERE sha256 = '" + sha + "'");
        }
        var e = assertThrows(IllegalStateException.class, () -> weights.get(sha));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        // longer and shorter than stored: read into an array of the stored size, still told apart
        for (String tampered : new String[] {"some weights and more", "some"}) {
            try (Connection c = dataSource.get().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE weight_chunk SET bytes = '" + tampered + "'::bytea WHERE sha256 = '" + sha + "'");
            }
            var longer = assertThrows(IllegalStateException.class, () -> weights.get(sha));
            assertTrue(longer.getMessage().contains("corrupt"), longer.getMessage());
        }
    }

    @Test
    void scoresAreReplacedNotDuplicated() throws Exception {
        RunEntity run = runs.createRun("t", "t", "/t.yaml", "name: t\n");
        int[] idx = {3, 5, 9};
        scores.replace(run.id, 1, "loss", idx, new double[] {1, 2, 3}, new double[] {1 / 6.0, 2 / 6.0, 3 / 6.0});
        scores.replace(run.id, 1, "loss", idx, new double[] {4, 5, 6}, new double[] {0.2, 0.3, 0.5});
        scores.replace(run.id, 1, "el2n", idx, new double[] {0, 0, Double.NaN}, new double[] {0.5, 0.5, 0});
        assertEquals(6, scores.count(run.id));
        var rows = scores.read(run.id, 1, "loss");
        assertEquals(3, rows.size());
        assertEquals(5.0, rows.get(1).score());
        assertEquals(9, rows.get(2).sampleIndex());
        assertTrue(Double.isNaN(scores.read(run.id, 1, "el2n").get(2).score()));
    }

    @Test
    void scoresLongerThanAChunkAreStoredInChunksAndReadBackBySampleIndex() throws Exception {
        RunEntity run = runs.createRun("t", "t", "/t.yaml", "name: t\n");
        int n = ScoreStore.CHUNK + 3;
        int[] idx = new int[n];
        double[] score = new double[n];
        double[] weight = new double[n];
        for (int i = 0; i < n; i++) {
            idx[i] = n - 1 - i; // written in reverse, read in sample order
            score[i] = 2.0 * idx[i];
            weight[i] = 1.0 / n;
        }
        scores.replace(run.id, 2, "loss", idx, score, weight);
        assertEquals(2, count("SELECT count(*) FROM score_vector WHERE run_id = " + run.id));
        assertEquals(3, count("SELECT cardinality(sample_index) FROM score_vector WHERE run_id = " + run.id
                + " AND chunk = 1"));
        assertEquals(n, scores.count(run.id));
        var rows = scores.read(run.id, 2, "loss");
        assertEquals(n, rows.size());
        for (int i : new int[] {0, 1, ScoreStore.CHUNK - 1, ScoreStore.CHUNK, n - 1}) {
            assertEquals(i, rows.get(i).sampleIndex());
            assertEquals(2.0 * i, rows.get(i).score());
        }
        assertEquals(Map.of("loss", Map.of(1, 2.0, n - 1, 2.0 * (n - 1))),
                scores.scoresOf(run.id, 2, new int[] {1, n - 1}));
        assertEquals(ScoreStore.CHUNK, count("SELECT score FROM sample_score WHERE run_id = " + run.id
                + " AND sample_index = " + ScoreStore.CHUNK / 2));
        scores.replace(run.id, 2, "loss", new int[] {4}, new double[] {1}, new double[] {1});
        assertEquals(1, scores.count(run.id), "a shorter write replaces every chunk");
        assertThrows(IllegalArgumentException.class,
                () -> scores.replace(run.id, 2, "loss", new int[] {4, 5}, new double[] {1}, new double[] {1, 1}));
        assertEquals(1, scores.count(run.id), "a refused write loses nothing");
    }

    @Test
    void stageRowsAreReusedOnRestart() {
        RunEntity run = runs.createRun("t", "t", "/t.yaml", "name: t\n");
        StageRunEntity first = runs.beginStage(run.id, "ingest", 0, 0, "");
        runs.failStage(first.id, "boom");
        StageRunEntity second = runs.beginStage(run.id, "ingest", 0, 0, "");
        assertEquals(first.id, second.id);
        assertEquals(2, second.attempt);
        runs.finishStage(second.id, "{}");
        assertEquals(1, runs.stages(run.id).size());
        assertEquals(RunEntity.Status.SUCCEEDED, runs.stages(run.id).get(0).status);
    }

    @Test
    void ofTwoResumesThatReadTheSameDeadOwnerOnlyOneClaimsTheRun() throws Exception {
        RunEntity run = runs.createRun("t", "t", "/t.yaml", "name: t\n");
        try (Connection c = dataSource.get().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE run SET owner_pid = 1, status = 'FAILED' WHERE id = " + run.id);
        }
        RunEntity seen = runs.require(run.id); // what both resumes read before either claimed
        assertTrue(runs.claim(seen));
        assertFalse(runs.claim(seen), "the second claim must see that the owner changed");
        dev.sift.SiftException busy = assertThrows(dev.sift.SiftException.class, () -> runs.claimOrBusy(seen));
        assertEquals(dev.sift.ExitCodes.BUSY, busy.exitCode());
        assertTrue(busy.getMessage().startsWith("run " + run.id + " was claimed by process "
                + ProcessHandle.current().pid()), busy.getMessage());
        RunEntity now = runs.require(run.id);
        assertEquals(RunEntity.Status.RUNNING, now.status);
        assertEquals(ProcessHandle.current().pid(), now.ownerPid);
        try (Connection c = dataSource.get().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE run SET owner_host = NULL, owner_pid = NULL WHERE id = " + run.id);
        }
        RunEntity ownerless = runs.require(run.id); // a run recorded without an owner: NULLs compare too
        assertTrue(runs.claim(ownerless));
        assertFalse(runs.claim(ownerless));
    }

    @Test
    void aRunWhoseOwnerDiedOnThisMachineIsMarkedInterruptedOthersAreLeftAlone() throws Exception {
        RunEntity mine = runs.createRun("t", "t", "/t.yaml", "name: t\n");
        runs.interruptIfStale(mine.id, Map.of());
        assertEquals(RunEntity.Status.RUNNING, runs.require(mine.id).status, "its owner (this process) lives");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        RunEntity dead = runs.createRun("t", "t", "/t.yaml", "name: t\n");
        RunEntity elsewhere = runs.createRun("t", "t", "/t.yaml", "name: t\n");
        try (Connection c = dataSource.get().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE run SET owner_pid = " + gone.pid() + " WHERE id IN (" + dead.id + ", "
                    + elsewhere.id + ")");
            s.executeUpdate("UPDATE run SET owner_host = 'batch-node' WHERE id = " + elsewhere.id);
        }
        var step = runs.beginStage(dead.id, "fine-tune", 0, 1, "");
        var live = runs.beginStage(dead.id, "score", 1, 2, "");
        assertEquals(java.util.Set.of(step.id, live.id), runs.runningSteps(dead.id).stream().map(s -> s.id)
                .collect(java.util.stream.Collectors.toSet()));
        var begunAgain = runs.beginStage(dead.id, "filter", 1, 3, "");
        runs.interruptIfStale(dead.id, Map.of(step.id, step.attempt, begunAgain.id, begunAgain.attempt - 1));
        runs.interruptIfStale(elsewhere.id, Map.of());
        assertEquals(RunEntity.Status.INTERRUPTED, runs.findStage(dead.id, "fine-tune", 0).orElseThrow().status,
                "the dead owner's step " + step.id + " too");
        assertEquals(RunEntity.Status.RUNNING, runs.findStage(dead.id, "score", 1).orElseThrow().status,
                "a step not named dead (a live process runs it) keeps running");
        assertEquals(RunEntity.Status.RUNNING, runs.findStage(dead.id, "filter", 1).orElseThrow().status,
                "a step begun again since it was found dead is in another attempt and keeps running");
        RunEntity now = runs.require(dead.id);
        assertEquals(RunEntity.Status.INTERRUPTED, now.status);
        assertEquals("its process " + gone.pid() + " is gone; go on with 'sift resume " + dead.id + "'", now.error);
        assertEquals(RunEntity.Status.RUNNING, runs.require(elsewhere.id).status, "another machine's run is not "
                + "checked");
    }

    @Test
    void validationsPicksBecomeTheQueryableParameterFilterPicked() throws Exception {
        RunEntity run = runs.createRun("t", "t", "/t.yaml", "name: t\n", Map.of("filter.candidates",
                "top_fraction,ccs", "filter.keep", 0.5));
        runs.saveIteration(iteration(run.id, 1, RunStore.pick("ccs", 2)));
        assertEquals("ccs", param(run.id, "filter.picked"));
        runs.saveIteration(iteration(run.id, 2, RunStore.pick("top_fraction", 2)));
        runs.saveIteration(iteration(run.id, 1, RunStore.pick("ccs", 2))); // evaluate saves iteration 1 again
        assertEquals("ccs,top_fraction", param(run.id, "filter.picked"), "the picks of all iterations, in order");
        assertEquals("0.5", param(run.id, "filter.keep"), "the other parameters stay");
        RunEntity plain = runs.createRun("t", "t", "/t.yaml", "name: t\n", Map.of("filter.policy", "ccs"));
        runs.saveIteration(iteration(plain.id, 1, "ccs"));
        assertEquals(null, param(plain.id, "filter.picked"), "no pick where the workflow named its policy");
    }

    private static IterationEntity iteration(long runId, int k, String policy) {
        IterationEntity it = new IterationEntity();
        it.runId = runId;
        it.k = k;
        it.parent = k - 1;
        it.method = "loss";
        it.selectedUri = "s3://sift/kept.json";
        it.randomUri = "s3://sift/random.json";
        it.policy = policy;
        it.order = "lowest";
        return it;
    }

    @Test
    void parametersReadBackAsTheyWereStoredHugeDoublesIncluded() {
        RunEntity run = runs.createRun("t", "t", "/t.yaml", "name: t\n", Map.of("task.max_label", 1e20,
                "task.min_label", -1e308, "model.dim", 64L, "task.type", "graded"));
        Map<String, Object> back = history.params(java.util.List.of(run.id)).get(run.id);
        assertEquals(1e20, back.get("task.max_label"), "PostgreSQL writes 1e20 without its exponent; it is no long");
        assertEquals(-1e308, back.get("task.min_label"));
        assertEquals(64L, back.get("model.dim"));
        assertEquals("graded", back.get("task.type"));
    }

    private String param(long runId, String key) throws Exception {
        try (Connection c = dataSource.get().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT params ->> '" + key + "' FROM run WHERE id = " + runId)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void objectsGoThroughARealS3Api() throws Exception {
        String key = "test/" + System.nanoTime() + ".txt";
        assertFalse(objects.exists(key));
        objects.put(key, "hello".getBytes(StandardCharsets.UTF_8), "text/plain");
        assertTrue(objects.exists(key));
        assertEquals("hello", new String(objects.get(key), StandardCharsets.UTF_8));
        assertTrue(objects.uri(key).startsWith("s3://sift/"));
        // an object a row names but the store lost: one line naming it, exit code 3, whichever way it is read
        objects.delete(key);
        for (org.junit.jupiter.api.function.Executable read : List.<org.junit.jupiter.api.function.Executable>of(
                () -> objects.get(key), () -> objects.read(key, java.io.InputStream::readAllBytes))) {
            dev.sift.SiftException lost = assertThrows(dev.sift.SiftException.class, read);
            assertEquals(dev.sift.ExitCodes.ENVIRONMENT, lost.exitCode());
            assertTrue(lost.getMessage().startsWith(objects.uri(key) + ": no such object"), lost.getMessage());
        }
        // a workflow's address is read with its key as written: a space, '%', '#' and '?' are the key's (a probe's
        // space or '%' stopped ingest with a Java exception; '#' read another object)
        String odd = "test/" + System.nanoTime() + " my data 100% #1?v=2.csv";
        objects.put(odd, "odd".getBytes(StandardCharsets.UTF_8), "text/csv");
        try (java.io.InputStream in = objects.open("s3://" + objects.bucket() + "/" + odd)) {
            assertEquals("odd", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        objects.delete(odd);
    }

    /** Rows of floats go up as little-endian bytes, row after row, through a temporary file that is deleted. */
    @Test
    void floatRowsGoUpAsLittleEndianBytesAndLeaveNoTemporaryFile() throws Exception {
        String key = "test/" + System.nanoTime() + ".bin";
        float[][] rows = {{1.5f, -2f, Float.MIN_VALUE}, {0f, 3.25f, Float.NaN}};
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = countFloatFiles(tmp);
        objects.putFloats(key, rows);
        ByteBuffer b = ByteBuffer.wrap(objects.get(key)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(24, b.remaining());
        for (float[] row : rows) {
            for (float f : row) {
                assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits(b.getFloat()));
            }
        }
        assertEquals(before, countFloatFiles(tmp));
        objects.putFloats(key, new float[0][]);
        assertEquals(0, objects.get(key).length);
        // read: the object as a stream, to the reader's end; what the reader leaves unread is not an error
        objects.putFloats(key, rows);
        assertArrayEquals(objects.get(key), objects.read(key, java.io.InputStream::readAllBytes));
        assertEquals(4, objects.read(key, in -> in.readNBytes(4)).length);
        // content-addressed: stored under the name its bytes' sha256 gives, which it returns; no temporary file left
        byte[] body = "one line\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long datasets = countFiles(tmp, "sift-dataset-");
        String sha = objects.putContentAddressed(s -> "test/ca/" + s, "sift-dataset-", "text/plain",
                out -> out.write(body));
        assertEquals(dev.sift.Sha256.hex(body), sha);
        assertArrayEquals(body, objects.get("test/ca/" + sha));
        assertEquals(sha, objects.putContentAddressed(s -> "test/ca/" + s, "sift-dataset-", "text/plain",
                out -> out.write(body)), "an intact object is kept");
        assertEquals(datasets, countFiles(tmp, "sift-dataset-"));
    }

    private static long countFloatFiles(Path dir) throws Exception {
        return countFiles(dir, "sift-floats-");
    }

    private static long countFiles(Path dir, String prefix) throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
        }
    }
}
