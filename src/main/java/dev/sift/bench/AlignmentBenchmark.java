package dev.sift.bench;

import dev.sift.data.Sample;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import ai.djl.Device;
import dev.sift.model.Checkpoint;
import dev.sift.model.CrossEncoder;
import dev.sift.model.EncodedPairs;
import dev.sift.model.ModelSpec;
import dev.sift.model.OutputAlignment;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.Targets;
import dev.sift.model.TextTokenizer;
import dev.sift.model.TokenizedPairs;
import dev.sift.model.TrainSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Output alignments g . dM(x_i)/dtheta over all parameters of the hashed model or MiniLM: the central difference along g
 * (two batched forward passes) against one-sample-at-a-time autograd dot products, on the same trained weights,
 * the same g and the same samples, in the same run. Both need g (one batched backward pass over the samples),
 * which is timed on its own and counted in both totals. g and the central difference are short next to the loop, so
 * each runs {@value #REPEATS} times and its median is reported.
 */
public final class AlignmentBenchmark {
    private static final int DIM = 64;
    private static final int HIDDEN = 64;
    private static final int CLASSES = 4;
    /** Runs of g and of the central difference; the median is reported (the loop runs once). */
    static final int REPEATS = 5;

    private AlignmentBenchmark() {
    }

    /**
     * @param gradientSeconds accumulating g over all samples, which both methods need
     * @param differenceSeconds the central difference (both forward passes) after g
     * @param loopSeconds the per-sample autograd loop after g
     * @param largestRelativeDifference max_i |difference_i - loop_i| / max_i |loop_i|
     */
    public record Result(int samples, int batch, double eps, double gradientSeconds, double differenceSeconds,
            double loopSeconds, double largestRelativeDifference) {
        public double differenceTotalSeconds() {
            return gradientSeconds + differenceSeconds;
        }

        public double loopTotalSeconds() {
            return gradientSeconds + loopSeconds;
        }

        /** Loop against central difference, each with its g. */
        public double speedUp() {
            return loopTotalSeconds() / differenceTotalSeconds();
        }

        /** The same without g: per-sample passes against the two forward passes. */
        public double speedUpAfterGradient() {
            return loopSeconds / differenceSeconds;
        }
    }

    /**
     * The hashed model (4096 buckets): {@code samples} synthetic samples in batches of {@code batch}, on weights
     * trained for two epochs.
     */
    public static Result run(int batch, int samples) {
        List<Sample> rows = BenchData.samples(samples);
        ModelSpec model = new ModelSpec(ModelSpec.Encoder.HASHED_BOW, null, ModelSpec.Mode.FULL, 2, 64,
                ModelSpec.Pooling.MEAN, 4096, DIM, HIDDEN);
        EncodedPairs data = EncodedPairs.encode(rows, model.buckets());
        Targets targets = targets(rows);
        RelevanceTrainer trainer = new RelevanceTrainer(model, data, CLASSES, false);
        int[] all = IntStream.range(0, samples).toArray();
        byte[] w = trainer.train(trainer.initialWeights(1), targets, all, new int[0],
                new TrainSpec(2, 64, 0.003, 1, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU),
                RelevanceTrainer.Listener.NONE).weights();
        return measure(trainer, w, targets, batch, samples);
    }

    /**
     * MiniLM-L6 in {@code full} mode (every one of its 22.7 M parameters trainable), on its pretrained weights with
     * a fresh 4-grade head (no fine-tuning: the alignment is defined at any weights), pairs tokenized to
     * {@code maxLength} tokens.
     */
    public static Result runMiniLm(int batch, int samples, int maxLength) {
        List<Sample> rows = BenchData.samples(samples);
        Checkpoint cp;
        TokenizedPairs pairs;
        try {
            cp = Checkpoint.miniLm();
            try (TextTokenizer tok = cp.tokenizer(maxLength)) {
                pairs = tok.pairs(rows.stream().map(Sample::query).toList(),
                        rows.stream().map(Sample::title).toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RelevanceTrainer trainer = new RelevanceTrainer(() -> new CrossEncoder(cp.config(), CLASSES, false, 0.1f),
                pairs, CLASSES, false, name -> true, b -> ((CrossEncoder) b).encoder().load(null, cp.weights()),
                Device.cpu());
        return measure(trainer, trainer.initialWeights(1), targets(rows), batch, samples);
    }

    private static Targets targets(List<Sample> rows) {
        return Targets.of(new TaskSpec(TaskType.GRADED, 0, 3), rows.stream().mapToDouble(Sample::label).toArray());
    }

    /** Both methods on the same weights, g and samples; one unmeasured batch each first. */
    private static Result measure(RelevanceTrainer trainer, byte[] w, Targets targets, int batch, int samples) {
        int[] all = IntStream.range(0, samples).toArray();
        // one unmeasured batch each, so that neither pays for first-call set-up
        int[] first = Arrays.copyOf(all, Math.min(batch, samples));
        try (OutputAlignment warm = OutputAlignment.open(trainer, w)) {
            warm.accumulateGradient(targets, first, batch);
            warm.centralDifference(first, warm.defaultEps(), batch);
            warm.perSampleLoop(first);
        }
        try (OutputAlignment a = OutputAlignment.open(trainer, w)) {
            // g and the central difference take a fraction of the loop's time: the median of REPEATS runs each
            double[] gradient = new double[REPEATS];
            for (int r = 0; r < REPEATS; r++) {
                long t0 = System.nanoTime();
                a.accumulateGradient(targets, all, batch);
                gradient[r] = (System.nanoTime() - t0) / 1e9;
            }
            double eps = a.defaultEps();
            double[] differenceTimes = new double[REPEATS];
            double[] difference = null;
            for (int r = 0; r < REPEATS; r++) {
                long t0 = System.nanoTime();
                difference = a.centralDifference(all, eps, batch);
                differenceTimes[r] = (System.nanoTime() - t0) / 1e9;
            }
            long t0 = System.nanoTime();
            double[] loop = a.perSampleLoop(all);
            double loopSeconds = (System.nanoTime() - t0) / 1e9;
            return new Result(samples, batch, eps, median(gradient), median(differenceTimes), loopSeconds,
                    relativeDifference(difference, loop));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double relativeDifference(double[] a, double[] ref) {
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < ref.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return scale == 0 ? worst : worst / scale;
    }
}
