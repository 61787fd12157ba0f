package dev.sift.bench;

import dev.sift.model.BertConfig;
import dev.sift.model.TrainSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Throughput of Sift's own training and inference path (the trainer the workflows use: AdamW, clipping,
 * dynamics recording) for a BERT cross-encoder (MiniLM-L6 from the command), beside the same model in PyTorch
 * itself ({@link TorchPeer}), at the same batch size, sequence length, thread count and machine. The two sides
 * take turns in rounds: each round times a block of training steps on each side, then a block of inference
 * batches on each side, and which side goes first alternates, so that a burst of other work on a shared machine
 * lands on both sides rather than on one. Both stay alive across rounds: set-up is never timed.
 */
public final class ModelBenchmark {
    /** The system property training reads to choose its AdamW (dev.sift.model.FlatAdamW). */
    private static final String ADAMW_PROPERTY = "sift.adamw";

    private ModelBenchmark() {
    }

    /**
     * @param steps training steps, and inference batches, per side and round
     * @param warmup unmeasured training steps and inference batches on each side before the first round (at least 1)
     * @param rounds rounds of alternating turns
     * @param python a Python with torch for the PyTorch peer, or null for none
     * @param profile folder for profiler traces of the first round's training and inference blocks, or null
     * @param adamw which AdamW trains: {@code flat} (Sift's, the default), {@code kernel} (Sift's with the native
     *     kernel) or {@code djl} (DJL's, per parameter)
     * @param gpu whether both sides run on the GPU (DJL through the CUDA libtorch it loaded, the peer on {@code
     *     cuda}) rather than the CPU
     * @param peerAutocast {@code bf16}: the peer's forward passes run under {@code torch.autocast} with bfloat16
     *     (its weights and optimiser stay fp32); DJL has no autocast, so its side stays fp32 whatever this says.
     *     Or null: fp32 on both sides
     */
    public record Options(int batch, int seq, int steps, int warmup, int rounds, String python, Path profile,
            String adamw, boolean gpu, String peerAutocast) {
        public Options {
            if (batch < 1 || seq < 1 || steps < 1 || warmup < 1 || rounds < 1) {
                throw new IllegalArgumentException("batch, sequence length, steps, warm-up and rounds must be >= 1");
            }
            if (peerAutocast != null && !peerAutocast.equals("bf16")) {
                throw new IllegalArgumentException("the peer's autocast is bf16 or none, not " + peerAutocast);
            }
        }

        /** Before the device and autocast options: the CPU, fp32. */
        public Options(int batch, int seq, int steps, int warmup, int rounds, String python, Path profile,
                String adamw) {
            this(batch, seq, steps, warmup, rounds, python, profile, adamw, false, null);
        }
    }

    /**
     * One round's samples per second on each side (NaN for PyTorch without a peer) and the load average after it.
     *
     * @param djlFirst whether DJL took its turns first in this round (odd rounds) or PyTorch (even rounds)
     */
    public record Round(int round, boolean djlFirst, double djlTrain, double torchTrain, double djlInfer,
            double torchInfer, String loadAfter) {
        public double trainRatio() {
            return djlTrain / torchTrain;
        }

        public double inferRatio() {
            return djlInfer / torchInfer;
        }
    }

    /** One side's turn: its seconds in all, and each step's (or inference batch's) seconds. */
    public record Turn(double seconds, double[] steps) {
        static final Turn NONE = new Turn(Double.NaN, new double[0]);
    }

    /**
     * Every timed step's seconds per side over all rounds: training steps and inference batches. Their medians are a
     * second estimate of the ratios beside the rounds' (README, "bench model"): a burst of other work on a shared
     * machine stretches the steps it lands on, which moves a block's total (and a round's ratio) but hardly the
     * median step of either side.
     */
    public record Steps(double[] djlTrain, double[] torchTrain, double[] djlInfer, double[] torchInfer) {
        /** DJL's samples/s over PyTorch's from the median steps: PyTorch's median step time over DJL's. */
        public double trainRatio() {
            return median(torchTrain) / median(djlTrain);
        }

        public double inferRatio() {
            return median(torchInfer) / median(djlInfer);
        }

