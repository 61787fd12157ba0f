package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.bench.ModelBenchmark;
import dev.sift.history.Table;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench model}: {@link ModelBenchmark}, DJL vs PyTorch on the same model, batch and machine. */
@Command(name = "model", description = "Training and inference samples/s and peak memory of the MiniLM-L6 "
        + "cross-encoder in Sift (DJL, PyTorch engine) and in PyTorch itself (a Python with torch), same batch, "
        + "sequence length and machine; prints the ratios.")
public class ModelBenchCommand implements Callable<Integer> {
    private static final double MIB = 1048576.0;

    @Option(names = "--batch", defaultValue = "32", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--seq", defaultValue = "32", description = "sequence length (default: ${DEFAULT-VALUE})")
    int seq;

    @Option(names = "--steps", defaultValue = "20", description = "measured steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup", defaultValue = "3", description = "unmeasured steps first (default: "
            + "${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--python", defaultValue = "python3", description = "a Python with torch for the "
            + "PyTorch peer, or 'none' (default: ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--profile", description = "folder for profiler traces of the measured training steps: "
            + "djl-trace.json (chrome trace) and torch-ops.txt (PyTorch's top operators); slows both down")
    Path profile;

    @Option(names = "--adamw", defaultValue = "flat", description = "the AdamW Sift trains with: flat (chunked "
            + "over flat moment buffers, the default) or djl (DJL's, one native update per parameter); the same "
            + "maths bit for bit (default: ${DEFAULT-VALUE})")
    String adamw;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws Exception {
        if (!adamw.equals("flat") && !adamw.equals("djl")) {
            System.err.println("--adamw is flat or djl, not " + adamw);
            return ExitCodes.USAGE;
        }
        ModelBenchmark.Result r = ModelBenchmark.run(new ModelBenchmark.Options(batch, seq, steps, warmup,
                python.equals("none") ? null : python, profile, adamw), System.err::println);
        ModelBenchmark.Throughput djl = r.djl();
        Table t = new Table(List.of("engine", "train_samples_per_s", "infer_samples_per_s", "peak_rss_mib"));
        t.add("DJL " + r.djlVersion() + " (PyTorch engine)", djl.trainSamplesPerSecond(),
                djl.inferSamplesPerSecond(), djl.peakRssBytes() / MIB);
        if (r.torch() != null) {
            ModelBenchmark.Throughput torch = r.torch().throughput();
            t.add("PyTorch " + r.torch().torchVersion() + " (" + r.torch().threads() + " threads)",
                    torch.trainSamplesPerSecond(), torch.inferSamplesPerSecond(), torch.peakRssBytes() / MIB);
            t.add("ratio DJL / PyTorch", djl.trainSamplesPerSecond() / torch.trainSamplesPerSecond(),
                    djl.inferSamplesPerSecond() / torch.inferSamplesPerSecond(),
                    djl.peakRssBytes() / torch.peakRssBytes());
        }
        System.out.print(output.render(t));
        return ExitCodes.OK;
    }
}
