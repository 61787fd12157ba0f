package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.PostgresResource;
import dev.sift.data.SyntheticShop;
import dev.sift.store.DatasetEntity;
import dev.sift.store.Headroom;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine as a service: a dataset read from S3, every stage recorded, scores and metrics stored. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class WorkflowEngineTest {
    @Inject
    WorkflowEngine engine;
    @Inject
    jakarta.enterprise.inject.Instance<io.agroal.api.AgroalDataSource> dataSource; // a start without the database
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
    @Inject
    dev.sift.history.RunHistory history;

    /**
     * A missing S3 source fails between stages (the cache key reads it first): the run is FAILED with the reason. A
     * probe's was left RUNNING, and the exit's shutdown hook then recorded it as interrupted by SIGTERM.
     */
    @Test
    void aMissingS3SourceFailsTheRunWithItsReason() {
        String yaml = """
                name: missing-s3
                dataset:
                  path: s3://sift/incoming/nope.csv
                  columns: {query: query, title: product_title, label: relevance}
                model: {buckets: 256, dim: 8, hidden: 8}
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("mem.yaml", yaml, Path.of("."), Map.of(), true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        dev.sift.SiftException e = org.junit.jupiter.api.Assertions.assertThrows(dev.sift.SiftException.class,
                () -> engine.start(parsed, Path.of("mem.yaml"), null, new Console(new PrintStream(err), false)));
        assertTrue(e.getMessage().contains("s3://sift/incoming/nope.csv: no such object"), e.getMessage());
        java.util.regex.Matcher started = java.util.regex.Pattern.compile("run (\\d+) \\(missing-s3\\) started")
                .matcher(err.toString());
        assertTrue(started.find(), err.toString());
        RunEntity run = runs.findRun(Long.parseLong(started.group(1))).orElseThrow();
        assertEquals(RunEntity.Status.FAILED, run.status);
        assertTrue(run.error.contains("no such object"), run.error);
    }

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
                split: {test: 0.3}          # 6 of the 20 queries: enough for a per-query interval
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
        // beside the methods, the baseline that reads only the given label, and every method's AUROC within a label
        assertTrue(runs.metrics(id).stream().anyMatch(m -> m.iteration == 1 && m.split.equals("pool")
                && m.subset.equals("label_only") && m.name.equals("noise_f1") && m.value >= 0 && m.value <= 1));
        assertTrue(runs.metrics(id).stream().anyMatch(m -> m.iteration == 1 && m.split.equals("pool")
                && m.subset.equals("loss") && m.name.equals("noise_auroc_within") && m.value >= 0 && m.value <= 1));
        var comparisons = metricStore.comparisons(id);
        assertTrue(comparisons.stream().anyMatch(c -> c.iteration() == 2 && c.baseline().equals("random-train")
                && c.metric().equals("kappa") && c.seeds() == 2 && c.lo() <= c.delta() && c.delta() <= c.hi()),
                comparisons.toString());
        assertEquals(4 * 3 + 3 + 3 * 3 + 2 * 3, comparisons.size(), "kept against 4 models in iteration 1, full "
                + "against zero-shot, kept against 3 in 2, and random (random-train in 2) against full; 3 metrics");
        assertEquals(List.of("1 random", "2 random-train"), comparisons.stream().filter(Headroom::isHeadroom)
                .map(c -> c.iteration() + " " + c.subset()).distinct().toList());
        assertTrue(comparisons.stream().anyMatch(c -> c.iteration() == 1 && c.subset().equals("full")
                && c.baseline().equals("zero-shot")), comparisons.toString());
        assertTrue(err.toString().contains("known-noisy labels"), err.toString());
        // the fine-tuned model is measured against zero-shot on the validation split, with a warning if it loses
        assertTrue(err.toString().matches("(?s).*(the fine-tuned model beats zero-shot \\(ndcg@10 "
                + "|warning: the fine-tuned model does not beat zero-shot on the validation split in ).*"),
                err.toString());
        // confident learning ran (default methods) and its flags are stored with suggestions
        var score1 = runs.findStage(id, "score", 1).orElseThrow();
        long flagged = new com.fasterxml.jackson.databind.ObjectMapper().readTree(score1.outputJson).get("flagged")
                .asLong();
        assertTrue(flagged > 0, score1.outputJson);
        // lineage: iteration 2 filtered what iteration 1 kept; each kept subset has its own digest
        var its = runs.iterations(id);
        assertEquals(0, its.get(0).parent);
        assertEquals(1, its.get(1).parent);
        assertEquals(its.get(0).keptSize, its.get(1).poolSize);
        assertTrue(its.get(0).subsetDigest.matches("[0-9a-f]{64}") && !its.get(0).subsetDigest.equals(
                its.get(1).subsetDigest), its.get(0).subsetDigest);
        assertEquals("top_fraction", its.get(1).policy);
        String lineage = history.lineage(id).text();
        assertTrue(lineage.contains("training split") && lineage.contains("iteration 1"), lineage);
        // training dynamics of the fine-tune, one row per epoch
        assertEquals(java.util.List.of(1, 2), dynamics.epochs(id, "fine-tune", 0));
    }

    /**
     * A utility split from a file of its own, here in S3 beside local training and test files: ingest puts its rows in
     * the utility split and draws nothing for it, TracIn values every training sample against it, and the manifest
     * names it.
     */
    @Test
    void aGivenUtilityFileIsTheUtilitySplit(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        List<SyntheticShop.Row> rows = SyntheticShop.generate(600, 0.1, 5);
        List<String> queries = rows.stream().map(SyntheticShop.Row::query).distinct().toList();
        StringBuilder[] files = {new StringBuilder(), new StringBuilder(), new StringBuilder()}; // train, utility, test
        int utilityRows = 0;
        for (SyntheticShop.Row r : rows) {
            int q = queries.indexOf(r.query()) % 5; // by query: 3 of 5 train, one utility, one test
            int f = q < 3 ? 0 : q == 3 ? 1 : 2;
            files[f].append(r.query()).append(',').append(r.title().replace(",", " ")).append(',').append(r.label())
                    .append('\n');
            utilityRows += f == 1 ? 1 : 0;
        }
        String header = "query,title,label\n";
        java.nio.file.Files.writeString(dir.resolve("train.csv"), header + files[0]);
        java.nio.file.Files.writeString(dir.resolve("test.csv"), header + files[2]);
        objects.put("incoming/curated.csv", (header + files[1]).getBytes(StandardCharsets.UTF_8), "text/csv");
        String yaml = """
                name: curated-utility
                dataset:
                  path: train.csv
                  utility: s3://sift/incoming/curated.csv
                  test: test.csv
                  columns: {query: query, title: title, label: label}
                model: {buckets: 256, dim: 8, hidden: 8}
                fine_tune: {epochs: 2}
                score: {methods: [loss, tracin]}
                filter: {by: tracin, keep: 0.5}
                evaluate: {seeds: 1, bootstrap: 100}
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("mem.yaml", yaml, dir, Map.of(), true);
        assertEquals(0.0, parsed.spec().split().utility());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long id = engine.start(parsed, dir.resolve("mem.yaml"), null, new Console(new PrintStream(err), false));
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(id).orElseThrow().status, err.toString());
        var manifest = new com.fasterxml.jackson.databind.ObjectMapper().readTree(objects.get(
                dev.sift.store.RunLayout.manifest(sha(id))));
        assertEquals(utilityRows, manifest.get("utility").asInt(), manifest.toString());
        assertEquals("s3://sift/incoming/curated.csv", manifest.get("utility_source").asText());
        DatasetEntity d = runs.dataset(sha(id)).orElseThrow();
        assertTrue(d.validationRows > 0, "validation is still drawn from the training file's queries");
        assertEquals(d.trainRows, scores.read(id, 1, "tracin").size());
        assertTrue(err.toString().contains("/ utility " + utilityRows + " /"), err.toString());
        // the utility file alone: validation and test are drawn from the training file's queries
        WorkflowParser.Parsed alone = WorkflowParser.parse("mem.yaml", yaml.replace("  test: test.csv\n", ""), dir,
                Map.of(), true);
        long second = engine.start(alone, dir.resolve("mem.yaml"), null, new Console(new PrintStream(err), false));
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(second).orElseThrow().status, err.toString());
        DatasetEntity drawn = runs.dataset(sha(second)).orElseThrow();
        assertTrue(drawn.testRows > 0 && drawn.validationRows > 0, drawn.testRows + " " + drawn.validationRows);
        assertEquals(d.trainRows + d.validationRows, drawn.trainRows + drawn.validationRows + drawn.testRows,
                "the training file's rows, split three ways");
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
                score: {seeds: 2}
                evaluate: {zero_shot: false, curve: [0.5]}
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("reg.yaml", yaml, Path.of("."), Map.of(), true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long id = engine.start(parsed, Path.of("reg.yaml"), null, new Console(new PrintStream(err), false));
        // score.seeds: 2 trains one more scoring model per iteration and averages every method over both
        assertTrue(err.toString().contains("scoring seed 2/2"), err.toString());
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
        // the curve: random and every method from both ends at half the pool, each compared with random there
        var curve = metricStore.curve(id);
        assertEquals(1 + 2 * methods.size(), curve.size(), curve.toString());
        int half = (int) Math.round(0.5 * runs.iterations(id).get(0).poolSize);
        for (var p : curve) {
            assertEquals(0.5, p.fraction());
            assertEquals(half, p.metrics().get("train_size"), 0.0, p.toString());
            assertTrue(Double.isFinite(p.metrics().get("rmse")), p.toString());
        }
        var vsRandom = metricStore.comparisons(id).stream().filter(c -> c.subset().equals("loss lowest@0.5")
                && c.baseline().equals("random@0.5")).toList();
        assertEquals(2, vsRandom.size(), "ndcg@10 and rmse: " + vsRandom);
        assertTrue(history.comparisons(id).text().lines().noneMatch(l -> l.contains("@0.5")));
        assertEquals(1 + 2 * methods.size(), history.curve(id).size());
        assertTrue(history.curve(id).text().contains("ndcg@10 - random"));
    }

    /**
     * Stratified curve points are compared with a random draw of the same count per (query, grade) stratum, the
     * control the filter gives a stratified pick, and not with the uniform random point.
     */
    @Test
    void stratifiedCurvePointsAreComparedWithAStratifiedRandomDraw() {
        String yaml = """
                name: strata-curve
                dataset:
                  generate: {rows: 300, noise: 0.1, seed: 5}
                model: {buckets: 256, dim: 8, hidden: 8}
                fine_tune: {epochs: 2}
                score: {methods: [loss]}
                filter: {by: loss, keep: 0.5}
                evaluate: {zero_shot: false, seeds: 2, curve: [0.5], curve_policies: [top_fraction, stratified]}
                iterations: 1
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("strata.yaml", yaml, Path.of("."), Map.of(), true);
        long id = engine.start(parsed, Path.of("strata.yaml"), null, new Console(new PrintStream(
                new ByteArrayOutputStream()), false));
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(id).orElseThrow().status);
        var curve = metricStore.curve(id);
        var strata = curve.stream().filter(p -> p.subset().equals("random stratified")).toList();
        assertEquals(1, strata.size(), curve.toString());
        var lowest = curve.stream().filter(p -> p.subset().equals("loss lowest stratified")).findFirst().orElseThrow();
        assertEquals(lowest.metrics().get("train_size"), strata.get(0).metrics().get("train_size"), "the same count");
        var bases = metricStore.comparisons(id).stream().filter(c -> c.subset().endsWith("@0.5")).collect(
                java.util.stream.Collectors.groupingBy(c -> c.subset(), java.util.stream.Collectors.mapping(
                        c -> c.baseline(), java.util.stream.Collectors.toSet())));
        assertEquals(java.util.Set.of("random stratified@0.5"), bases.get("loss lowest stratified@0.5"));
        assertEquals(java.util.Set.of("random stratified@0.5"), bases.get("loss highest stratified@0.5"));
        assertEquals(java.util.Set.of("random@0.5"), bases.get("loss lowest@0.5"));
    }

    /** fine_tune.device: gpu on a machine without one stops the hashed model too (it once trained on the CPU silently). */
    @Test
    void gpuWithoutOneStopsTheHashedModelsFineTuneToo() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0);
        String yaml = """
                name: gpu
                dataset:
                  generate: {rows: 200, noise: 0.1, seed: 5}
                model: {buckets: 256, dim: 8, hidden: 8}
                fine_tune: {epochs: 1, device: gpu}
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("gpu.yaml", yaml, Path.of("."), Map.of(), true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> engine.start(parsed, Path.of("gpu.yaml"), null, new Console(new PrintStream(err), false)));
        String said = e + " " + err;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            said += " " + t.getMessage();
        }
        assertTrue(said.contains("PyTorch sees no GPU"), said);
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
        // and it was started by an older Sift whose evaluate defaults differed: the resume keeps those values
        try (var c = dataSource.get().getConnection(); var st = c.prepareStatement("UPDATE run SET params = params || "
                + "CAST(? AS jsonb) WHERE id = ?")) {
            st.setString(1, "{\"evaluate.bootstrap_seeds\": \"false\", \"evaluate.bootstrap\": 60}");
            st.setLong(2, id);
            assertEquals(1, st.executeUpdate());
        }
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        engine.resume(id, new Console(new PrintStream(said, true, StandardCharsets.UTF_8), false));
        assertTrue(said.toString(StandardCharsets.UTF_8).contains("run " + id + ": kept the values it started with "
                + "where this Sift's defaults differ: evaluate.bootstrap = 60 (this Sift: 50), "
                + "evaluate.bootstrap_seeds = false (this Sift: true)"), said.toString(StandardCharsets.UTF_8));
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

    /**
     * With dataset.noise the run stores the flipped labels' values before the flip (the same as the data without
     * the noise), trains the clean reference per seed and compares the full model and the kept subset with it.
     */
    @Test
    void injectedNoiseIsMeasuredAgainstACleanReference() throws Exception {
        String yaml = """
                name: clean-reference
                dataset:
                  generate: {rows: 240, noise: 0.0, seed: 6}
                  noise: {fraction: %s, kind: far, seed: 2}
                model: {buckets: 128, dim: 8, hidden: 8}
                fine_tune: {epochs: 2}
                score: {methods: [loss]}
                filter: {by: loss, keep: 0.8, order: lowest}
                evaluate: {zero_shot: false, seeds: 2, bootstrap: 50}
                iterations: 1
                """;
        Console quiet = new Console(new PrintStream(new ByteArrayOutputStream()), false);
        long noisy = engine.start(WorkflowParser.parse("n.yaml", yaml.formatted("0.25"), Path.of("."), Map.of(), true),
                Path.of("n.yaml"), null, quiet);
        long none = engine.start(WorkflowParser.parse("c.yaml", yaml.formatted("0.0"), Path.of("."), Map.of(), true),
                Path.of("c.yaml"), null, quiet);
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(noisy).orElseThrow().status);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var noisyData = dev.sift.data.PreparedDataset.read(objects.get("datasets/" + sha(noisy) + "/data.jsonl"));
        var cleanData = dev.sift.data.PreparedDataset.read(objects.get("datasets/" + sha(none) + "/data.jsonl"));
        var flips = json.readTree(objects.get(dev.sift.store.RunLayout.noise(sha(noisy))));
        int train = (int) noisyData.stream().filter(x -> x.split() == dev.sift.data.Split.TRAIN).count();
        assertEquals(Math.round(0.25 * train), flips.get("indices").size());
        for (int k = 0; k < flips.get("indices").size(); k++) {
            int i = flips.get("indices").get(k).asInt();
            assertTrue(noisyData.get(i).noisy());
            assertEquals(cleanData.get(i).label(), flips.get("original").get(k).asDouble(), 0.0, "sample " + i);
            assertTrue(noisyData.get(i).label() != cleanData.get(i).label(), "a far flip changes the grade");
        }

        var clean = runs.metrics(noisy).stream().filter(m -> m.subset.equals("full-clean") && m.split.equals("test")
                && m.seed == null).toList();
        assertEquals(train, clean.stream().filter(m -> m.name.equals("train_size")).findFirst().orElseThrow().value);
        assertTrue(Double.isFinite(clean.stream().filter(m -> m.name.equals("kappa")).findFirst().orElseThrow()
                .value));
        var against = metricStore.comparisons(noisy).stream().filter(c -> c.baseline().equals("full-clean")).toList();
        assertTrue(against.stream().anyMatch(c -> c.subset().equals("full") && c.metric().equals("kappa")), against
                .toString());
        assertTrue(against.stream().anyMatch(c -> c.subset().equals("selected") && c.metric().equals("kappa")));
        // runs show prints the cost and the share recovered, per metric
        assertTrue(history.noiseRecovery(noisy).stream().anyMatch(l -> l.contains("noise cost the full model kappa")),
                history.noiseRecovery(noisy).toString());
        // without flipped labels there is nothing to compare with
        assertTrue(runs.metrics(none).stream().noneMatch(m -> m.subset.equals("full-clean")));
        assertTrue(history.noiseRecovery(none).isEmpty());
        // the clean reference is the model the data without noise gives, graded by the clean labels' shares
        for (String metric : new String[] {"kappa", "accuracy", "ndcg@10"}) {
            double ref = clean.stream().filter(m -> m.name.equals(metric)).findFirst().orElseThrow().value;
            double full = runs.metrics(none).stream().filter(m -> m.subset.equals("full") && m.split.equals("test")
                    && m.seed == null && m.name.equals(metric)).findFirst().orElseThrow().value;
            assertEquals(full, ref, 1e-9, metric);
        }
    }

    @Test
    void runningTheSameWorkflowAgainGivesTheSameIntervals() throws Exception {
        String yaml = """
                name: rerun
                cache: false
                dataset:
                  generate: {rows: 1200, noise: 0.1, seed: 6}
                model: {buckets: 128, dim: 8, hidden: 8}
                fine_tune: {epochs: 2}
                score: {methods: [loss]}
                filter: {by: loss, keep: 0.8, order: lowest}
                evaluate: {zero_shot: false, seeds: 2, bootstrap: 200}
                iterations: 1
                """;
        Console quiet = new Console(new PrintStream(new ByteArrayOutputStream()), false);
        long first = engine.start(WorkflowParser.parse("r.yaml", yaml, Path.of("."), Map.of(), true),
                Path.of("r.yaml"), null, quiet);
        long second = engine.start(WorkflowParser.parse("r.yaml", yaml, Path.of("."), Map.of(), true),
                Path.of("r.yaml"), null, quiet);
        var a = metricStore.comparisons(first);
        var b = metricStore.comparisons(second);
        assertFalse(a.isEmpty());
        // the models are the same bit for bit, so only the bootstrap's draws could differ: they must not
        assertEquals(a, b);
    }

    private String sha(long run) {
        return runs.findStage(run, "ingest", 0).orElseThrow().outputJson
                .replaceAll(".*\"dataset\":\"([0-9a-f]{64})\".*", "$1");
    }

    /** weighted and relabel train the whole pool, the kept set with its adjustments and the control with its own. */
    @Test
    void weightedAndRelabelTrainEveryPoolSampleWithTheirAdjustments() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String policy : new String[] {"weighted", "relabel"}) {
            String yaml = """
                    name: %s
                    dataset:
                      generate: {rows: 240, noise: 0.2, seed: 4}
                    model: {buckets: 128, dim: 8, hidden: 8}
                    fine_tune: {epochs: 2}
                    score: {methods: [loss, label_quality]}
                    filter: {by: loss, order: lowest, policy: %s}
                    evaluate: {zero_shot: false, seeds: 1, bootstrap: 50}
                    iterations: 1
                    """.formatted(policy, policy);
            WorkflowParser.Parsed parsed = WorkflowParser.parse(policy + ".yaml", yaml, Path.of("."), Map.of(), true);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            long id = engine.start(parsed, Path.of(policy + ".yaml"), null, new Console(new PrintStream(err), false));
            assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(id).orElseThrow().status, err.toString());
            int pool = scores.read(id, 1, "loss").size();
            var kept = json.readTree(objects.get(dev.sift.store.RunLayout.selected(id, 1)));
            var control = json.readTree(objects.get(dev.sift.store.RunLayout.random(id, 1)));
            assertEquals(pool, kept.get("indices").size(), "every pool sample trains");
            assertEquals(pool, control.get("indices").size());
            if (policy.equals("weighted")) {
                double sum = 0;
                for (var w : kept.get("weights")) {
                    sum += w.asDouble();
                }
                assertEquals(pool, sum, 1e-6, "weights average 1");
                assertTrue(control.has("weights") && !control.get("weights").equals(kept.get("weights")));
                assertTrue(err.toString().contains("loss weights (mean 1)"), err.toString());
            } else {
                long changed = 0;
                for (var l : kept.get("labels")) {
                    changed += l.asInt() >= 0 ? 1 : 0;
                }
                assertTrue(changed > 0, "confident learning flagged some of the 20% noisy labels");
                assertTrue(err.toString().contains("relabelled " + changed + " samples"), err.toString());
            }
        }
    }

    /** A plateau rule that always holds stops after iteration 2, the first with an iteration to compare with. */
    @Test
    void scoringCheckpointPicksTheWeightsThatScore() throws Exception {
        String yaml = """
                name: checkpoints
                dataset:
                  generate: {rows: 200, noise: 0.1, seed: 6}
                model: {buckets: 128, dim: 8, hidden: 8}
                fine_tune: {epochs: 3}
                score: {methods: [loss, aum]}
                filter: {by: loss, keep: 0.8}
                evaluate: {zero_shot: false, seeds: 1, bootstrap: 50}
                iterations: 2
                """;
        long[] ids = new long[3];
        String[] which = {"best", "epoch:1", "mean"};
        for (int i = 0; i < 3; i++) {
            // mean also cross-fits: every checkpoint's scoring reads the same out-of-fold predictions
            Map<String, String> set = i < 2 ? Map.of("score.checkpoint", which[i]) : Map.of("score.checkpoint",
                    which[i], "score.cross_fit", "2", "score.methods", "[loss, aum, oof_loss]");
            WorkflowParser.Parsed parsed = WorkflowParser.parse("c.yaml", yaml, Path.of("."), set, true);
            ids[i] = engine.start(parsed, Path.of("c.yaml"), null, new Console(new PrintStream(
                    new ByteArrayOutputStream()), false));
            assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(ids[i]).orElseThrow().status);
        }
        // best scores with the trained weights; epoch:1 with the weights after the first epoch, stored beside them
        assertTrue(!runs.findStage(ids[0], "fine-tune", 0).orElseThrow().outputJson.contains("\"scoring_weights\":["));
        String ft = runs.findStage(ids[1], "fine-tune", 0).orElseThrow().outputJson;
        String score = runs.findStage(ids[1], "score", 1).orElseThrow().outputJson;
        assertTrue(ft.contains("\"scoring_weights\":[\""), ft);
        String first = ft.replaceAll(".*\"scoring_weights\":\\[\"([0-9a-f]+)\".*", "$1");
        assertTrue(score.contains("\"model\":\"" + first + "\""), score + " / " + ft);
        assertTrue(!ft.contains("\"weights\":\"" + first + "\""), "epoch 1 is not the trained model: " + ft);
        // the same fine-tune, scored at other weights: other losses; aum reads only the first epoch's dynamics
        for (String method : new String[] {"loss", "aum"}) {
            double[] b = scores.read(ids[0], 1, method).stream().mapToDouble(ScoreStore.Row::score).toArray();
            double[] e = scores.read(ids[1], 1, method).stream().mapToDouble(ScoreStore.Row::score).toArray();
            assertEquals(b.length, e.length);
            assertTrue(!java.util.Arrays.equals(b, e), method);
        }
        // mean: three checkpoints score, and the kept model of iteration 1 keeps its own for iteration 2
        assertEquals(3, runs.findStage(ids[2], "fine-tune", 0).orElseThrow().outputJson.split("\"scoring_weights\":\\[")[1]
                .split("]")[0].split(",").length);
        assertTrue(runs.findStage(ids[2], "evaluate", 1).orElseThrow().outputJson.contains("\"selected_scoring\":[\""));
        assertEquals(scores.read(ids[0], 1, "loss").size(), scores.read(ids[2], 1, "loss").size());
        assertEquals(scores.read(ids[2], 1, "loss").size(), scores.read(ids[2], 1, "oof_loss").size());
        assertTrue(scores.read(ids[2], 2, "oof_loss").stream().allMatch(r -> Double.isFinite(r.score())));
    }

    @Test
    void aStopRuleEndsTheIterationsEarlyAndSaysWhy() throws Exception {
        String yaml = """
                name: stops
                dataset:
                  generate: {rows: 200, noise: 0.1, seed: 6}
                model: {buckets: 128, dim: 8, hidden: 8}
                fine_tune: {epochs: 1}
                score: {methods: [loss]}
                filter: {by: loss, keep: 0.8}
                evaluate: {zero_shot: false, seeds: 1, bootstrap: 50, stop: {metric: kappa, plateau: 10}}
                iterations: 4
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("stops.yaml", yaml, Path.of("."), Map.of(), true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long id = engine.start(parsed, Path.of("stops.yaml"), null, new Console(new PrintStream(err), false));
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(id).orElseThrow().status);
        assertEquals(2 + 2 * 3, runs.stages(id).size(), "iterations 3 and 4 did not run");
        assertTrue(err.toString().contains("stop rule: the kept subset's kappa moved by")
                && err.toString().contains("iterations 3-4 are not run"), err.toString());
        assertTrue(history.stopped(id).orElseThrow().startsWith("iterations ended after iteration 2 of 4: the kept "
                + "subset's kappa moved by"), history.stopped(id).toString());
        assertTrue(runs.findStage(id, "evaluate", 2).orElseThrow().outputJson.contains("\"stop\""));
        assertTrue(!runs.findStage(id, "evaluate", 1).orElseThrow().outputJson.contains("\"stop\""));
        // the rule read the validation split: the kept and full models were measured there
        assertTrue(runs.metrics(id).stream().anyMatch(m -> m.iteration == 2 && m.split.equals("validation")
                && m.subset.equals("selected") && m.name.equals("kappa")));
        assertTrue(runs.metrics(id).stream().anyMatch(m -> m.iteration == 1 && m.split.equals("validation")
                && m.subset.equals("full") && m.name.equals("kappa")));
    }

    /** A filter that kept its whole pool ends the iterations after evaluating its own: nothing is left to filter. */
    @Test
    void aPoolKeptWholeEndsTheIterations() throws Exception {
        String yaml = """
                name: whole
                dataset:
                  generate: {rows: 200, noise: 0.1, seed: 6}
                model: {buckets: 128, dim: 8, hidden: 8}
                fine_tune: {epochs: 1}
                score: {methods: [loss]}
                filter: {by: loss, keep: 1.0}
                evaluate: {zero_shot: false, seeds: 1, bootstrap: 50}
                iterations: 3
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("whole.yaml", yaml, Path.of("."), Map.of(), true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long id = engine.start(parsed, Path.of("whole.yaml"), null, new Console(new PrintStream(err), false));
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(id).orElseThrow().status);
        assertEquals(2 + 3, runs.stages(id).size(), "iteration 1 evaluated, iterations 2 and 3 not run");
        assertTrue(err.toString().contains("stop rule: nothing left to filter: top_fraction kept the whole pool")
                && err.toString().contains("iterations 2-3 are not run"), err.toString());
        assertTrue(history.stopped(id).orElseThrow().startsWith("iterations ended after iteration 1 of 3: nothing left "
                + "to filter: top_fraction kept the whole pool ("), history.stopped(id).toString());
    }

    /**
     * A stop rule on a metric no validation query informs (MRR where every query's pairs share one label) cannot fire:
     * the run says so in every iteration instead of going on without a word (a probe's, stop 56).
     */
    @Test
    void aStopRuleOnAMetricUndefinedOnValidationSaysItCannotFire(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        StringBuilder csv = new StringBuilder("query,title,clicked\n");
        for (int q = 0; q < 40; q++) { // every query all clicked or none: no query has both labels
            for (int i = 0; i < 5; i++) {
                csv.append("query ").append(q).append(",item ").append(q).append(' ').append(i).append(',')
                        .append(q % 2).append('\n');
            }
        }
        Path data = java.nio.file.Files.writeString(dir.resolve("clicks.csv"), csv);
        String yaml = """
                name: undefined-stop
                dataset:
                  path: %s
                  columns: {query: query, title: title, label: clicked}
                task: {type: binary}
                model: {buckets: 128, dim: 8, hidden: 8}
                fine_tune: {epochs: 1}
                score: {methods: [loss]}
                filter: {by: loss, keep: 0.8}
                evaluate: {zero_shot: false, seeds: 1, bootstrap: 50, stop: {metric: mrr, plateau: 10}}
                iterations: 3
                """.formatted(data);
        WorkflowParser.Parsed parsed = WorkflowParser.parse("u.yaml", yaml, dir, Map.of(), true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long id = engine.start(parsed, dir.resolve("u.yaml"), null, new Console(new PrintStream(err), false));
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(id).orElseThrow().status, err.toString());
        assertEquals(2 + 3 * 3, runs.stages(id).size(), "every iteration ran: a plateau of 10 on a defined metric "
                + "would have stopped after the second");
        assertEquals(3, err.toString().split("stop rule: the kept subset's mrr is undefined on the validation split",
                -1).length - 1, err.toString());
    }

    /** With filter.candidates the validation split picks the policy; the test split measures only the pick. */
    @Test
    void validationPicksThePolicyAmongTheCandidates() throws Exception {
        String yaml = """
                name: picks
                dataset:
                  generate: {rows: 240, noise: 0.2, seed: 8}
                model: {buckets: 128, dim: 8, hidden: 8}
                fine_tune: {epochs: 1}
                score: {methods: [loss]}
                filter: {by: loss, keep: 0.6, candidates: [top_fraction, ccs, weighted]}
                evaluate: {zero_shot: false, seeds: 1, bootstrap: 50}
                iterations: 1
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("picks.yaml", yaml, Path.of("."), Map.of(), true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long id = engine.start(parsed, Path.of("picks.yaml"), null, new Console(new PrintStream(err), false));
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(id).orElseThrow().status, err.toString());
        var out = new com.fasterxml.jackson.databind.ObjectMapper().readTree(runs.findStage(id, "filter", 1)
                .orElseThrow().outputJson);
        assertEquals(3, out.get("candidates").size(), out.toString());
        String picked = out.get("policy").asText();
        double best = Double.NEGATIVE_INFINITY;
        String first = null;
        for (var c : out.get("candidates")) {
            assertEquals("kappa", c.get("metric").asText());
            if (c.get("validation").asDouble() > best) {
                best = c.get("validation").asDouble();
                first = c.get("policy").asText();
            }
        }
        assertEquals(first, picked, "the first candidate with the highest validation kappa");
        assertTrue(err.toString().contains("validation picked " + picked + " by kappa"), err.toString());
        assertEquals(picked + " (validation's pick of 3)", runs.iterations(id).get(0).policy);
        // only the pick is measured on test
        assertEquals(1, runs.metrics(id).stream().filter(m -> m.subset.equals("selected") && m.name.equals("kappa"))
                .count());
    }
}
