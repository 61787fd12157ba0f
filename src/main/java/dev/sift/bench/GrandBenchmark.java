package dev.sift.bench;

import dev.sift.data.Sample;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.model.EncodedPairs;
import dev.sift.model.GhostGradNorms;
import dev.sift.model.ModelSpec;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.Targets;
import dev.sift.model.TrainSpec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Per-sample gradient norms over all parameters of the hashed model (GraNd): ghost norms for a whole batch
 * against one-sample-at-a-time autograd, on the same trained weights and samples, in the same run.
 */
public final class GrandBenchmark {
    private static final int DIM = 64;
    private static final int HIDDEN = 64;
    private static final int CLASSES = 4;

    private GrandBenchmark() {
    }

    /**
     * @param largestRelativeDifference the largest |ghost - loop| / loop over all samples
     */
    public record Result(int samples, int batch, double ghostSeconds, double loopSeconds,
            double largestRelativeDifference) {
        public double ghostSamplesPerSecond() {
            return samples / ghostSeconds;
        }

        public double loopSamplesPerSecond() {
            return samples / loopSeconds;
        }

        public double speedUp() {
            return loopSeconds / ghostSeconds;
        }
    }

    /** {@code batches} batches of {@code batch} synthetic samples, on weights trained for two epochs. */
    public static Result run(int batch, int batches) {
        int n = batch * batches;
        List<Sample> samples = BenchData.samples(n);
        ModelSpec model = new ModelSpec(ModelSpec.Encoder.HASHED_BOW, null, ModelSpec.Mode.FULL, 2, 64,
                ModelSpec.Pooling.MEAN, 4096, DIM, HIDDEN);
        EncodedPairs data = EncodedPairs.encode(samples, model.buckets());
        Targets targets = Targets.of(new TaskSpec(TaskType.GRADED, 0, 3),
                samples.stream().mapToDouble(Sample::label).toArray());
        RelevanceTrainer trainer = new RelevanceTrainer(model, data, CLASSES, false);
        int[] all = IntStream.range(0, n).toArray();
        byte[] w = trainer.train(trainer.initialWeights(1), targets, all, new int[0],
                new TrainSpec(2, 64, 0.003, 1, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU),
                RelevanceTrainer.Listener.NONE).weights();
        int[] cls = targets.classes();
        // one unmeasured batch each, so that neither pays for first-call set-up
        GhostGradNorms.compute(w, data, cls, Arrays.copyOf(all, batch), DIM, HIDDEN, CLASSES, batch);
        GhostGradNorms.perSampleLoop(w, data, cls, Arrays.copyOf(all, batch), DIM, HIDDEN, CLASSES);
        long t0 = System.nanoTime();
        double[] ghost = GhostGradNorms.compute(w, data, cls, all, DIM, HIDDEN, CLASSES, batch);
        double ghostSeconds = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        double[] loop = GhostGradNorms.perSampleLoop(w, data, cls, all, DIM, HIDDEN, CLASSES);
        double loopSeconds = (System.nanoTime() - t0) / 1e9;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(ghost[i] - loop[i]) / Math.max(1e-12, loop[i]));
        }
        return new Result(n, batch, ghostSeconds, loopSeconds, worst);
    }
}
