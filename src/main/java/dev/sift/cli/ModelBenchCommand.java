package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.bench.ModelBenchmark;
import dev.sift.history.Table;
import ai.djl.Device;
import dev.sift.model.BertConfig;
import dev.sift.model.Devices;
import dev.sift.model.OnnxBert;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench model}: {@link ModelBenchmark}, DJL vs PyTorch on the same model, batch and machine. */
@Command(name = "model", description = "Training and inference samples/s and peak memory of the MiniLM-L6 "
        + "cross-encoder in Sift (training in DJL with the PyTorch engine; inference in ONNX Runtime on the CPU, "
        + "in DJL with SIFT_INFERENCE=djl or on a GPU) and in PyTorch itself (a Python with torch, on as many "
        + "threads), same batch, sequence length and machine, in alternating rounds (each round: a block of "
        + "training steps on each side, then a block of inference batches on each side; the side that goes first "
        + "alternates); prints each round's samples/s and ratios, their median, min and max, the ratios from the "
        + "median step of each side over all rounds, peak memory and the load average before and after (with "
        + "--format json or csv, the rounds table alone on stdout).")
public class ModelBenchCommand implements Callable<Integer> {
    private static final double MIB = 1048576.0;

    @Option(names = "--batch", defaultValue = "32", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seq", defaultValue = "32", description = "sequence length (default: ${DEFAULT-VALUE})")
    int seq;

    @Option(names = "--steps", defaultValue = "20", description = "training steps and inference batches per side "
            + "and round (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "unmeasured steps and batches per side before "
            + "the rounds, at least 1 (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--rounds", defaultValue = "5", description = "alternating rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--python", defaultValue = "python3", description = "a Python with torch for the "
            + "PyTorch peer, or 'none' (default: ${DEFAULT-VALUE}); a peer that gives no ratio ends the benchmark with "
            + "exit code 3 after the DJL side")
    String python;

    @Option(names = "--profile", description = "folder for profiler traces of the first round's training and "
            + "inference blocks: djl-trace.json and djl-infer-trace.json (chrome traces), torch-ops.txt and "
            + "torch-infer-ops.txt (PyTorch's top operators); slows round 1 down")
    Path profile;

    @Option(names = "--adamw", defaultValue = "flat", description = "the AdamW Sift trains with: flat (the "
            + "default: on the CPU, Java loops over cache-sized chunks on libtorch's threads), kernel (DJL's native "
            + "update over chunks of flat moment buffers, the CPU default before 2026-12-02) or djl (DJL's, one "
            + "native update per parameter); the same maths bit for bit (default: ${DEFAULT-VALUE})")
    String adamw;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu: where both sides run; gpu needs a "
            + "CUDA libtorch that DJL loads (README, GPU) and a torch with CUDA on the peer's side (default: "
            + "${DEFAULT-VALUE})")
    String device;

