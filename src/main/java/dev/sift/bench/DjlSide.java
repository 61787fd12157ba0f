package dev.sift.bench;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The DJL side of {@link ModelBenchmark}, timed a block at a time so that it can take turns with the PyTorch peer.
 * Training is one epoch of {@code warmup + (blocks + 1) * steps} batches through {@link RelevanceTrainer} (AdamW,
 * clipping, dynamics recording: what the workflows run) that pauses after the warm-up and after every block. The
 * last block never runs: the epoch stays open, so no round's inference follows the end of a training (which
 * returns libtorch's freed memory to the kernel, {@code MemoryRelief}: the next batches would then fault their
 * pages in anew, about 20,000 faults of some 12 us each on this machine, where the peer faults none).
 * Inference runs {@link RelevanceTrainer.Loaded#predict} on a model loaded once, so a block times the forward passes
 * (and the copy of their outputs to Java), not the loading of the weights.
 *
 * <p>All of it runs on one thread of its own, inference too (while training is paused), as the peer runs on one:
 * libgomp gives every thread that starts parallel work its own pool of OpenMP threads and, once a process has more
 * of them than cores, lets them spin only briefly before sleeping. On the 2-core machine a second such thread made
 * inference 12% slower at load 3 and more than twice as fast at load 5 (README, "bench model"): the two sides
 * must wait alike. The calling thread only hands over commands and waits; every time is measured on this side's
 * thread around the work alone.
 */
final class DjlSide implements AutoCloseable {
    /** Handed over in place of a result when this side failed. */
    private static final long FAILED = Long.MIN_VALUE;
    /** Commands that are markers: go on training; stop. */
    private static final Callable<Long> TRAIN = () -> 0L;
    private static final Callable<Long> STOP = () -> 0L;

    private final int batch;
    private final int steps;
    private final int warmup;
    private final int blocks;
    private final Path profile;
    private final TrainSpec.DeviceChoice device;
    private final RelevanceTrainer trainer;
    private final Targets targets;
    private final byte[] initial;
    private final BlockingQueue<Callable<Long>> commands = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> results = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile Throwable failure;
    /** Used on the worker only. */
    private RelevanceTrainer.Loaded inference;
    /** Each timed training step's nanoseconds, written on the worker and read after it hands over a block. */
    private final List<Long> stepNanos = new ArrayList<>();
    private int blocksRun;
    /** Whether training runs on a GPU, where a step's last kernels may still be queued when the trainer calls back. */
    private volatile boolean gpu;
    private int inferenceOffset;

    /**
     * Prepares both sides, trains the {@code warmup} steps and runs {@code warmup} batches of inference, untimed.
     *
     * @param warmup at least 1
     * @param profile folder for profiler traces of the first timed training block (djl-trace.json) and inference
     *     block (djl-infer-trace.json), or null
     * @param device where both training and inference run: the CPU or the GPU (which fails at once without one)
     */
    DjlSide(BertConfig config, int batch, int seq, int steps, int warmup, int blocks, Path profile,
            TrainSpec.DeviceChoice device) throws InterruptedException {
        this.batch = batch;
        this.steps = steps;
        this.warmup = warmup;
        this.blocks = blocks;
        this.profile = profile;
        this.device = device;
        int n = batch * (warmup + (blocks + 1) * steps);
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
                4, false, name -> true, b -> { }, RelevanceTrainer.device(device));
        initial = trainer.initialWeights(1);
        worker = new Thread(this::work, "sift-bench-djl");
        worker.setDaemon(true);
        worker.start();
        try {
            take(); // the warm-up steps
            run(() -> {
                inference = trainer.loaded(initial);
                inference.predict(IntStream.range(0, batch * warmup).toArray(), batch);
                return 0L;
            });
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** PyTorch's intra-op threads as this side runs them. */
    static int threads() {
        return JniUtils.getNumThreads();
    }

    /** Runs the next block of training steps; returns its seconds and each step's. */
    ModelBenchmark.Turn train() throws InterruptedException {
        if (blocksRun == blocks) {
            throw new IllegalStateException("all " + blocks + " training blocks have run");
        }
        blocksRun++;
        double seconds = run(TRAIN) / 1e9;
        double[] each = stepNanos.stream().mapToDouble(n -> n / 1e9).toArray();
        stepNanos.clear();
        return new ModelBenchmark.Turn(seconds, each);
    }

    /**
     * Runs {@code steps} batches of inference, a call each; returns their seconds and each batch's.
     *
     * @param profiled whether to write a profiler trace of this block (when the side has a profile folder)
     */
    ModelBenchmark.Turn infer(boolean profiled) throws InterruptedException {
        int n = batch * steps;
        int first = inferenceOffset;
        inferenceOffset = (inferenceOffset + n) % (batch * blocks * steps);
        double[] each = new double[steps];
        boolean trace = profiled && profile != null;
        double seconds = run(() -> {
            if (trace) {
                JniUtils.startProfile(false, false, false);
            }
            long total = 0;
            for (int b = 0; b < steps; b++) {
                int[] which = IntStream.range(first + b * batch, first + (b + 1) * batch).toArray();
                long t0 = System.nanoTime();
                inference.predict(which, batch);
                long t = System.nanoTime() - t0;
                each[b] = t / 1e9;
                total += t;
            }
            if (trace) {
                JniUtils.stopProfile(profile.resolve("djl-infer-trace.json").toString());
            }
            return total;
        }) / 1e9;
        return new ModelBenchmark.Turn(seconds, each);
    }

    /** Hands {@code command} to the worker and waits for its result. */
    private long run(Callable<Long> command) throws InterruptedException {
        commands.add(command);
        return take();
    }

    private long take() throws InterruptedException {
        Long nanos = null;
        while (nanos == null) {
            nanos = results.poll(1, TimeUnit.SECONDS);
            if (nanos == null && !worker.isAlive() && results.isEmpty()) {
                throw new IllegalStateException("the DJL side has ended", failure);
            }
        }
        if (nanos == FAILED) {
            throw new IllegalStateException("the DJL side failed: " + failure, failure);
        }
        return nanos;
    }

    /** The worker: one epoch, serving commands in the listener's pauses, until {@link #STOP}. */
    private void work() {
        try {
            gpu = RelevanceTrainer.device(device).isGpu();
            // no validation split, no early stopping: nothing but the training steps runs between the pauses
            trainer.train(initial, targets, IntStream.range(0, batch * (warmup + (blocks + 1) * steps)).toArray(),
                    new int[0], new TrainSpec(1, batch, 2e-5, 1, 0.01, 0.0, 1.0, 0, device),
                    new Pauses());
            throw new IllegalStateException("the training epoch ended before the benchmark stopped it");
        } catch (Stopped e) {
            // closed, in the spare last block's pause or earlier
        } catch (Throwable e) {
            failure = e;
            results.add(FAILED);
        } finally {
            if (inference != null) {
                inference.close();
            }
        }
    }

    /** Runs commands until {@link #TRAIN}; throws {@link Stopped} at {@link #STOP}. */
    private void serve() throws Exception {
        for (Callable<Long> c = commands.take(); c != TRAIN; c = commands.take()) {
            if (c == STOP) {
                throw new Stopped();
            }
            results.add(c.call());
        }
    }

    /** Thrown on the worker to end training early. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** Hands over after the warm-up and after each block, serving commands until told to train on. */
    private final class Pauses implements RelevanceTrainer.Listener {
        private long start;
        /** When the step now ending began. */
        private long stepStart;
        private int block;

        @Override
        public void batch(int epoch, long batches, long total) {
            waitForDevice();
            long end = System.nanoTime();
            if (batches > warmup) {
                stepNanos.add(end - stepStart);
            }
            stepStart = end;
            if (batches < warmup || (batches - warmup) % steps != 0) {
                return;
            }
            if (profile != null && block == 1) {
                JniUtils.stopProfile(profile.resolve("djl-trace.json").toString());
            }
            results.add(batches == warmup ? 0L : end - start);
            try {
                serve();
            } catch (Stopped | IllegalStateException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("benchmark interrupted", e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            block++;
            if (profile != null && block == 1) {
                JniUtils.startProfile(false, false, false);
            }
            start = System.nanoTime();
            stepStart = start;
        }

        /**
         * On a GPU: a step ends when its kernels have run, as the peer's steps end with torch.cuda.synchronize(). The
         * step's AdamW update is only queued when the trainer calls back; reading one value created on the GPU
         * back to the host waits for the stream. Nothing on the CPU, where every operation has run on return.
         */
        private void waitForDevice() {
            if (gpu) {
                try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.gpu())) {
                    m.create(0f).toFloatArray();
                }
            }
        }

        @Override
        public void epoch(RelevanceTrainer.EpochStats stats) {
        }
    }

    /** Ends the worker (and training, when blocks are left) and frees the inference model. */
    @Override
    public void close() throws InterruptedException {
        commands.add(STOP);
        worker.join();
    }
}
