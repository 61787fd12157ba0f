package dev.sift.bench;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.data.SyntheticShop;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.model.EncodedPairs;
import dev.sift.model.ModelSpec;
import dev.sift.model.OutputAlignment;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.Targets;
import dev.sift.model.TrainSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Output alignments g . dM(x_i)/dtheta over all parameters of the hashed model: the central difference along g
 * (two batched forward passes) against one-sample-at-a-time autograd dot products, on the same trained weights,
 * the same g and the same samples, in the same run. Both need g (one batched backward pass over the samples),
 * which is timed on its own and counted in both totals.
 */
public final class AlignmentBenchmark {
    private static final int DIM = 64;
    private static final int HIDDEN = 64;
    private static final int CLASSES = 4;

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

    /** {@code samples} synthetic samples in batches of {@code batch}, on weights trained for two epochs. */
    public static Result run(int batch, int samples) {
        List<Sample> rows = samples(samples);
        ModelSpec model = new ModelSpec(ModelSpec.Encoder.HASHED_BOW, null, ModelSpec.Mode.FULL, 2, 64,
                ModelSpec.Pooling.MEAN, 4096, DIM, HIDDEN);
        EncodedPairs data = EncodedPairs.encode(rows, model.buckets());
        Targets targets = Targets.of(new TaskSpec(TaskType.GRADED, 0, 3),
                rows.stream().mapToDouble(Sample::label).toArray());
        RelevanceTrainer trainer = new RelevanceTrainer(model, data, CLASSES, false);
        int[] all = IntStream.range(0, samples).toArray();
        byte[] w = trainer.train(trainer.initialWeights(1), targets, all, new int[0],
                new TrainSpec(2, 64, 0.003, 1, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU),
                RelevanceTrainer.Listener.NONE).weights();
        // one unmeasured batch each, so that neither pays for first-call set-up
        int[] first = Arrays.copyOf(all, Math.min(batch, samples));
        try (OutputAlignment warm = OutputAlignment.open(trainer, w)) {
            warm.accumulateGradient(targets, first, batch);
            warm.centralDifference(first, warm.defaultEps(), batch);
            warm.perSampleLoop(first);
        }
        try (OutputAlignment a = OutputAlignment.open(trainer, w)) {
            long t0 = System.nanoTime();
            a.accumulateGradient(targets, all, batch);
            double gradientSeconds = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            double eps = a.defaultEps();
            double[] difference = a.centralDifference(all, eps, batch);
            double differenceSeconds = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            double[] loop = a.perSampleLoop(all);
            double loopSeconds = (System.nanoTime() - t0) / 1e9;
            return new Result(samples, batch, eps, gradientSeconds, differenceSeconds, loopSeconds,
                    relativeDifference(difference, loop));
        }
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

    private static List<Sample> samples(int n) {
        List<SyntheticShop.Row> rows = SyntheticShop.generate(n, 0.1, 3);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SyntheticShop.Row r = rows.get(i);
            samples.add(new Sample(i, r.query(), r.title(), r.description(), r.label(), r.query(), null, false,
                    Split.TRAIN, i + 2));
        }
        return samples;
    }
}