        /** The median, NaN when there are none. */
        public static double median(double[] v) {
            if (v.length == 0) {
                return Double.NaN;
            }
            double[] s = v.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }
    }

    /** Median, smallest and largest of a measure over the rounds that have it (all NaN when none has). */
    public record Spread(double median, double min, double max) {
        public static Spread of(List<Round> rounds, ToDoubleFunction<Round> measure) {
            double[] v = rounds.stream().mapToDouble(measure).filter(Double::isFinite).sorted().toArray();
            int n = v.length;
            if (n == 0) {
                return new Spread(Double.NaN, Double.NaN, Double.NaN);
            }
            return new Spread(Steps.median(v), v[0], v[n - 1]);
        }
    }

    /**
     * @param djlVersion the DJL release Sift ran on
     * @param djlThreads PyTorch's intra-op threads on the DJL side
     * @param torchVersion the peer's torch version, or null when no peer ran (then its threads and memory are 0)
     * @param torchThreads the peer's intra-op threads (set to DJL's)
     */
    public record Result(String djlVersion, int djlThreads, String torchVersion, int torchThreads, List<Round> rounds,
            Steps steps, long djlPeakRss, long torchPeakRss, String loadBefore, String loadAfter) {
        public boolean hasTorch() {
            return torchVersion != null;
        }
    }

    /** Both sides in alternating rounds; {@code log} hears the progress and why a peer did not run. */
    public static Result run(BertConfig config, Options o, Consumer<String> log)
            throws IOException, InterruptedException {
        log.accept(String.format("MiniLM-L6 cross-encoder, batch %d, sequence %d, %d warm-up + %d rounds of %d steps "
                + "per side, %s AdamW, on the %s%s...", o.batch(), o.seq(), o.warmup(), o.rounds(), o.steps(),
                o.adamw(), o.gpu() ? "GPU" : "CPU", o.peerAutocast() == null ? "" : ", the peer under "
                + o.peerAutocast() + " autocast"));
        Path profile = o.profile() == null ? null : o.profile().toAbsolutePath();
        if (profile != null) {
            Files.createDirectories(profile);
        }
        String loadBefore = BenchData.loadAverage();
        String before = System.getProperty(ADAMW_PROPERTY);
        System.setProperty(ADAMW_PROPERTY, o.adamw());
        try (DjlSide djl = new DjlSide(config, o.batch(), o.seq(), o.steps(), o.warmup(), o.rounds(),
                profile, o.gpu() ? TrainSpec.DeviceChoice.GPU : TrainSpec.DeviceChoice.CPU)) {
            int threads = DjlSide.threads();
            Turns turns = new Turns(o, djl, peer(config, o, threads, profile, log), log);
            try {
                List<Round> rounds = new ArrayList<>();
                for (int r = 1; r <= o.rounds(); r++) {
                    rounds.add(turns.round(r));
                }
                long torchPeak = turns.finish();
                return new Result(System.getProperty("ai.djl.version", "0.36.0"), threads, turns.torchVersion,
                        turns.torchThreads, rounds, turns.steps(), peakRss(), torchPeak, loadBefore,
                        BenchData.loadAverage());
            } finally {
                turns.close();
            }
        } finally {
            if (before == null) {
                System.clearProperty(ADAMW_PROPERTY);
            } else {
                System.setProperty(ADAMW_PROPERTY, before);
            }
        }
    }

    /** The started peer, or null (said to {@code log}) when there is none or it could not start. */
    private static TorchPeer peer(BertConfig c, Options o, int threads, Path profile, Consumer<String> log) {
        if (o.python() == null) {
            return null;
        }
        log.accept("PyTorch: " + o.python() + " (" + threads + " threads, as DJL)");
        try {
            return TorchPeer.start(o.python(), c, new TorchPeer.Shape(o.batch(), o.seq(), threads, o.gpu(),
                    o.peerAutocast()), profile == null ? "" : profile.toString());
        } catch (IOException e) {
            log.accept("PyTorch peer unavailable (" + e.getMessage() + "); --python names one");
            return null;
        }
    }

