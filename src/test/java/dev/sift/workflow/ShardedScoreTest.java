package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.PostgresResource;
import dev.sift.SiftException;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.ScoreStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Four shards of the score stage, started at once, store exactly the scores of one unsharded run; a shard run again
 * adds no rows; the run then resumes to the same metrics.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ShardedScoreTest {
    private static final String YAML = """
            name: sharded
            dataset:
              generate: {rows: 2000, noise: 0.2, seed: 77}
            model: {buckets: 256, dim: 8, hidden: 8}
            fine_tune: {epochs: 2, seed: 3}
            score: {methods: [loss, el2n, grand, label_quality, knn_shapley, aum]}
            filter: {by: loss, keep: 0.6, order: lowest}
            evaluate: {seeds: 1, bootstrap: 100, zero_shot: false}
            iterations: 1
            """;

    @Inject
    WorkflowEngine engine;
    @Inject
    RunStore runs;
    @Inject
    ScoreStore scores;
    @Inject
    dev.sift.store.ScheduleLocks locks;
    @Inject
    Instance<AgroalDataSource> dataSource;

    private static Console quiet() {
        return new Console(new PrintStream(new ByteArrayOutputStream()), false);
    }

    private int count(String sql) throws Exception {
        try (Connection c = dataSource.get().getConnection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private int shardRows(long runId) throws Exception {
        try (Connection c = dataSource.get().getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*) FROM score_shard WHERE run_id = " + runId)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void fourConcurrentShardsStoreTheScoresOfOneUnshardedRun() throws Exception {
        WorkflowParser.Parsed parsed = WorkflowParser.parse("sharded.yaml", YAML, Path.of("."), Map.of(), true);
        long whole = engine.start(parsed, Path.of("sharded.yaml"), "whole", quiet());
        // cache off: the steps after score would otherwise be copied from the unsharded run (same keys), and the
        // metrics compared below would be that run's own
        WorkflowParser.Parsed uncached = WorkflowParser.parse("sharded.yaml", YAML, Path.of("."),
                Map.of("cache", "false"), true);
        long before = count("SELECT count(*) FROM run");
        for (String later : List.of("score", "bogus")) {
            SiftException notFirst = assertThrows(SiftException.class, () -> engine.startOnly(uncached,
                    Path.of("sharded.yaml"), "sharded", later, quiet()));
            assertTrue(notFirst.getMessage().contains("a new run starts with ingest"), notFirst.getMessage());
        }
        assertEquals(before, count("SELECT count(*) FROM run"), "a refused --only-stage left a run behind");
        long sharded = engine.startOnly(uncached, Path.of("sharded.yaml"), "sharded", "ingest", quiet());
        assertEquals(RunEntity.Status.INTERRUPTED, runs.findRun(sharded).orElseThrow().status);
        SiftException early = assertThrows(SiftException.class, () -> engine.executeOnly(sharded, "score", 1,
                new Shard(0, 4), quiet()));
        assertTrue(early.getMessage().contains("fine-tune has not finished"), early.getMessage());
        engine.executeOnly(sharded, "fine-tune", null, null, quiet());
        // a step that cannot be sharded is refused whether it has finished or not (a finished one said "nothing to
        // do" with exit code 0, a probe's)
        for (String stage : List.of("ingest", "fine-tune", "filter")) {
            SiftException unsharded = assertThrows(SiftException.class, () -> engine.executeOnly(sharded, stage,
                    stage.equals("filter") ? 1 : null, new Shard(0, 2), quiet()));
            assertTrue(unsharded.getMessage().equals(stage + " cannot be sharded (--shard applies to score)"),
                    unsharded.getMessage());
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console log = new Console(new PrintStream(err, true), false);
        for (int i = 0; i < 4; i++) {
            Shard s = new Shard(i, 4);
            done.add(pool.submit(() -> engine.executeOnly(sharded, "score", 1, s, log)));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("from 4 shards"), text);
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findStage(sharded, "score", 1).orElseThrow().status);
        assertEquals(4, shardRows(sharded));
        int pool1 = scores.read(whole, 1, "loss").size();
        assertTrue(pool1 > 3 * 256, "every shard has whole batches to compute: " + pool1);
        for (String m : List.of("loss", "el2n", "grand", "label_quality", "knn_shapley", "aum")) {
            assertEquals(scores.read(whole, 1, m), scores.read(sharded, 1, m), m + ": scores and weights, exactly");
        }
        assertEquals(scores.suggestions(whole, 1), scores.suggestions(sharded, 1));

        // a shard run again after the stage finished changes nothing and duplicates nothing
        engine.executeOnly(sharded, "score", 1, new Shard(2, 4), quiet());
        assertEquals(4, shardRows(sharded));
        assertEquals(pool1, scores.read(sharded, 1, "loss").size());

        // filter alone writes the lineage row (a run stopped in evaluate still shows what was kept); evaluate adds
        // the kept model's weights to the same row
        // a whole step is run by one process at a time: a second one started beside it is refused (exit code 4)
        try (var held = locks.tryLock(WorkflowEngine.stepLock(sharded, "filter", 1)).orElseThrow()) {
            SiftException busy = assertThrows(SiftException.class, () -> engine.executeOnly(sharded, "filter", 1,
                    null, quiet()));
            assertEquals(dev.sift.ExitCodes.BUSY, busy.exitCode(), busy.getMessage());
            assertTrue(busy.getMessage().contains("is being run by another process"), busy.getMessage());
        }
        engine.executeOnly(sharded, "filter", 1, null, quiet());
        var filtered = runs.iterations(sharded);
        assertEquals(1, filtered.size());
        assertTrue(filtered.get(0).keptSize > 0 && filtered.get(0).selectedWeights == null);
        engine.resume(sharded, quiet());
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(sharded).orElseThrow().status);
        var evaluated = runs.iterations(sharded);
        assertEquals(1, evaluated.size());
        assertTrue(evaluated.get(0).selectedWeights != null);
        assertEquals(filtered.get(0).subsetDigest, evaluated.get(0).subsetDigest);
        runs.stages(sharded).forEach(st -> assertEquals(null, st.reusedFrom, st.stage + " computed here"));
        assertFalse(runs.metrics(whole).isEmpty());
        assertEquals(metrics(whole), metrics(sharded));
    }

    private List<String> metrics(long runId) {
        return runs.metrics(runId).stream().filter(m -> !m.name.contains("seconds"))
                .map(m -> m.iteration + " " + m.split + " " + m.subset + " " + m.name + " " + m.seed + " " + m.value)
                .sorted().toList();
    }

    @Test
    void aStageRunAloneMakesItsChecksToo() {
        WorkflowParser.Parsed tiny = WorkflowParser.parse("sharded.yaml", YAML, Path.of("."),
                Map.of("cache", "false", "evaluate.curve", "[0.001]"), true);
        long id = engine.startOnly(tiny, Path.of("sharded.yaml"), "tiny-curve", "ingest", quiet());
        SiftException refused = assertThrows(SiftException.class, () -> engine.executeOnly(id, "fine-tune", null,
                null, quiet()));
        assertEquals(dev.sift.ExitCodes.USAGE, refused.exitCode());
        assertTrue(refused.getMessage().contains("evaluate.curve: 0.001 keeps"), refused.getMessage());
        assertEquals(RunEntity.Status.FAILED, runs.findStage(id, "fine-tune", 0).orElseThrow().status,
                "the check failed the stage before it trained");
    }

    @Test
    void aShardIsAValidSliceOfWholeBatches() {
        int covered = 0;
        for (int i = 0; i < 4; i++) {
            int[] r = new Shard(i, 4).slice(1000, 256);
            assertEquals(covered, r[0]);
            assertTrue(r[0] % 256 == 0);
            covered = r[1];
        }
        assertEquals(1000, covered);
        assertEquals("--shard 4/4: the index counts from 0, so it must be 0..3",
                assertThrows(SiftException.class, () -> Shard.parse("4/4")).getMessage());
        assertEquals("--shard 0/0: the count is at least 1", // a probe's: "must be 0..-1"
                assertThrows(SiftException.class, () -> Shard.parse("0/0")).getMessage());
        assertEquals("--shard 1/1: the index counts from 0, so it must be 0",
                assertThrows(SiftException.class, () -> Shard.parse("1/1")).getMessage());
        assertThrows(SiftException.class, () -> Shard.parse("a/b"));
        assertEquals(new Shard(1, 3), Shard.fromEnvironment(Map.of("AWS_BATCH_JOB_ARRAY_INDEX", "1",
                "AWS_BATCH_JOB_ARRAY_SIZE", "3")));
    }
}
