package dev.sift.bench;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import dev.sift.SiftException;
import dev.sift.data.DatasetSpec;
import dev.sift.data.LabelNoise;
import dev.sift.data.Sample;
import dev.sift.data.SplitSpec;
import dev.sift.data.SyntheticShop;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.model.Checkpoint;
import dev.sift.model.CrossEncoder;
import dev.sift.model.DenseFeatures;
import dev.sift.model.EncodedPairs;
import dev.sift.model.HeadModel;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.ScoringCheckpoint;
import dev.sift.model.ModelSpec;
import dev.sift.model.SentenceEmbedder;
import dev.sift.model.TrainSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * How well each importance method finds label noise: flip a fraction of the training labels ({@link LabelNoise},
 * the same code as a workflow's {@code dataset.noise}), train, score every training sample with every method, and
 * measure how well each ranking's "remove" end finds the noisy samples (AUROC, average precision, and precision
 * among the top m, m = number noisy, which equals F1 at that cut-off).
 */
public final class NoiseBenchmark {
    private static final TaskSpec GRADES_1_TO_4 = new TaskSpec(TaskType.GRADED, 1, 4);
    private static final DatasetSpec.Columns CROWDFLOWER = new DatasetSpec.Columns("query", "product_title",
            "product_description", "median_relevance", null, null, null);

    private NoiseBenchmark() {
    }

    /** The model trained before scoring. */
    public enum ModelKind {
        /** The hashed bag-of-words pair model. */
        HASHED_BOW("hashed-bow"),
        /** An MLP head on frozen all-MiniLM-L6-v2 embeddings. */
        MINILM_HEAD("minilm-head"),
        /**
         * The workflow's pretrained encoder (MiniLM, or a local BERT folder) fine-tuned as a cross-encoder, fully or
         * its last layers, as the workflow says.
         */
        CROSS_ENCODER("cross-encoder");

        private final String key;

