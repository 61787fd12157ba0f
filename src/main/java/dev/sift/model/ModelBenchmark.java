package dev.sift.model;

import ai.djl.Device;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.model.TrainSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Throughput of Sift's own training and inference path (the trainer the workflows use: AdamW, clipping,
 * dynamics recording) for a BERT cross-encoder of a given shape, at a fixed batch size and sequence length.
 */
public final class ModelBenchmark {
    private ModelBenchmark() {
    }

    /** Samples per second and the process's peak resident memory. */
    public record Result(double trainSamplesPerSecond, double inferSamplesPerSecond, long peakRssBytes) {
    }

    public static Result run(BertConfig config, int batch, int seq, int warmupSteps, int steps) {
        return run(config, batch, seq, warmupSteps, steps, null);
    }

    /** With {@code profile} set, the measured training steps are traced by the PyTorch profiler into that file. */
    public static Result run(BertConfig config, int batch, int seq, int warmupSteps, int steps, Path profile) {
        int n = batch * (warmupSteps + steps);
        Random r = new Random(1);
        long[][] ids = new long[n][seq];
        long[][] types = new long[n][seq];
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < seq; t++) {
                ids[i][t] = 1000 + r.nextInt(20000);
            }
            labels[i] = r.nextInt(4);
        }
        TokenizedPairs pairs = new TokenizedPairs(ids, types);
        Targets targets = Targets.of(new TaskSpec(TaskType.GRADED, 0, 3), labels);
        RelevanceTrainer trainer = new RelevanceTrainer(() -> new CrossEncoder(config, 4, false, 0f), pairs, 4,
                false, name -> true, b -> { }, Device.cpu());
        byte[] init = trainer.initialWeights(1);
        int[] all = IntStream.range(0, n).toArray();
        long[] marks = new long[2];
        RelevanceTrainer.Listener timing = new RelevanceTrainer.Listener() {
            @Override
            public void batch(int epoch, long done, long total) {
                if (done == warmupSteps) {
                    marks[0] = System.nanoTime();
                    if (profile != null) {
                        ai.djl.pytorch.jni.JniUtils.startProfile(false, false, false);
                    }
                }
                if (done == total) {
                    marks[1] = System.nanoTime();
                    if (profile != null) {
                        ai.djl.pytorch.jni.JniUtils.stopProfile(profile.toString());
                    }
                }
            }

            @Override
            public void epoch(RelevanceTrainer.EpochStats stats) {
            }
        };
        // no validation split, no early stopping: one epoch of exactly warmupSteps + steps batches
        var result = trainer.train(init, targets, all, new int[0],
                new TrainSpec(1, batch, 2e-5, 1, 0.01, 0.0, 1.0, 0, dev.sift.model.TrainSpec.DeviceChoice.CPU), timing);
        double train = (double) batch * steps / ((marks[1] - marks[0]) / 1e9);
        int[] warm = IntStream.range(0, batch * warmupSteps).toArray();
        trainer.predict(result.weights(), warm, batch);
        int[] measured = IntStream.range(batch * warmupSteps, n).toArray();
        long t0 = System.nanoTime();
        trainer.predict(result.weights(), measured, batch);
        double infer = (double) measured.length / ((System.nanoTime() - t0) / 1e9);
        return new Result(train, infer, peakRss());
    }

    /** VmHWM of this process (Linux), or -1. */
    public static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
