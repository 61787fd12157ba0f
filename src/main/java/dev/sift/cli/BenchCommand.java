package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.history.Table;
import dev.sift.model.BertConfig;
import dev.sift.model.ModelBenchmark;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench model}: DJL vs PyTorch on the same model, batch and machine, in one run. */
@Command(name = "bench", description = "Benchmarks (no database needed).", subcommands = {BenchCommand.ModelBench.class,
    BenchCommand.NoiseBench.class, BenchCommand.KnnBench.class, BenchCommand.GrandBench.class})
public class BenchCommand {

    /** Ghost-norm GraNd against the per-sample autograd loop, same model and samples, same run. */
    @Command(name = "grand", description = "Per-sample gradient norms over all parameters of the hashed model: "
            + "ghost norms for a whole batch against one-sample-at-a-time autograd; prints times, ratio and the "
            + "largest relative difference.")
    public static class GrandBench implements Callable<Integer> {
        @Option(names = "--batch", defaultValue = "32", description = "batch size (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--batches", defaultValue = "20", description = "batches measured (default: "
                + "${DEFAULT-VALUE})")
        int batches;

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() {
            int n = batch * batches;
            var rows = dev.sift.data.SyntheticShop.generate(n, 0.1, 3);
            java.util.List<dev.sift.data.Sample> samples = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                var r = rows.get(i);
                samples.add(new dev.sift.data.Sample(i, r.query(), r.title(), r.description(), r.label(), r.query(),
                        null, false, dev.sift.data.Split.TRAIN, i + 2));
            }
            var model = new dev.sift.model.ModelSpec(dev.sift.model.ModelSpec.Encoder.HASHED_BOW, null, dev.sift.model.ModelSpec.Mode.FULL, 2, 64, dev.sift.model.ModelSpec.Pooling.MEAN, 4096,
                    64, 64);
            var task = new dev.sift.data.TaskSpec(dev.sift.data.TaskType.GRADED, 0, 3);
            var data = dev.sift.model.EncodedPairs.encode(samples, model.buckets());
            var targets = dev.sift.model.Targets.of(task, samples.stream().mapToDouble(dev.sift.data.Sample::label)
                    .toArray());
            var trainer = new dev.sift.model.RelevanceTrainer(model, data, 4, false);
            int[] all = java.util.stream.IntStream.range(0, n).toArray();
            byte[] w = trainer.train(trainer.initialWeights(1), targets, all, new int[0],
                    new dev.sift.model.TrainSpec(2, 64, 0.003, 1, 0.01, 0.1, 1.0, 0, dev.sift.model.TrainSpec.DeviceChoice.CPU),
                    dev.sift.model.RelevanceTrainer.Listener.NONE).weights();
            int[] cls = targets.classes();
            dev.sift.model.GhostGradNorms.compute(w, data, cls, java.util.Arrays.copyOf(all, batch), 64, 64, 4,
                    batch);
            dev.sift.model.GhostGradNorms.perSampleLoop(w, data, cls, java.util.Arrays.copyOf(all, batch), 64, 64,
                    4);
            long t0 = System.nanoTime();
            double[] ghost = dev.sift.model.GhostGradNorms.compute(w, data, cls, all, 64, 64, 4, batch);
            double ghostS = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            double[] loop = dev.sift.model.GhostGradNorms.perSampleLoop(w, data, cls, all, 64, 64, 4);
            double loopS = (System.nanoTime() - t0) / 1e9;
            double worst = 0;
            for (int i = 0; i < n; i++) {
                worst = Math.max(worst, Math.abs(ghost[i] - loop[i]) / Math.max(1e-12, loop[i]));
            }
            Table t = new Table(List.of("implementation", "samples", "seconds", "samples_per_s"));
            t.add("ghost norms, batch " + batch, n, ghostS, n / ghostS);
            t.add("per-sample autograd loop", n, loopS, n / loopS);
            System.out.print(t.text());
            System.out.printf("speed-up %.1fx; largest relative difference %.2g%n", loopS / ghostS, worst);
            return ExitCodes.OK;
        }
    }

    /** KNN-Shapley at scale: the fast path against the plain reference, same data, same run. */
    @Command(name = "knn", description = "Exact KNN-Shapley on random embeddings: the fast path (matrix product, "
            + "primitive sort, parallel) timed on the full size, the plain reference timed on a few validation "
            + "points and scaled; prints both, the ratio and their largest difference on the shared points.")
    public static class KnnBench implements Callable<Integer> {
        @Option(names = "--train", defaultValue = "50000", description = "training points (default: ${DEFAULT-VALUE})")
        int train;

        @Option(names = "--valid", defaultValue = "2000", description = "validation points (default: "
                + "${DEFAULT-VALUE})")
        int valid;

        @Option(names = "--dim", defaultValue = "384", description = "embedding size (default: ${DEFAULT-VALUE})")
        int dim;

        @Option(names = "--k", defaultValue = "10", description = "neighbours (default: ${DEFAULT-VALUE})")
        int k;

        @Option(names = "--reference-points", defaultValue = "20", description = "validation points the reference "
                + "runs on (default: ${DEFAULT-VALUE})")
        int referencePoints;

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() {
            java.util.Random r = new java.util.Random(1);
            int[] y = new int[train];
            float[][] x = randomPoints(r, y, dim);
            int[] vy = new int[valid];
            float[][] v = randomPoints(r, vy, dim);
            dev.sift.importance.KnnShapley.fast(x, y, java.util.Arrays.copyOf(v, 2), java.util.Arrays.copyOf(vy, 2), k);
            long t0 = System.nanoTime();
            dev.sift.importance.KnnShapley.fast(x, y, v, vy, k);
            double fast = (System.nanoTime() - t0) / 1e9;
            float[][] sv = java.util.Arrays.copyOf(v, referencePoints);
            int[] svy = java.util.Arrays.copyOf(vy, referencePoints);
            t0 = System.nanoTime();
            double[] ref = dev.sift.importance.KnnShapley.values(x, y, sv, svy, k);
            double refSeconds = (System.nanoTime() - t0) / 1e9;
            double[] fastSmall = dev.sift.importance.KnnShapley.fast(x, y, sv, svy, k);
            double maxDiff = 0;
            for (int i = 0; i < ref.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(ref[i] - fastSmall[i]));
            }
            double refScaled = refSeconds / referencePoints * valid;
            Table t = new Table(List.of("implementation", "train", "valid", "dim", "seconds"));
            t.add("fast (GEMM + primitive sort, " + Runtime.getRuntime().availableProcessors() + " threads)", train,
                    valid, dim, fast);
            t.add("reference (double loops), measured on " + referencePoints + " points, scaled", train, valid, dim,
                    refScaled);
            System.out.print(t.text());
            System.out.printf("speed-up %.1fx; largest |fast - reference| on the shared points: %.3g%n",
                    refScaled / fast, maxDiff);
            return ExitCodes.OK;
        }

        /** Gaussian points, one per entry of {@code labels}, which get random labels 0-3. */
        private static float[][] randomPoints(java.util.Random r, int[] labels, int dim) {
            float[][] x = new float[labels.length][dim];
            for (int i = 0; i < labels.length; i++) {
                for (int j = 0; j < dim; j++) {
                    x[i][j] = (float) r.nextGaussian();
                }
                labels[i] = r.nextInt(4);
            }
            return x;
        }
    }

    /** Label-noise detection by every importance method. */
    @Command(name = "noise", description = "Flip a fraction of the training labels to an adjacent grade, train the "
            + "hashed bag-of-words model, and report per importance method how well its ranking finds the flipped "
            + "samples: AUROC, precision among the top m (m = number flipped; equals F1 there), wall time.")
    public static class NoiseBench implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "CSV with query, product_title, "
                + "product_description, median_relevance columns (CrowdFlower's), grades 1-4")
        Path data;

        @Option(names = "--noise", defaultValue = "0.2", description = "fraction flipped (default: ${DEFAULT-VALUE})")
        double noise;

        @Option(names = "--seeds", defaultValue = "3", description = "seeds 1..N (default: ${DEFAULT-VALUE})")
        int seeds;

        @Option(names = "--epochs", defaultValue = "5", description = "training epochs (default: ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--model", defaultValue = "hashed-bow", description = "hashed-bow, or minilm-head (frozen "
                + "all-MiniLM-L6-v2 embeddings, MLP head) (default: ${DEFAULT-VALUE})")
        String modelKind;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(data)) {
                throw SiftException.usage(data + ": no such file");
            }
            var ds = new dev.sift.data.DatasetSpec(data.toString(), null, "csv", ',',
                    new dev.sift.data.DatasetSpec.Columns("query", "product_title", "product_description",
                            "median_relevance", null, null, null));
            var task = new dev.sift.data.TaskSpec(dev.sift.data.TaskType.GRADED, 1, 4);
            boolean head = modelKind.equals("minilm-head");
            if (!head && !modelKind.equals("hashed-bow")) {
                throw SiftException.usage("--model must be hashed-bow or minilm-head, got '" + modelKind + "'");
            }
            var model = new dev.sift.model.ModelSpec(dev.sift.model.ModelSpec.Encoder.HASHED_BOW, null, dev.sift.model.ModelSpec.Mode.FULL, 2, 64, dev.sift.model.ModelSpec.Pooling.MEAN, 4096,
                    64, head ? 128 : 64);
            var train = new dev.sift.model.TrainSpec(epochs, 64, head ? 0.001 : 0.003, 1, 0.01, 0.1,
                    1.0, 0, dev.sift.model.TrainSpec.DeviceChoice.CPU);
            float[][][][] cache = new float[1][][][];
            java.util.function.Function<List<dev.sift.data.Sample>, float[][][]> embed = !head ? null : samples -> {
                if (cache[0] == null) {
                    cache[0] = embed(samples);
                }
                return cache[0];
            };
            List<dev.sift.evaluation.NoiseBenchmark.Row> rows = new java.util.ArrayList<>();
            for (long seed = 1; seed <= seeds; seed++) {
                long t0 = System.nanoTime();
                rows.addAll(dev.sift.evaluation.NoiseBenchmark.run(data, ds, task, noise, seed, model, train, embed));
                System.err.printf("seed %d done in %.1f s%n", seed, (System.nanoTime() - t0) / 1e9);
            }
            // flagging the top m (m = number flipped) makes precision, recall and F1 the same number
            Table t = new Table(List.of("method", "auroc_mean", "auroc_sd", "f1_mean", "f1_sd",
                    "precision_at_noise_count", "score_ms"));
            dev.sift.evaluation.NoiseBenchmark.summarise(rows).forEach((m, v) -> t.add(m, v[0], v[1], v[2], v[3],
                    v[2], v[4]));
            System.out.print(output.render(t));
            return ExitCodes.OK;
        }

        /** Frozen MiniLM embeddings of every sample's query and title (the split does not change them). */
        private static float[][][] embed(List<dev.sift.data.Sample> samples) {
            try {
                return dev.sift.model.SentenceEmbedder.queriesAndTitles(dev.sift.model.Checkpoint.miniLm(), samples, 64,
                        ai.djl.Device.cpu(), System.err::println);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** MiniLM-shaped cross-encoder throughput, Sift's DJL path beside PyTorch. */
    @Command(name = "model", description = "Training and inference samples/s and peak memory of the MiniLM-L6 "
            + "cross-encoder in Sift (DJL, PyTorch engine) and in PyTorch itself (a Python with torch), same batch, "
            + "sequence length and machine; prints the ratios.")
    public static class ModelBench implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Option(names = "--batch", defaultValue = "32", description = "batch size (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--seq", defaultValue = "32", description = "sequence length (default: ${DEFAULT-VALUE})")
        int seq;

        @Option(names = "--steps", defaultValue = "20", description = "measured steps (default: ${DEFAULT-VALUE})")
        int steps;

        @Option(names = "--warmup", defaultValue = "3", description = "unmeasured steps first (default: "
                + "${DEFAULT-VALUE})")
        int warmup;

        @Option(names = "--python", defaultValue = "python3", description = "a Python with torch for the "
                + "PyTorch peer, or 'none' (default: ${DEFAULT-VALUE})")
        String python;

        @Option(names = "--profile", description = "folder for profiler traces of the measured training steps: "
                + "djl-trace.json (chrome trace) and torch-ops.txt (PyTorch's top operators); slows both down")
        Path profile;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() throws Exception {
            BertConfig c = BertConfig.miniLmL6();
            System.err.printf("DJL: MiniLM-L6 cross-encoder, batch %d, sequence %d, %d + %d steps...%n", batch, seq,
                    warmup, steps);
            if (profile != null) {
                Files.createDirectories(profile);
            }
            ModelBenchmark.Result djl = ModelBenchmark.run(c, batch, seq, warmup, steps,
                    profile == null ? null : profile.toAbsolutePath().resolve("djl-trace.json"));
            JsonNode torch = python.equals("none") ? null : torch(c);
            Table t = new Table(List.of("engine", "train_samples_per_s", "infer_samples_per_s", "peak_rss_mib"));
            t.add("DJL " + System.getProperty("ai.djl.version", "0.36.0") + " (PyTorch engine)",
                    djl.trainSamplesPerSecond(), djl.inferSamplesPerSecond(), djl.peakRssBytes() / 1048576.0);
            if (torch != null) {
                double tt = torch.get("train_samples_per_s").asDouble();
                double ti = torch.get("infer_samples_per_s").asDouble();
                t.add("PyTorch " + torch.get("torch").asText() + " (" + torch.get("threads").asInt() + " threads)", tt,
                        ti, torch.get("peak_rss_bytes").asDouble() / 1048576.0);
                t.add("ratio DJL / PyTorch", djl.trainSamplesPerSecond() / tt, djl.inferSamplesPerSecond() / ti,
                        djl.peakRssBytes() / torch.get("peak_rss_bytes").asDouble());
            }
            System.out.print(output.render(t));
            return ExitCodes.OK;
        }

        private JsonNode torch(BertConfig c) throws IOException, InterruptedException {
            Path script = Files.createTempFile("sift-torch-bench", ".py");
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("bench/torch_bert.py")) {
                Files.write(script, in.readAllBytes());
            }
            String args = JSON.createObjectNode().put("vocab", c.vocabSize()).put("hidden", c.hidden())
                    .put("layers", c.layers()).put("heads", c.heads()).put("intermediate", c.intermediate())
                    .put("maxpos", c.maxPositions()).put("batch", batch).put("seq", seq).put("steps", steps)
                    .put("warmup", warmup).put("profile", profile == null ? ""
                            : profile.toAbsolutePath().resolve("torch-ops.txt").toString()).toString();
            System.err.println("PyTorch: " + python + " " + script.getFileName());
            try {
                Process p = new ProcessBuilder(python, script.toString(), args).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                    System.err.println("PyTorch peer failed: " + out.lines().reduce((a, b) -> b).orElse(""));
                    return null;
                }
                return JSON.readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
            } catch (IOException e) {
                System.err.println("PyTorch peer unavailable (" + e.getMessage() + "); --python names one");
                return null;
            } finally {
                Files.deleteIfExists(script);
            }
        }
    }
}
