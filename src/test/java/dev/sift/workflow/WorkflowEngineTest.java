package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.PostgresResource;
import dev.sift.data.SyntheticShop;
import dev.sift.store.DatasetEntity;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.ScoreStore;
import dev.sift.Sha256;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine as a service: a dataset read from S3, every stage recorded, scores and metrics stored. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class WorkflowEngineTest {
    @Inject
    WorkflowEngine engine;
    @Inject
    ObjectStore objects;
    @Inject
    RunStore runs;
    @Inject
    ScoreStore scores;
    @Inject
    dev.sift.history.SampleExplainer explainer;
    @Inject
    dev.sift.store.MetricStore metricStore;
    @Inject
    dev.sift.store.DynamicsStore dynamics;

    @Test
    void runsAWorkflowWhoseDataLivesInS3() throws Exception {
        StringWriter csv = new StringWriter();
        SyntheticShop.writeCsv(SyntheticShop.generate(400, 0.2, 11), csv);
        objects.put("incoming/shop.csv", csv.toString().getBytes(StandardCharsets.UTF_8), "text/csv");
        String yaml = """
                name: from-s3
                dataset:
                  path: s3://sift/incoming/shop.csv
                  columns: {query: query, title: product_title, label: relevance, user_id: user_id,
                            noise_flag: is_noisy}
                model: {buckets: 256, dim: 8, hidden: 8}
                fine_tune: {epochs: 2}
                filter: {by: loss, keep: 0.5, order: lowest}
                evaluate: {seeds: 2, bootstrap: 200}
                iterations: 2
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("mem.yaml", yaml, Path.of("."), Map.of(), true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long id = engine.start(parsed, Path.of("mem.yaml"), null, new Console(new PrintStream(err), false));

        RunEntity run = runs.findRun(id).orElseThrow();
        assertEquals(RunEntity.Status.SUCCEEDED, run.status);
        assertEquals(8, runs.stages(id).size());
        var ingest = runs.findStage(id, "ingest", 0).orElseThrow();
        String sha = ingest.outputJson.replaceAll(".*\"dataset\":\"([0-9a-f]{64})\".*", "$1");
        DatasetEntity d = runs.dataset(sha).orElseThrow();
        assertEquals(400, d.rows + d.duplicates);
        // the prepared dataset in S3 is what its name says
        assertEquals(sha, Sha256.hex(objects.get("datasets/" + sha + "/data.jsonl")));
        assertTrue(new String(objects.get("datasets/" + sha + "/data.jsonl"), StandardCharsets.UTF_8)
                .indexOf("user-") < 0, "user ids are hashed");
        // iteration 2 scores exactly the samples iteration 1 kept
        int pool1 = scores.read(id, 1, "loss").size();
        int pool2 = scores.read(id, 2, "el2n").size();
        assertEquals(d.trainRows, pool1);
        assertEquals((int) Math.ceil(0.5 * pool1), pool2);
        double sum = scores.read(id, 1, "grad_norm").stream().mapToDouble(ScoreStore.Row::weight).sum();
        assertEquals(1.0, sum, 1e-9);
        // iteration 1: full, selected, random, majority, zero-shot; iteration 2: selected, random, random-train
        assertEquals(8, runs.metrics(id).stream().filter(m -> !m.split.equals("pool"))
                .map(m -> m.iteration + m.subset).distinct().count());
        // the data marks its noisy labels: every method's detection of them, per iteration, as pool metric rows
        for (int k = 1; k <= 2; k++) {
            int it = k;
            assertTrue(runs.metrics(id).stream().anyMatch(m -> m.iteration == it && m.split.equals("pool")
                    && m.subset.equals("loss") && m.name.equals("noise_auroc") && m.value > 0.5), "iteration " + k);
        }
        assertTrue(err.toString().contains("noise detection:"), err.toString());
        var comparisons = metricStore.comparisons(id);
        assertTrue(comparisons.stream().anyMatch(c -> c.iteration() == 2 && c.baseline().equals("random-train")
                && c.metric().equals("kappa") && c.seeds() == 2 && c.lo() <= c.delta() && c.delta() <= c.hi()),
                comparisons.toString());
        assertEquals(4 * 3 + 3 * 3, comparisons.size(), "kept against 4 models in iteration 1, 3 in 2; 3 metrics");
        assertTrue(err.toString().contains("known-noisy labels"), err.toString());
        // confident learning ran (default methods) and its flags are stored with suggestions
        var score1 = runs.findStage(id, "score", 1).orElseThrow();
        long flagged = new com.fasterxml.jackson.databind.ObjectMapper().readTree(score1.outputJson).get("flagged")
                .asLong();
        assertTrue(flagged > 0, score1.outputJson);
        // training dynamics of the fine-tune, one row per epoch
        assertEquals(java.util.List.of(1, 2), dynamics.epochs(id, "fine-tune", 0));
    }

    /** A regression task with no score.methods: only methods defined for regression run, all finite. */
    @Test
    void regressionRunsOnlyItsMethodsAndStoresFiniteScores() throws Exception {
        String yaml = """
                name: regression
                dataset:
                  generate: {rows: 300, noise: 0.1, seed: 5}
                task: {type: regression, min_label: 0, max_label: 3}
                model: {buckets: 256, dim: 8, hidden: 8}
                fine_tune: {epochs: 2}
                filter: {by: loss, keep: 0.5}
                evaluate: {zero_shot: false}
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("reg.yaml", yaml, Path.of("."), Map.of(), true);
        long id = engine.start(parsed, Path.of("reg.yaml"), null, new Console(new PrintStream(
                new ByteArrayOutputStream()), false));
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(id).orElseThrow().status);
        java.util.List<String> methods = scores.methods(id, 1);
        assertEquals(parsed.spec().score().methods().stream().sorted().toList(), methods.stream().sorted().toList());
        assertTrue(methods.containsAll(java.util.List.of("loss", "el2n", "grad_norm", "gradient_alignment")),
                methods.toString());
        assertTrue(!methods.contains("knn_shapley") && !methods.contains("aum"), methods.toString());
        for (String m : methods) {
            for (ScoreStore.Row r : scores.read(id, 1, m)) {
                assertTrue(Double.isFinite(r.score()) && Double.isFinite(r.weight()), m + ": " + r);
            }
        }
        assertTrue(runs.metrics(id).stream().anyMatch(x -> x.name.equals("rmse") && Double.isFinite(x.value)));
    }

    /**
     * A prepared dataset deleted after a run failed: resume sees ingest's output is gone and ingests again
     * instead of failing on the missing object; explain names damaged or missing objects instead of printing
     * nonsense.
     */
    @Test
    void resumeRedoesAStageWhoseOutputsAreGoneAndExplainChecksItsInputs() throws Exception {
        String yaml = """
                name: repair
                dataset:
                  generate: {rows: 200, noise: 0.1, seed: 9}
                  noise: {fraction: 0.2, kind: far, seed: 3}
                model: {buckets: 128, dim: 8, hidden: 8}
                fine_tune: {epochs: 1}
                score: {methods: [loss, el2n]}
                filter: {by: loss, keep: 0.5}
                evaluate: {zero_shot: false, seeds: 1, bootstrap: 50}
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("repair.yaml", yaml, Path.of("."), Map.of(), true);
        Console quiet = new Console(new PrintStream(new ByteArrayOutputStream()), false);
        long id = engine.start(parsed, Path.of("repair.yaml"), null, quiet);
        var ingest = runs.findStage(id, "ingest", 0).orElseThrow();
        String sha = ingest.outputJson.replaceAll(".*\"dataset\":\"([0-9a-f]{64})\".*", "$1");
        String key = "datasets/" + sha + "/data.jsonl";
        byte[] good = objects.get(key);
        var ingested = StageJson.read(ingest.outputJson, dev.sift.stage.StageOutputs.IngestOutput.class);
        assertEquals(Math.round(0.2 * ingested.train()), (long) ingested.noiseFlipped(), ingest.outputJson);

        // the run failed in its last stage, and meanwhile its prepared dataset was truncated
        var evaluate = runs.findStage(id, "evaluate", 1).orElseThrow();
        runs.failStage(evaluate.id, "killed");
        runs.finishRun(id, RunEntity.Status.FAILED, "killed");
        objects.put(key, java.util.Arrays.copyOf(good, good.length / 2), "application/x-ndjson");
        engine.resume(id, quiet);
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(id).orElseThrow().status);
        assertEquals(2, runs.findStage(id, "ingest", 0).orElseThrow().attempt, "ingest ran again");
        assertEquals(1, runs.findStage(id, "fine-tune", 0).orElseThrow().attempt, "fine-tune's weights are intact");
        assertEquals(sha, Sha256.hex(objects.get(key)), "the dataset is whole again: the same labels flipped");
        assertEquals(ingested.noiseFlipped(), StageJson.read(runs.findStage(id, "ingest", 0).orElseThrow().outputJson,
                dev.sift.stage.StageOutputs.IngestOutput.class).noiseFlipped());

        RunEntity run = runs.findRun(id).orElseThrow();
        int inPool = scores.read(id, 1, "loss").get(0).sampleIndex();
        String hidden = "runs/" + id + "/iter-1/hidden.f32";
        objects.put(hidden, java.util.Arrays.copyOf(objects.get(hidden), 10), "application/octet-stream");
        var truncated = org.junit.jupiter.api.Assertions.assertThrows(dev.sift.SiftException.class,
                () -> explainer.explain(run, 1, inPool, 3));
        assertTrue(truncated.getMessage().contains("hidden.f32 is truncated or corrupt"), truncated.getMessage());
        objects.delete(key);
        var missing = org.junit.jupiter.api.Assertions.assertThrows(dev.sift.SiftException.class,
                () -> explainer.explain(run, 1, inPool, 3));
        assertTrue(missing.getMessage().contains(key + " is missing"), missing.getMessage());
    }
}
