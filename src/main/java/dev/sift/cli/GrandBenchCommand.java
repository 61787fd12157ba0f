package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.bench.GrandBenchmark;
import dev.sift.history.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench grand}: {@link GrandBenchmark}. */
@Command(name = "grand", description = "Per-sample gradient norms over all parameters of the hashed model: "
        + "ghost norms for a whole batch against one-sample-at-a-time autograd; prints times, ratio and the "
        + "largest relative difference.")
public class GrandBenchCommand implements Callable<Integer> {
    @Option(names = "--batch", defaultValue = "32", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--batches", defaultValue = "20", description = "batches measured (default: "
            + "${DEFAULT-VALUE})")
    int batches;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        SiftException.atLeast("--batch", batch, 1);
        SiftException.atLeast("--batches", batches, 1);
        GrandBenchmark.Result r = GrandBenchmark.run(batch, batches);
        Table t = new Table(List.of("implementation", "samples", "seconds", "samples_per_s"));
        t.add("ghost norms, batch " + r.batch(), r.samples(), r.ghostSeconds(), r.ghostSamplesPerSecond());
        t.add("per-sample autograd loop", r.samples(), r.loopSeconds(), r.loopSamplesPerSecond());
        System.out.print(t.text());
        System.out.printf("speed-up %.1fx; largest relative difference %.2g%n", r.speedUp(),
                r.largestRelativeDifference());
        return ExitCodes.OK;
    }
}
