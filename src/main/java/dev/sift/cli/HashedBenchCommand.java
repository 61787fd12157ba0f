package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.bench.HashedBenchmark;
import dev.sift.history.Table;
import dev.sift.workflow.WorkflowParser;
import dev.sift.workflow.WorkflowSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench hashed}: {@link HashedBenchmark} at the workflow defaults of the hashed model. */
@Command(name = "hashed", description = "Training speed of the hashed bag-of-words model at its workflow defaults "
        + "(buckets, dim, hidden, batch size, learning rate, clipping): one epoch over generated pairs with one "
        + "PyTorch thread per operation (Sift's setting for this model) against PyTorch's default (one per core), "
        + "in alternating rounds; prints samples/s per round, medians, the ratio and the load average.")
public class HashedBenchCommand implements Callable<Integer> {
    @Option(names = "--samples", defaultValue = "20000", description = "training pairs (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--rounds", defaultValue = "3", description = "alternating rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        if (samples < 64 || rounds < 1) {
            throw SiftException.usage("--samples must be >= 64 and --rounds >= 1");
        }
        WorkflowSpec spec = WorkflowParser.parse("defaults", "name: bench\ndataset:\n  generate: {rows: 100}\n", null,
                Map.of(), false).spec();
        HashedBenchmark.Result r = HashedBenchmark.run(spec.model(), spec.fineTune(), samples, rounds);
        System.out.printf("hashed-bow buckets %d, dim %d, hidden %d, batch %d; %d samples, %d rounds; PyTorch's "
                + "default: %d threads%n", spec.model().buckets(), spec.model().dim(), spec.model().hidden(),
                spec.fineTune().batchSize(), r.samples(), rounds, r.defaultThreads());
        Table t = new Table(List.of("threads", "samples_per_s_by_round", "median", "train_loss"));
        t.add("1 (Sift)", join(r.oneThread()), Math.round(r.medianOne()), String.format("%.6f", r.lossOne()));
        t.add(r.defaultThreads() + " (PyTorch default)", join(r.pytorchDefault()), Math.round(r.medianDefault()),
                String.format("%.6f", r.lossDefault()));
        System.out.print(t.text());
        double[] ratios = r.ratios();
        System.out.printf("ratio 1 thread / default: median %.2f (rounds: %s)%nload before: %s%nload after:  %s%n",
                r.medianRatio(), join(ratios), r.loadBefore(), r.loadAfter());
        return ExitCodes.OK;
    }

    private static String join(double[] v) {
        return Arrays.stream(v).mapToObj(x -> x < 10 ? String.format("%.2f", x) : String.format("%.0f", x))
                .collect(Collectors.joining(" "));
    }
}
