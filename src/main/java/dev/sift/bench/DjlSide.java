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
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;

/**
 * The DJL side of {@link ModelBenchmark}, timed a block at a time so that it can take turns with the PyTorch peer.
 * Training is one epoch of {@code warmup + blocks * steps} batches through {@link RelevanceTrainer} (AdamW,
 * clipping, dynamics recording: what the workflows run), on a thread of its own that waits after every block until
 * {@link #train} lets it run the next; only the steps of a block are timed, never the wait. Inference runs
 * {@link RelevanceTrainer.Loaded#predict} on a model loaded once, so a block times the forward passes (and the copy
 * of their outputs to Java), not the loading of the weights.
 */
final class DjlSide implements AutoCloseable {
    /** Handed over in place of a block's nanoseconds when training failed. */
    private static final long FAILED = Long.MIN_VALUE;

    private final int batch;
    private final int steps;
    private final int warmup;
    private final int blocks;
    private final Path profile;
    private final RelevanceTrainer trainer;
    private final Targets targets;
    private final byte[] initial;
    private final Semaphore go = new Semaphore(0);
    private final BlockingQueue<Long> done = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final RelevanceTrainer.Loaded inference;
    private volatile Throwable failure;
    private int blocksRun;
    private int inferenceOffset;

    /**
     * Prepares both sides, trains the {@code warmup} steps and runs {@code warmup} batches of inference, untimed.
     *
     * @param warmup at least 1
     * @param profile file for a profiler trace of the first timed training block, or null
     */
    DjlSide(BertConfig config, int batch, int seq, int steps, int warmup, int blocks, Path profile)
            throws InterruptedException {
        this.batch = batch;
        this.steps = steps;
        this.warmup = warmup;
        this.blocks = blocks;
        this.profile = profile;
        int n = batch * (warmup + blocks * steps);
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
        targets = Targets.of(new TaskSpec(TaskType.GRADED, 0, 3), labels);
        trainer = new RelevanceTrainer(() -> new CrossEncoder(config, 4, false, 0f), new TokenizedPairs(ids, types),
                4, false, name -> true, b -> { }, Device.cpu());
        initial = trainer.initialWeights(1);
        worker = new Thread(this::trainAll, "sift-bench-djl-train");
        worker.setDaemon(true);
        worker.start();
        RelevanceTrainer.Loaded loaded = null;
        try {
            take(); // the warm-up steps
            loaded = trainer.loaded(initial);
            loaded.predict(IntStream.range(0, batch * warmup).toArray(), batch);
        } catch (RuntimeException | InterruptedException e) {
            worker.interrupt();
            if (loaded != null) {
                loaded.close();
            }
            throw e;
        }
        inference = loaded;
    }

    /** PyTorch's intra-op threads as this side runs them. */
    static int threads() {
        return JniUtils.getNumThreads();
    }

    /** Runs the next block of training steps; returns its seconds. */
    double train() throws InterruptedException {
        if (blocksRun == blocks) {
            throw new IllegalStateException("all " + blocks + " training blocks have run");
        }
        blocksRun++;
        go.release();
        long nanos = take();
        if (blocksRun == blocks) {
            worker.join(); // the end of the epoch (dynamics, weights) runs before anything else is timed
        }
        return nanos / 1e9;
    }

    /** Runs {@code steps} batches of inference; returns their seconds. */
    double infer() {
        int n = batch * steps;
        int[] which = IntStream.range(inferenceOffset, inferenceOffset + n).toArray();
        inferenceOffset = (inferenceOffset + n) % (batch * blocks * steps);
        long t0 = System.nanoTime();
        inference.predict(which, batch);
        return (System.nanoTime() - t0) / 1e9;
    }

    private long take() throws InterruptedException {
        long nanos = done.take();
        if (nanos == FAILED) {
            throw new IllegalStateException("DJL training failed: " + failure, failure);
        }
        return nanos;
    }

    /** The training thread: one epoch, pausing in the listener after the warm-up and after every block. */
    private void trainAll() {
        try {
            // no validation split, no early stopping: nothing but the training steps runs between the pauses
            trainer.train(initial, targets, IntStream.range(0, batch * (warmup + blocks * steps)).toArray(), new int[0],
                    new TrainSpec(1, batch, 2e-5, 1, 0.01, 0.0, 1.0, 0, TrainSpec.DeviceChoice.CPU), new Pauses());
        } catch (Throwable e) {
            failure = e;
            done.add(FAILED);
        }
    }

    /** Hands over after the warm-up and after each block, and waits for {@link #train} before going on. */
    private final class Pauses implements RelevanceTrainer.Listener {
        private long start;
        private int block;

        @Override
        public void batch(int epoch, long batches, long total) {
            if (batches < warmup || (batches - warmup) % steps != 0) {
                return;
            }
            long end = System.nanoTime();
            if (profile != null && block == 1) {
                JniUtils.stopProfile(profile.toString());
            }
            done.add(batches == warmup ? 0L : end - start);
            if (batches == total) {
                return; // the last block: training ends, untimed
            }
            try {
                go.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("benchmark stopped", e);
            }
            block++;
            if (profile != null && block == 1) {
                JniUtils.startProfile(false, false, false);
            }
            start = System.nanoTime();
        }

        @Override
        public void epoch(RelevanceTrainer.EpochStats stats) {
        }
    }

    /** Stops the training thread (when blocks are left) and frees the inference model. */
    @Override
    public void close() throws InterruptedException {
        if (blocksRun < blocks) {
            worker.interrupt();
        }
        worker.join();
        inference.close();
    }
}
