package dev.sift.bench;

import dev.sift.data.Sample;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.model.Devices;
import dev.sift.model.EncodedPairs;
import dev.sift.model.ModelSpec;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.Targets;
import dev.sift.model.TrainSpec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Training speed of the hashed bag-of-words model at the settings it is given (the workflow defaults, from the
 * command): one epoch over generated pairs, with one PyTorch thread per operation (what Sift uses for this model)
 * against PyTorch's default (one per core), in alternating rounds so that a burst of other work on a shared machine
 * does not land on one side only. Training includes everything around a step (features, batching, dynamics
 * recording, clipping, AdamW); feature encoding happens once, before the rounds.
 */
public final class HashedBenchmark {
    private HashedBenchmark() {
    }

    /** Samples per second of each round, per side, and the load average before and after. */
    public record Result(int samples, int defaultThreads, double[] oneThread, double[] pytorchDefault,
            String loadBefore, String loadAfter, float lossOne, float lossDefault) {
        public double medianOne() {
            return median(oneThread);
        }

        public double medianDefault() {
            return median(pytorchDefault);
        }

        /** The median over rounds of one thread's speed divided by the default's in the same round. */
        public double medianRatio() {
            return median(ratios());
        }

        public double[] ratios() {
            double[] r = new double[oneThread.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = oneThread[i] / pytorchDefault[i];
            }
            return r;
        }
    }

    public static Result run(ModelSpec model, TrainSpec train, int samples, int rounds) {
        List<Sample> data = BenchData.samples(samples);
        EncodedPairs encoded = EncodedPairs.encode(data, model.buckets());
        int classes = 4;
        Targets targets = Targets.of(new TaskSpec(TaskType.GRADED, 0, classes - 1),
                data.stream().mapToDouble(Sample::label).toArray());
        RelevanceTrainer trainer = new RelevanceTrainer(model, encoded, classes, false).withoutEpochScorer();
        int[] all = IntStream.range(0, samples).toArray();
        byte[] init = trainer.initialWeights(train.seed());
        TrainSpec oneEpoch = new TrainSpec(1, train.batchSize(), train.learningRate(), train.seed(),
                train.weightDecay(), train.warmup(), train.clipNorm(), 0, TrainSpec.DeviceChoice.CPU);
        int cores = Devices.defaultThreads();
        String before = BenchData.loadAverage();
        double[] one = new double[rounds];
        double[] dflt = new double[rounds];
        float[] loss = new float[2];
        try {
            // one unmeasured epoch on a slice, so neither side pays for first-call set-up
            Devices.force(1);
            trainer.train(init, targets, Arrays.copyOf(all, Math.min(samples, 512)), new int[0], oneEpoch,
                    RelevanceTrainer.Listener.NONE);
            for (int r = 0; r < rounds; r++) {
                for (int side = 0; side < 2; side++) {
                    boolean oneFirst = r % 2 == 0;
                    boolean isOne = (side == 0) == oneFirst;
                    Devices.force(isOne ? 1 : 0);
                    long t0 = System.nanoTime();
                    var result = trainer.train(init, targets, all, new int[0], oneEpoch,
                            RelevanceTrainer.Listener.NONE);
                    double perSecond = samples / ((System.nanoTime() - t0) / 1e9);
                    (isOne ? one : dflt)[r] = perSecond;
                    loss[isOne ? 0 : 1] = (float) result.epochs().get(0).trainLoss();
                }
            }
        } finally {
            Devices.force(null);
        }
        return new Result(samples, cores, one, dflt, before, BenchData.loadAverage(), loss[0], loss[1]);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

}