    @Option(names = "--peer-autocast", defaultValue = "none", description = "none or bf16: the PyTorch side's "
            + "forward passes under bfloat16 autocast (fp32 weights and optimiser); DJL has no autocast and stays "
            + "fp32, so the ratios then compare fp32 against mixed precision (default: ${DEFAULT-VALUE})")
    String peerAutocast;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        if (!adamw.equals("flat") && !adamw.equals("kernel") && !adamw.equals("djl")) {
            throw SiftException.usage("--adamw is flat, kernel or djl, not " + adamw);
        }
        if (!device.equals("cpu") && !device.equals("gpu")) {
            throw SiftException.usage("--device is cpu or gpu, not " + device);
        }
        if (!peerAutocast.equals("none") && !peerAutocast.equals("bf16")) {
            throw SiftException.usage("--peer-autocast is none or bf16, not " + peerAutocast);
        }
        if (batch < 1 || seq < 1 || steps < 1 || warmup < 1 || rounds < 1) {
            throw SiftException.usage("--batch, --seq, --steps, --warmup and --rounds must be at least 1");
        }
        if (seq > BertConfig.miniLmL6().maxPositions()) { // DJL's side failed with 'index out of range in self'
            throw SiftException.usage("--seq must be at most " + BertConfig.miniLmL6().maxPositions() + " (MiniLM-L6's "
                    + "position embeddings), got " + seq);
        }
        if (python.contains("/") && !java.nio.file.Files.isExecutable(java.nio.file.Path.of(python))) {
            throw SiftException.usage("--python " + python + ": no such executable (give none to skip the PyTorch "
                    + "peer)");
        }
        if (device.equals("gpu") && ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0) {
            throw new SiftException(ExitCodes.ENVIRONMENT, "--device gpu: DJL's PyTorch sees no GPU (a CPU "
                    + "libtorch, or no CUDA runtime found; README, GPU)");
        }
        ModelBenchmark.Result r = ModelBenchmark.run(BertConfig.miniLmL6(), new ModelBenchmark.Options(batch, seq,
                steps, warmup, rounds, python.equals("none") ? null : python, profile, adamw, device.equals("gpu"),
                peerAutocast.equals("none") ? null : peerAutocast), System.err::println);
        PrintStream info = output.format == OutputOptions.Format.table ? System.out : System.err;
        info.println(header(r));
        System.out.print(output.render(table(r)));
        info.println(memory(r));
        info.println(ratios(r));
        info.println(perStep(r));
        info.println("load average before: " + r.loadBefore());
        info.println("load average after:  " + r.loadAfter());
        String missing = missingPeer(r, python);
        if (missing != null) { // the comparison asked for did not happen: the DJL side above is not a result of it
            throw new SiftException(ExitCodes.ENVIRONMENT, missing);
        }
        return ExitCodes.OK;
    }

    /**
     * Why the PyTorch peer that {@code python} asked for gave no ratio in some round (it did not start, or failed
     * later; the log above says how), or null when it gave them all or none was asked for ({@code none}).
     */
    static String missingPeer(ModelBenchmark.Result r, String python) {
        if (python.equals("none")) {
            return null;
        }
        long without = r.rounds().stream().filter(x -> !Double.isFinite(x.trainRatio())
                || !Double.isFinite(x.inferRatio())).count();
        if (r.hasTorch() && without == 0) {
            return null;
        }
        return "--python " + python + ": no PyTorch peer " + (r.hasTorch() ? "ratio in " + without + " of "
                + r.rounds().size() + " rounds" : "ran") + " (the log above says why); the DJL side alone is shown, "
                + "--python none runs it alone";
    }

    private String header(ModelBenchmark.Result r) {
        boolean gpu = device.equals("gpu");
        String djl = gpu ? "on the GPU" : r.djlThreads() + " threads" + (Devices.onnxInference(Device.cpu())
                ? "; inference in ONNX Runtime " + OnnxBert.version() + " (" + Devices.INFERENCE + "=djl: in DJL)"
                : "; inference in DJL (" + Devices.INFERENCE + "=djl)");
        String torch = !r.hasTorch() ? "no PyTorch peer" : "PyTorch " + r.torchVersion() + " (" + (gpu ? "on the GPU"
                : r.torchThreads() + " threads") + (peerAutocast.equals("none") ? "" : ", bf16 autocast") + ")";
        return String.format("Sift on DJL %s (PyTorch engine, %s) against %s; batch %d, sequence %d, %d rounds of %d "
                + "steps per side", r.djlVersion(), djl, torch, batch, seq, rounds, steps);
    }

    /** Samples/s per round and side with the ratios DJL / PyTorch, then their median, min and max. */
    static Table table(ModelBenchmark.Result r) {
        Table t = new Table(List.of("round", "first", "djl_train", "torch_train", "train_ratio", "djl_infer",
                "torch_infer", "infer_ratio", "load_1m"));
        for (ModelBenchmark.Round x : r.rounds()) {
            t.add(String.valueOf(x.round()), x.djlFirst() ? "DJL" : "PyTorch", x.djlTrain(), orNull(x.torchTrain()),
                    orNull(x.trainRatio()), x.djlInfer(), orNull(x.torchInfer()), orNull(x.inferRatio()),
                    x.loadAfter().split(" ")[0]);
        }
        List<ToDoubleFunction<ModelBenchmark.Round>> measures = List.of(ModelBenchmark.Round::djlTrain,
                ModelBenchmark.Round::torchTrain, ModelBenchmark.Round::trainRatio, ModelBenchmark.Round::djlInfer,
                ModelBenchmark.Round::torchInfer, ModelBenchmark.Round::inferRatio);
        List<ModelBenchmark.Spread> spreads = measures.stream().map(m -> ModelBenchmark.Spread.of(r.rounds(), m))
                .toList();
        for (String row : List.of("median", "min", "max")) {
            Object[] cells = new Object[9];
            cells[0] = row;
            for (int i = 0; i < spreads.size(); i++) {
                ModelBenchmark.Spread s = spreads.get(i);
                cells[2 + i] = orNull(row.equals("median") ? s.median() : row.equals("min") ? s.min() : s.max());
            }
            t.add(cells);
        }
        return t;
    }

    private static String memory(ModelBenchmark.Result r) {
        String djl = String.format("peak RSS: DJL %.0f MiB (the whole JVM)", r.djlPeakRss() / MIB);
        return !r.hasTorch() || r.torchPeakRss() <= 0 ? djl : String.format("%s, PyTorch %.0f MiB, ratio %.2f", djl,
                r.torchPeakRss() / MIB, (double) r.djlPeakRss() / r.torchPeakRss());
    }

    private static String ratios(ModelBenchmark.Result r) {
        if (!r.hasTorch()) {
            return "no ratios: no PyTorch peer ran";
        }
        ModelBenchmark.Spread train = ModelBenchmark.Spread.of(r.rounds(), ModelBenchmark.Round::trainRatio);
        ModelBenchmark.Spread infer = ModelBenchmark.Spread.of(r.rounds(), ModelBenchmark.Round::inferRatio);
        return String.format("DJL / PyTorch: training median %.2f (%.2f-%.2f), inference median %.2f (%.2f-%.2f)",
                train.median(), train.min(), train.max(), infer.median(), infer.min(), infer.max());
    }

    /**
     * The ratios again from the median step of each side over all rounds (each training step and inference batch
     * timed alone), which a burst of other work moves less than the rounds' totals.
     */
    static String perStep(ModelBenchmark.Result r) {
        ModelBenchmark.Steps s = r.steps();
        double djlTrain = 1e3 * ModelBenchmark.Steps.median(s.djlTrain());
        double djlInfer = 1e3 * ModelBenchmark.Steps.median(s.djlInfer());
        if (!r.hasTorch() || s.torchTrain().length == 0 || s.torchInfer().length == 0) {
            return String.format("median step over all rounds: training DJL %.1f ms (%d steps), inference DJL %.1f "
                    + "ms (%d batches)", djlTrain, s.djlTrain().length, djlInfer, s.djlInfer().length);
        }
        return String.format("median step over all rounds: training DJL %.1f ms, PyTorch %.1f ms (%d and %d steps), "
                + "ratio %.2f; inference DJL %.1f ms, PyTorch %.1f ms (%d and %d batches), ratio %.2f", djlTrain,
                1e3 * ModelBenchmark.Steps.median(s.torchTrain()), s.djlTrain().length, s.torchTrain().length,
                s.trainRatio(), djlInfer, 1e3 * ModelBenchmark.Steps.median(s.torchInfer()), s.djlInfer().length,
                s.torchInfer().length, s.inferRatio());
    }

    private static Double orNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
