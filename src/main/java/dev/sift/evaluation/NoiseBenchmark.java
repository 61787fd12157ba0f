package dev.sift.evaluation;

import dev.sift.data.Ingestor;
import dev.sift.data.KeyedHasher;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.importance.ImportanceMethod;
import dev.sift.importance.ImportanceMethods;
import dev.sift.importance.ScoringInput;
import dev.sift.model.EncodedPairs;
import dev.sift.model.Predictions;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.Targets;
import dev.sift.data.DatasetSpec;
import dev.sift.model.ModelSpec;
import dev.sift.data.SplitSpec;
import dev.sift.data.TaskSpec;
import dev.sift.model.TrainSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * How well each importance method finds label noise: flip a fraction of the training labels to an adjacent
 * grade, train, score every training sample with every method, and measure how well each ranking separates the
 * flipped samples (AUROC; precision among the top m, m = number flipped, which equals F1 at that cut-off).
 */
public final class NoiseBenchmark {
    /** Methods whose high values mean "helpful / easy": their noise score is the negated value. */
    private static final Set<String> HIGHER_IS_CLEAN = Set.copyOf(dev.sift.importance.RankEnsemble.HIGHER_IS_CLEAN);

    private NoiseBenchmark() {
    }

    /** One method on one seed. */
    public record Row(String method, long seed, double auroc, double precisionAtNoise, long millis) {
    }

    /**
     * @param frozenEmbeddings per-sample query and title embeddings [2][n][H] of a frozen encoder (an MLP head is
     *     trained on them), or null for the hashed bag-of-words model of {@code model}
     */
    public static List<Row> run(Path csv, DatasetSpec dataset, TaskSpec task, double noise, long seed,
            ModelSpec model, TrainSpec train, java.util.function.Function<List<Sample>, float[][][]> frozenEmbeddings)
            throws IOException {
        List<Sample> samples;
        try (InputStream in = Files.newInputStream(csv)) {
            samples = new Ingestor(dataset, task, new SplitSpec(0.1, 0.2, 13),
                    new KeyedHasher("benchmark-key-not-secret".getBytes())).read(in, csv.toString()).samples();
        }
        int[] trainIdx = samples.stream().filter(s -> s.split() == Split.TRAIN).mapToInt(Sample::index).toArray();
        int[] validIdx = samples.stream().filter(s -> s.split() == Split.VALIDATION).mapToInt(Sample::index)
                .toArray();
        double[] labels = samples.stream().mapToDouble(Sample::label).toArray();
        boolean[] flipped = new boolean[trainIdx.length];
        Random r = new Random(seed);
        for (int i = 0; i < trainIdx.length; i++) {
            if (r.nextDouble() < noise) {
                double y = labels[trainIdx[i]];
                boolean up = y + 1 <= task.maxLabel() && (y - 1 < task.minLabel() || r.nextBoolean());
                labels[trainIdx[i]] = up ? y + 1 : y - 1;
                flipped[i] = true;
            }
        }
        Targets targets = Targets.of(task, labels);
        RelevanceTrainer trainer;
        if (frozenEmbeddings == null) {
            trainer = new RelevanceTrainer(model, EncodedPairs.encode(samples, model.buckets()), task.classes(), false);
        } else {
            float[][][] e = frozenEmbeddings.apply(samples);
            trainer = new RelevanceTrainer(() -> new dev.sift.model.HeadModel(model.hidden(), task.classes()),
                    new dev.sift.model.DenseFeatures(e[0], e[1]), task.classes(), false, name -> true, b -> { },
                    ai.djl.Device.cpu());
        }
        trainer = trainer.withEpochScorer((t, tc, v, vc) -> dev.sift.importance.GradientSimilarity.values(t.probs(),
                t.hidden(), tc, v.probs(), v.hidden(), vc));
        TrainSpec seeded = new TrainSpec(train.epochs(), train.batchSize(), train.learningRate(), seed,
                train.weightDecay(), train.warmup(), train.clipNorm(), 0, dev.sift.model.TrainSpec.DeviceChoice.CPU);
        RelevanceTrainer.TrainResult result = trainer.train(trainer.initialWeights(seed), targets, trainIdx,
                validIdx, seeded, RelevanceTrainer.Listener.NONE);
        Predictions p = trainer.predict(result.weights(), trainIdx);
        Predictions v = trainer.predict(result.weights(), validIdx);
        int[] cls = new int[trainIdx.length];
        for (int i = 0; i < cls.length; i++) {
            cls[i] = targets.classes()[trainIdx[i]];
        }
        int[] validCls = new int[validIdx.length];
        for (int i = 0; i < validCls.length; i++) {
            validCls[i] = targets.classes()[validIdx[i]];
        }
        long g0 = System.nanoTime();
        double[] grand = frozenEmbeddings != null ? null : dev.sift.model.GhostGradNorms.compute(result.weights(),
                EncodedPairs.encode(samples, model.buckets()), cls, trainIdx, model.dim(), model.hidden(),
                task.classes(), 256);
        long grandMillis = (System.nanoTime() - g0) / 1_000_000;
        ScoringInput input = new ScoringInput(p, cls, new float[cls.length], v.hidden(), v.probs(), validCls,
                result.dynamics().reorder(trainIdx), grand);
        int m = 0;
        for (boolean f : flipped) {
            m += f ? 1 : 0;
        }
        List<Row> rows = new ArrayList<>();
        for (String name : ImportanceMethods.NAMES) {
            if (name.equals("grand") && grand == null) {
                continue;
            }
            ImportanceMethod method = ImportanceMethods.byName(name);
            long t0 = System.nanoTime();
            double[] s = method.score(input);
            long ms = (System.nanoTime() - t0) / 1_000_000 + (name.equals("grand") ? grandMillis : 0);
            double[] noiseScore = s.clone();
            if (HIGHER_IS_CLEAN.contains(name)) {
                for (int i = 0; i < noiseScore.length; i++) {
                    noiseScore[i] = -noiseScore[i];
                }
            }
            rows.add(new Row(name, seed, Metrics.auroc(noiseScore, flipped),
                    Metrics.precisionAtK(noiseScore, flipped, m), ms));
        }
        return rows;
    }

    /** Mean and standard deviation per method over seeds, in method order. */
    public static Map<String, double[]> summarise(List<Row> rows) {
        Map<String, List<Row>> by = new LinkedHashMap<>();
        for (Row r : rows) {
            by.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        for (var e : by.entrySet()) {
            double[] a = e.getValue().stream().mapToDouble(Row::auroc).toArray();
            double[] f = e.getValue().stream().mapToDouble(Row::precisionAtNoise).toArray();
            double ms = e.getValue().stream().mapToDouble(Row::millis).average().orElse(0);
            out.put(e.getKey(), new double[] {mean(a), sd(a), mean(f), sd(f), ms});
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
