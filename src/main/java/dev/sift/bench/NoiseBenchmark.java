package dev.sift.bench;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import dev.sift.data.DatasetSpec;
import dev.sift.data.Ingestor;
import dev.sift.data.KeyedHasher;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.data.SplitSpec;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.evaluation.Metrics;
import dev.sift.importance.GradientSimilarity;
import dev.sift.importance.ImportanceMethod;
import dev.sift.importance.ImportanceMethods;
import dev.sift.importance.Need;
import dev.sift.importance.ScoringInput;
import dev.sift.model.Checkpoint;
import dev.sift.model.CrossFit;
import dev.sift.model.DenseFeatures;
import dev.sift.model.EncodedPairs;
import dev.sift.model.GhostGradNorms;
import dev.sift.model.HeadModel;
import dev.sift.model.ModelSpec;
import dev.sift.model.OutputAlignment;
import dev.sift.model.Predictions;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.SentenceEmbedder;
import dev.sift.model.Targets;
import dev.sift.model.TrainSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How well each importance method finds label noise: flip a fraction of the training labels to an adjacent
 * grade, train, score every training sample with every method, and measure how well each ranking separates the
 * flipped samples (AUROC; precision among the top m, m = number flipped, which equals F1 at that cut-off).
 */
public final class NoiseBenchmark {
    private static final TaskSpec GRADES_1_TO_4 = new TaskSpec(TaskType.GRADED, 1, 4);
    private static final DatasetSpec.Columns CROWDFLOWER = new DatasetSpec.Columns("query", "product_title",
            "product_description", "median_relevance", null, null, null);
    // the key only has to be fixed: nothing personal is hashed in a benchmark
    private static final byte[] HASH_KEY = "benchmark-key-not-secret".getBytes(StandardCharsets.UTF_8);

    private NoiseBenchmark() {
    }

    /** The model trained before scoring. */
    public enum ModelKind {
        /** The hashed bag-of-words pair model. */
        HASHED_BOW("hashed-bow"),
        /** An MLP head on frozen all-MiniLM-L6-v2 embeddings. */
        MINILM_HEAD("minilm-head");

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
     * @param data CSV with CrowdFlower's columns (query, product_title, product_description, median_relevance)
     * @param noise fraction of training labels flipped
     * @param seeds seeds 1..seeds, each a fresh flip and training
     * @param crossFit K >= 2: K models on query-grouped folds give out-of-fold predictions ({@code oof_loss},
     *     and {@code label_quality} then reads them); 0 = off
     * @param ensemble members of the {@code ensemble} row, or null for its default members
     */
    public record Options(Path data, double noise, int seeds, int epochs, ModelKind model, int crossFit,
            List<String> ensemble) {
        public Options {
            requireNonNull(data, "data is null");
            requireNonNull(model, "model is null");
            if (crossFit == 1 || crossFit < 0) {
                throw new IllegalArgumentException("cross-fit must be 0 (off) or at least 2 folds, got " + crossFit);
            }
            ensemble = ensemble == null ? null : List.copyOf(ensemble);
        }

        /** Without cross-fitting, the default ensemble. */
        public Options(Path data, double noise, int seeds, int epochs, ModelKind model) {
            this(data, noise, seeds, epochs, model, 0, null);
        }
    }

    /** One method on one seed. */
    public record Row(String method, long seed, double auroc, double precisionAtNoise, long millis) {
    }

    /** One method over all seeds: means and sample standard deviations, and the mean scoring time. */
    public record MethodSummary(String method, double aurocMean, double aurocSd, double precisionMean,
            double precisionSd, double scoreMillis) {
    }

    /** Every row, and the summaries in method order. */
    public record Result(List<Row> rows, List<MethodSummary> methods) {
        public Result {
            rows = List.copyOf(rows);
            methods = List.copyOf(methods);
        }
    }

    /** Runs every seed; {@code progress} hears when each one is done. */
    public static Result run(Options options, Consumer<String> progress) throws IOException {
        boolean head = options.model() == ModelKind.MINILM_HEAD;
        ModelSpec model = new ModelSpec(ModelSpec.Encoder.HASHED_BOW, null, ModelSpec.Mode.FULL, 2, 64,
                ModelSpec.Pooling.MEAN, 4096, 64, head ? 128 : 64);
        TrainSpec train = new TrainSpec(options.epochs(), 64, head ? 0.001 : 0.003, 1, 0.01, 0.1, 1.0, 0,
                TrainSpec.DeviceChoice.CPU);
        Function<List<Sample>, float[][][]> embed = head ? cachedEmbeddings(progress) : null;
        DatasetSpec dataset = new DatasetSpec(options.data().toString(), null, "csv", ',', CROWDFLOWER);
        List<Row> rows = new ArrayList<>();
        for (long seed = 1; seed <= options.seeds(); seed++) {
            long t0 = System.nanoTime();
            rows.addAll(runSeed(options.data(), dataset, GRADES_1_TO_4, options.noise(), seed, model, train, embed,
                    new Scoring(options.crossFit(), options.ensemble())));
            progress.accept(String.format("seed %d done in %.1f s", seed, (System.nanoTime() - t0) / 1e9));
        }
        return new Result(rows, summarise(rows));
    }

