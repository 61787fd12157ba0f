package dev.sift.bench;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.model.BertConfig;
import dev.sift.model.CrossEncoder;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.Targets;
import dev.sift.model.TokenizedPairs;
import dev.sift.model.TrainSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Throughput of Sift's own training and inference path (the trainer the workflows use: AdamW, clipping,
 * dynamics recording) for the MiniLM-L6-shaped cross-encoder, beside the same model in PyTorch itself
 * ({@link TorchPeer}), at the same batch size, sequence length and machine.
 */
public final class ModelBenchmark {
    /** The system property training reads to choose its AdamW (dev.sift.model.FlatAdamW). */
    private static final String ADAMW_PROPERTY = "sift.adamw";

    private ModelBenchmark() {
    }

    /**
     * @param warmup unmeasured steps before the measured ones
     * @param python a Python with torch for the PyTorch peer, or null for none
     * @param profile folder for profiler traces of the measured training steps, or null
     * @param adamw which AdamW trains: {@code flat} (Sift's, the default) or {@code djl} (DJL's, per parameter)
     */
    public record Options(int batch, int seq, int steps, int warmup, String python, Path profile, String adamw) {
    }

    /** Samples per second and the process's peak resident memory. */
    public record Throughput(double trainSamplesPerSecond, double inferSamplesPerSecond, double peakRssBytes) {
    }

    /**
     * @param djlVersion the DJL release Sift ran on
     * @param torch PyTorch's own numbers, or null when no peer ran or it failed
     */
    public record Result(String djlVersion, Throughput djl, TorchResult torch) {
    }

    /** What the PyTorch peer measured, on how many threads. */
    public record TorchResult(String torchVersion, int threads, Throughput throughput) {
    }

    /** Sift first, then the PyTorch peer; {@code log} hears what runs and why a peer did not. */
    public static Result run(Options options, Consumer<String> log) throws IOException, InterruptedException {
        BertConfig c = BertConfig.miniLmL6();
        log.accept(String.format("DJL: MiniLM-L6 cross-encoder, batch %d, sequence %d, %d + %d steps, %s AdamW...",
                options.batch(), options.seq(), options.warmup(), options.steps(), options.adamw()));
        Path profile = options.profile() == null ? null : options.profile().toAbsolutePath();
        if (profile != null) {
            Files.createDirectories(profile);
        }
        String before = System.getProperty(ADAMW_PROPERTY);
        System.setProperty(ADAMW_PROPERTY, options.adamw());
        Throughput djl;
        try {
            djl = djl(c, options.batch(), options.seq(), options.warmup(), options.steps(),
                    profile == null ? null : profile.resolve("djl-trace.json"));
        } finally {
            if (before == null) {
                System.clearProperty(ADAMW_PROPERTY);
            } else {
                System.setProperty(ADAMW_PROPERTY, before);
            }
        }
        TorchResult torch = options.python() == null ? null
                : TorchPeer.run(options.python(), c, options, profile == null ? "" : profile.resolve("torch-ops.txt")
                        .toString(), log);
        return new Result(System.getProperty("ai.djl.version", "0.36.0"), djl, torch);
    }

    /**
     * One epoch of exactly {@code warmupSteps + steps} batches through {@link RelevanceTrainer}, then inference
     * on as many samples. With {@code profile} set, the measured training steps are traced by the PyTorch
     * profiler into that file.
     */
    public static Throughput djl(BertConfig config, int batch, int seq, int warmupSteps, int steps, Path profile) {
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
        Targets targets = Targets.of(new TaskSpec(TaskType.GRADED, 0, 3), labels);
        RelevanceTrainer trainer = new RelevanceTrainer(() -> new CrossEncoder(config, 4, false, 0f),
                new TokenizedPairs(ids, types), 4, false, name -> true, b -> { }, Device.cpu());
        StepTimer timer = new StepTimer(warmupSteps, profile);
        // no validation split, no early stopping: nothing but the training steps is timed
        var result = trainer.train(trainer.initialWeights(1), targets, IntStream.range(0, n).toArray(), new int[0],
                new TrainSpec(1, batch, 2e-5, 1, 0.01, 0.0, 1.0, 0, TrainSpec.DeviceChoice.CPU), timer);
        double train = (double) batch * steps / ((timer.end - timer.start) / 1e9);
        trainer.predict(result.weights(), IntStream.range(0, batch * warmupSteps).toArray(), batch);
        int[] measured = IntStream.range(batch * warmupSteps, n).toArray();
        long t0 = System.nanoTime();
        trainer.predict(result.weights(), measured, batch);
        double infer = (double) measured.length / ((System.nanoTime() - t0) / 1e9);
        return new Throughput(train, infer, peakRss());
    }

    /** Times the batches after the first {@code warmupSteps} of the epoch, profiling them when asked. */
    private static final class StepTimer implements RelevanceTrainer.Listener {
        private final int warmupSteps;
        private final Path profile;
        long start;
        long end;

        StepTimer(int warmupSteps, Path profile) {
            this.warmupSteps = warmupSteps;
            this.profile = profile;
        }

        @Override
        public void batch(int epoch, long done, long total) {
            if (done == warmupSteps) {
                start = System.nanoTime();
                if (profile != null) {
                    JniUtils.startProfile(false, false, false);
                }
            }
            if (done == total) {
                end = System.nanoTime();
                if (profile != null) {
                    JniUtils.stopProfile(profile.toString());
                }
            }
        }

        @Override
        public void epoch(RelevanceTrainer.EpochStats stats) {
        }
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