        ModelKind(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public static Optional<ModelKind> byKey(String key) {
            for (ModelKind k : values()) {
                if (k.key.equals(key)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The {@code --data} form.
     *
     * @param data CSV with CrowdFlower's columns (query, product_title, product_description, median_relevance)
     * @param noise fraction of training labels flipped to an adjacent grade
     * @param seeds seeds 1..seeds, each a fresh flip and training
     */
    public record Options(Path data, double noise, int seeds, int epochs, ModelKind model) {
        public Options {
            requireNonNull(data, "data is null");
            requireNonNull(model, "model is null");
        }
    }

    /**
     * What one benchmark reads, flips and trains: from {@link Options} or from a workflow. Seed s (1..n) flips with
     * noise seed {@code noise.seed() + s - 1} and trains with seed {@code train.seed() + s - 1}.
     *
     * @param source the data's bytes (a file's, or generated); {@code dataset} says how to read them
     * @param model the bag-of-words sizes for {@link ModelKind#HASHED_BOW}, the head's hidden size for
     *     {@link ModelKind#MINILM_HEAD}, the encoder, mode, pooling and maximum length for
     *     {@link ModelKind#CROSS_ENCODER}
     */
    public record Setup(byte[] source, String sourceName, DatasetSpec dataset, TaskSpec task, SplitSpec split,
            ModelKind kind, ModelSpec model, TrainSpec train, LabelNoise.Spec noise) {
        public Setup {
            requireNonNull(source, "source is null");
            requireNonNull(dataset, "dataset is null");
            requireNonNull(task, "task is null");
            requireNonNull(split, "split is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(model, "model is null");
            requireNonNull(train, "train is null");
            requireNonNull(noise, "noise is null");
        }
    }

    /**
     * One method on one seed; {@code precisionAtNoise} is F1 at the noise count, {@code aurocWithinLabel} the AUROC
     * among samples of the same given label ({@link dev.sift.evaluation.NoiseDetection#aurocWithinLabel}).
     */
    public record Row(String method, long seed, double auroc, double auprc, double precisionAtNoise,
            double aurocWithinLabel, long millis) {
    }

    /** One method over all seeds: means and sample standard deviations, and the mean scoring time. */
    public record MethodSummary(String method, double aurocMean, double aurocSd, double auprcMean, double auprcSd,
            double precisionMean, double precisionSd, double withinLabelMean, double withinLabelSd,
            double scoreMillis) {
    }

    /** Every row, and the summaries in method order. */
    public record Result(List<Row> rows, List<MethodSummary> methods) {
        public Result {
            rows = List.copyOf(rows);
            methods = List.copyOf(methods);
        }
    }

    /** The --data form: CrowdFlower's columns, grades 1-4, adjacent noise, the sizes measured in the README. */
    public static Setup setup(Options o) throws IOException {
        boolean head = o.model() == ModelKind.MINILM_HEAD;
        ModelSpec model = new ModelSpec(ModelSpec.Encoder.HASHED_BOW, null, ModelSpec.Mode.FULL, 2, 64,
                ModelSpec.Pooling.MEAN, 4096, 64, head ? 128 : 64);
        TrainSpec train = new TrainSpec(o.epochs(), 64, head ? 0.001 : 0.003, 1, 0.01, 0.1, 1.0, 0,
                TrainSpec.DeviceChoice.CPU);
        // encoding auto: --data takes no workflow, so the advice to set dataset.encoding could not be followed
        DatasetSpec dataset = new DatasetSpec(o.data().toString(), null, "csv", ',', CROWDFLOWER, null,
                dev.sift.data.Encoding.AUTO, true, null);
        return new Setup(Files.readAllBytes(o.data()), o.data().toString(), dataset, GRADES_1_TO_4,
                new SplitSpec(0.1, 0.0, 0.2, 13), o.model(), model, train,
                new LabelNoise.Spec(o.noise(), LabelNoise.Kind.ADJACENT, 1));
    }

    /** The bytes of a local or generated dataset (a benchmark reads no S3). */
    public static byte[] source(DatasetSpec dataset) throws IOException {
        if (dataset.isGenerated()) {
            StringWriter w = new StringWriter();
            DatasetSpec.Generate g = dataset.generate();
            SyntheticShop.writeCsv(SyntheticShop.generate(g.rows(), g.noise(), g.seed()), w);
            return w.toString().getBytes(StandardCharsets.UTF_8);
        }
        return Files.readAllBytes(Path.of(dataset.path()));
    }

    /**
     * How the methods are scored beyond the trained model.
     *
     * @param crossFit K >= 2: K models on query-grouped folds give out-of-fold predictions ({@code oof_loss}, and
     *     {@code label_quality} then reads them); 0 = off
     * @param ensemble members of the {@code ensemble} row, or null for its default members
     * @param scoreSeeds models from different initialisations every method's scores are averaged over
     * @param checkpoint which weights of each scoring model score ({@code score.checkpoint})
     */
    public record Scoring(int crossFit, List<String> ensemble, int scoreSeeds, ScoringCheckpoint checkpoint,
            java.nio.file.Path scoresOut) {
        public static final Scoring DEFAULT = new Scoring(0, null, 1, ScoringCheckpoint.BEST, null);
    }

    public static Result run(Options options, Consumer<String> progress) throws IOException {
        return run(setup(options), options.seeds(), Scoring.DEFAULT, progress);
    }

    /** Runs seeds 1..{@code seeds}; {@code progress} hears when each one is done. */
    public static Result run(Setup setup, int seeds, Scoring scoring, Consumer<String> progress)
            throws IOException {
        Function<List<Sample>, RelevanceTrainer> trainers = trainers(setup, progress);
        List<Row> rows = new ArrayList<>();
        for (long seed = 1; seed <= seeds; seed++) {
            long t0 = System.nanoTime();
            NoiseRun.Outcome o = NoiseRun.run(setup, seed, trainers, scoring, progress);
            rows.addAll(o.rows());
            progress.accept(String.format("seed %d: %d of %d training labels noisy (%d flipped, %s), done in %.1f s",
                    seed, o.noisy(), o.train(), o.flipped(), setup.noise().withSeed(setup.noise().seed() + seed - 1)
                            .describe(), (System.nanoTime() - t0) / 1e9));
        }
        return new Result(rows, summarise(rows));
    }

    /** A trainer of the setup's model on the (flipped) samples of one seed. */
    private static Function<List<Sample>, RelevanceTrainer> trainers(Setup setup, Consumer<String> progress)
            throws IOException {
        ModelSpec m = setup.model();
        int k = setup.task().classes();
        boolean regression = !setup.task().classification();
        switch (setup.kind()) {
            case HASHED_BOW:
                return samples -> new RelevanceTrainer(m, EncodedPairs.encode(samples, m.buckets()), k, regression);
            case MINILM_HEAD:
                float[][][][] cache = new float[1][][][]; // the split and the flips do not change the embeddings
                return samples -> {
                    if (cache[0] == null) {
                        try {
                            cache[0] = SentenceEmbedder.queriesAndTitles(Checkpoint.miniLm(), samples, 64,
                                    Device.cpu(), progress);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    return new RelevanceTrainer(() -> new HeadModel(m.hidden(), k),
                            new DenseFeatures(cache[0][0], cache[0][1]), k, regression, name -> true, b -> { },
                            Device.cpu());
                };
            default:
                Checkpoint cp;
                try {
                    cp = Checkpoint.of(m, name -> Files.readAllBytes(Path.of(m.source()).resolve(name)));
                } catch (IOException | IllegalArgumentException e) {
                    // as the fine-tune stage says it: a usage error naming the folder and the tensor or file
                    throw SiftException.usage("model.source: " + e.getMessage());
                }
                progress.accept(String.format("%s (%d layers, hidden %d) fine-tuned as a cross-encoder, mode %s, "
                        + "max length %d", cp.name(), cp.config().layers(), cp.config().hidden(), m.mode().key(),
                        m.maxLength()));
                return samples -> CrossEncoder.trainer(cp, m, samples, k, regression, Device.cpu());
        }
    }

    /** Mean and standard deviation per method over seeds, in method order. */
    public static List<MethodSummary> summarise(List<Row> rows) {
        Map<String, List<Row>> by = new LinkedHashMap<>();
        for (Row r : rows) {
            by.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        }
        List<MethodSummary> out = new ArrayList<>();
        for (var e : by.entrySet()) {
            double[] a = values(e.getValue(), Row::auroc);
            double[] p = values(e.getValue(), Row::auprc);
            double[] f = values(e.getValue(), Row::precisionAtNoise);
            double[] w = values(e.getValue(), Row::aurocWithinLabel);
            double ms = e.getValue().stream().mapToDouble(Row::millis).average().orElse(0);
            out.add(new MethodSummary(e.getKey(), mean(a), sd(a), mean(p), sd(p), mean(f), sd(f), mean(w), sd(w),
                    ms));
        }
        return out;
    }

    private static double[] values(List<Row> rows, ToDoubleFunction<Row> f) {
        return rows.stream().mapToDouble(f).toArray();
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double sd(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return x.length < 2 ? Double.NaN : Math.sqrt(s / (x.length - 1)); // one seed: no spread measured
    }
}