    /** Frozen MiniLM embeddings of every sample's query and title, computed once: the split does not change them. */
    private static Function<List<Sample>, float[][][]> cachedEmbeddings(Consumer<String> progress) {
        float[][][][] cache = new float[1][][][];
        return samples -> {
            if (cache[0] == null) {
                try {
                    cache[0] = SentenceEmbedder.queriesAndTitles(Checkpoint.miniLm(), samples, 64, Device.cpu(),
                            progress);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return cache[0];
        };
    }

    /** The training samples with some labels flipped, and which ones. */
    private record NoisyData(List<Sample> samples, int[] train, int[] validation, Targets targets,
            boolean[] flipped) {
        int flippedCount() {
            int m = 0;
            for (boolean f : flipped) {
                m += f ? 1 : 0;
            }
            return m;
        }

        int[] classes(int[] which) {
            int[] c = new int[which.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = targets.classes()[which[i]];
            }
            return c;
        }
    }

    /**
     * How the methods are scored beyond the trained model.
     *
     * @param crossFit folds for out-of-fold predictions (0 = none)
     * @param ensemble members of the ensemble row, or null for its defaults
     */
    public record Scoring(int crossFit, List<String> ensemble) {
        public static final Scoring DEFAULT = new Scoring(0, null);
    }

    /**
     * One seed: flip, train, score with every method.
     *
     * @param frozenEmbeddings per-sample query and title embeddings [2][n][H] of a frozen encoder (an MLP head is
     *     trained on them), or null for the hashed bag-of-words model of {@code model}
     */
    public static List<Row> runSeed(Path csv, DatasetSpec dataset, TaskSpec task, double noise, long seed,
            ModelSpec model, TrainSpec train, Function<List<Sample>, float[][][]> frozenEmbeddings, Scoring scoring)
            throws IOException {
        NoisyData data = flip(read(csv, dataset, task), task, noise, seed);
        RelevanceTrainer trainer = trainer(data.samples(), task, model, frozenEmbeddings)
                .withEpochScorer(GradientSimilarity.EPOCH_TRACIN, data.validation());
        TrainSpec seeded = new TrainSpec(train.epochs(), train.batchSize(), train.learningRate(), seed,
                train.weightDecay(), train.warmup(), train.clipNorm(), 0, TrainSpec.DeviceChoice.CPU);
        RelevanceTrainer.TrainResult result = trainer.train(trainer.initialWeights(seed), data.targets(),
                data.train(), data.validation(), seeded, RelevanceTrainer.Listener.NONE);
        Predictions p = trainer.predict(result.weights(), data.train());
        Predictions v = trainer.predict(result.weights(), data.validation());
        int[] cls = data.classes(data.train());
        long g0 = System.nanoTime();
        double[] grand = frozenEmbeddings != null ? null : GhostGradNorms.compute(result.weights(),
                EncodedPairs.encode(data.samples(), model.buckets()), cls, data.train(), model.dim(), model.hidden(),
                task.classes(), 256);
        Map<Need, Long> needMillis = new EnumMap<>(Need.class);
        needMillis.put(Need.FULL_GRADIENTS, (System.nanoTime() - g0) / 1_000_000);
        long a0 = System.nanoTime();
        double[] alignments = OutputAlignment.compute(trainer, result.weights(), data.targets(), data.train(), 256)
                .values();
        needMillis.put(Need.OUTPUT_ALIGNMENT, (System.nanoTime() - a0) / 1_000_000);
        ScoringInput input = new ScoringInput(p, cls, new float[cls.length], v.hidden(), v.probs(),
                data.classes(data.validation()), result.dynamics().reorder(data.train()), grand, alignments);
        Set<Need> provides = EnumSet.allOf(Need.class);
        if (grand == null) {
            provides.remove(Need.FULL_GRADIENTS);
        }
        if (scoring.crossFit() >= 2) {
            CrossFit.Result oof = CrossFit.run(trainer.withoutEpochScorer(), trainer.initialWeights(seed),
                    data.targets(), data.train(), groups(data), data.validation(), seeded, scoring.crossFit(),
                    CrossFit.Listener.NONE);
            needMillis.put(Need.CROSS_FIT, oof.millis());
            input = input.withOutOfFold(oof.outOfFold());
        } else {
            provides.remove(Need.CROSS_FIT);
        }
        return score(input, provides, needMillis, data, seed, scoring.ensemble());
    }

    private static String[] groups(NoisyData data) {
        return Arrays.stream(data.train()).mapToObj(i -> data.samples().get(i).group())
                .toArray(String[]::new);
    }

    private static List<Sample> read(Path csv, DatasetSpec dataset, TaskSpec task) throws IOException {
        try (InputStream in = Files.newInputStream(csv)) {
            return new Ingestor(dataset, task, new SplitSpec(0.1, 0.0, 0.2, 13), new KeyedHasher(HASH_KEY))
                    .read(in, csv.toString()).samples();
        }
    }

    /** Flips each training label with probability {@code noise} to an adjacent grade within the task's range. */
    private static NoisyData flip(List<Sample> samples, TaskSpec task, double noise, long seed) {
        int[] train = samples.stream().filter(s -> s.split() == Split.TRAIN).mapToInt(Sample::index).toArray();
        int[] valid = samples.stream().filter(s -> s.split() == Split.VALIDATION).mapToInt(Sample::index)
                .toArray();
        double[] labels = samples.stream().mapToDouble(Sample::label).toArray();
        boolean[] flipped = new boolean[train.length];
        Random r = new Random(seed);
        for (int i = 0; i < train.length; i++) {
            if (r.nextDouble() < noise) {
                double y = labels[train[i]];
                boolean up = y + 1 <= task.maxLabel() && (y - 1 < task.minLabel() || r.nextBoolean());
                labels[train[i]] = up ? y + 1 : y - 1;
                flipped[i] = true;
            }
        }
        return new NoisyData(samples, train, valid, Targets.of(task, labels), flipped);
    }

    private static RelevanceTrainer trainer(List<Sample> samples, TaskSpec task, ModelSpec model,
            Function<List<Sample>, float[][][]> frozenEmbeddings) {
        if (frozenEmbeddings == null) {
            return new RelevanceTrainer(model, EncodedPairs.encode(samples, model.buckets()), task.classes(), false);
        }
        float[][][] e = frozenEmbeddings.apply(samples);
        return new RelevanceTrainer(() -> new HeadModel(model.hidden(), task.classes()), new DenseFeatures(e[0], e[1]),
                task.classes(), false, name -> true, b -> { }, Device.cpu());
    }

    /**
     * Every method's ranking against the flipped samples; a method's own time plus the time of the model-level
     * inputs it needs (GraNd's norms, the output alignments).
     */
    private static List<Row> score(ScoringInput input, Set<Need> provides, Map<Need, Long> needMillis,
            NoisyData data, long seed, List<String> ensemble) {
        int m = data.flippedCount();
        List<Row> rows = new ArrayList<>();
        for (ImportanceMethod found : ImportanceMethods.applicable(TaskType.GRADED, provides)) {
            ImportanceMethod method = ImportanceMethods.configured(found.name(), ensemble);
            if (ImportanceMethods.whyNot(method, TaskType.GRADED, provides).isPresent()) {
                continue; // an ensemble whose members cannot all run here
            }
            String name = method.name();
            long t0 = System.nanoTime();
            double[] s = method.score(input);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // what the method read counts: K cross-fitted trainings for oof_loss and, with them, label_quality
            for (Need n : method.uses()) {
                ms += needMillis.getOrDefault(n, 0L);
            }
            // the noise end of every ranking is its "remove" end
            double[] keep = method.orientation().toKeep(s);
            double[] noiseScore = new double[keep.length];
            for (int i = 0; i < keep.length; i++) {
                noiseScore[i] = -keep[i];
            }
            rows.add(new Row(name, seed, Metrics.auroc(noiseScore, data.flipped()),
                    Metrics.precisionAtK(noiseScore, data.flipped(), m), ms));
        }
        return rows;
    }

    /** Mean and standard deviation per method over seeds, in method order. */
    public static List<MethodSummary> summarise(List<Row> rows) {
        Map<String, List<Row>> by = new LinkedHashMap<>();
        for (Row r : rows) {
            by.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        }
        List<MethodSummary> out = new ArrayList<>();
        for (var e : by.entrySet()) {
            double[] a = e.getValue().stream().mapToDouble(Row::auroc).toArray();
            double[] f = e.getValue().stream().mapToDouble(Row::precisionAtNoise).toArray();
            double ms = e.getValue().stream().mapToDouble(Row::millis).average().orElse(0);
            out.add(new MethodSummary(e.getKey(), mean(a), sd(a), mean(f), sd(f), ms));
        }
        return out;
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
        return x.length < 2 ? 0 : Math.sqrt(s / (x.length - 1));
    }
}