    /** The rounds' turns; a peer that fails is said to the log and left out of the rounds after. */
    private static final class Turns implements AutoCloseable {
        private final Options o;
        private final DjlSide djl;
        private final Consumer<String> log;
        private final String torchVersion;
        private final int torchThreads;
        /** Every timed step's seconds: DJL training, PyTorch training, DJL inference, PyTorch inference. */
        private final List<List<double[]>> steps = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>());
        private TorchPeer torch;

        Turns(Options o, DjlSide djl, TorchPeer torch, Consumer<String> log) {
            this.o = o;
            this.djl = djl;
            this.torch = torch;
            this.log = log;
            this.torchVersion = torch == null ? null : torch.version();
            this.torchThreads = torch == null ? 0 : torch.threads();
            if (torch != null) {
                torchTurn(() -> torch.train(o.warmup(), false));
                torchTurn(() -> torch.infer(o.warmup(), false));
            }
        }

        Round round(int r) throws InterruptedException {
            boolean djlFirst = r % 2 == 1;
            boolean profile = r == 1 && o.profile() != null;
            Turn[] turns = new Turn[4];
            for (int side = 0; side < 2; side++) {
                if ((side == 0) == djlFirst) {
                    turns[0] = djl.train();
                } else {
                    turns[1] = torchTurn(() -> torch.train(o.steps(), profile));
                }
            }
            for (int side = 0; side < 2; side++) {
                if ((side == 0) == djlFirst) {
                    turns[2] = djl.infer(profile);
                } else {
                    turns[3] = torchTurn(() -> torch.infer(o.steps(), profile));
                }
            }
            for (int i = 0; i < 4; i++) {
                steps.get(i).add(turns[i].steps());
            }
            double[] train = {turns[0].seconds(), turns[1].seconds()};
            double[] infer = {turns[2].seconds(), turns[3].seconds()};
            double samples = (double) o.batch() * o.steps();
            Round round = new Round(r, djlFirst, samples / train[0], samples / train[1], samples / infer[0],
                    samples / infer[1], BenchData.loadAverage());
            log.accept(Double.isNaN(round.torchTrain()) || Double.isNaN(round.torchInfer())
                    ? String.format("round %d: train DJL %.1f samples/s; inference DJL %.1f; load %s", r,
                            round.djlTrain(), round.djlInfer(), round.loadAfter())
                    : String.format("round %d (%s first): train DJL %.1f, PyTorch %.1f samples/s (%.2f); inference "
                    + "DJL %.1f, PyTorch %.1f (%.2f); load %s", r, djlFirst ? "DJL" : "PyTorch", round.djlTrain(),
                    round.torchTrain(), round.trainRatio(), round.djlInfer(), round.torchInfer(), round.inferRatio(),
                    round.loadAfter()));
            return round;
        }

        /** The peer's turn; {@link Turn#NONE} without a peer or when it failed (then there is none after). */
        private Turn torchTurn(PeerCall call) {
            if (torch == null) {
                return Turn.NONE;
            }
            try {
                return call.turn();
            } catch (IOException e) {
                log.accept("PyTorch peer failed: " + e.getMessage());
                closePeer();
                return Turn.NONE;
            }
        }

        /** The steps of all rounds so far. */
        Steps steps() {
            double[][] all = new double[4][];
            for (int i = 0; i < 4; i++) {
                all[i] = steps.get(i).stream().flatMapToDouble(Arrays::stream).toArray();
            }
            return new Steps(all[0], all[1], all[2], all[3]);
        }

        /** Ends the peer; its peak memory, or 0 without one. */
        long finish() throws InterruptedException {
            if (torch == null) {
                return 0;
            }
            try {
                return torch.finish();
            } catch (IOException e) {
                log.accept("PyTorch peer failed at the end: " + e.getMessage());
                return 0;
            }
        }

        private void closePeer() {
            try {
                torch.close();
            } catch (IOException e) {
                log.accept("could not remove the peer's script: " + e.getMessage());
            }
            torch = null;
        }

        @Override
        public void close() {
            if (torch != null) {
                closePeer();
            }
        }
    }

    private interface PeerCall {
        Turn turn() throws IOException;
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
