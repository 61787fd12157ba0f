package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.RunLineage;
import dev.sift.store.RunStore;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift runs diff-subsets RUN --iteration K}: {@link RunLineage#dropped}. */
@Command(name = "diff-subsets", description = "The samples that left in iteration K: in the set it filtered "
        + "(iteration K-1's kept subset, or the training split for K = 1) and not in what it kept, by sample index, "
        + "each with its source line, query, title, description and label as stored, whether the source marked the "
        + "label as corrupted (runs with known noise), and every method's score in iteration K.")
public class DiffSubsetsCommand implements Callable<Integer>, ArgumentCheck {
    @Parameters(index = "0", paramLabel = "RUN")
    long runId;

    @Option(names = "--iteration", required = true, paramLabel = "K", description = "the iteration (from 1)")
    int iteration;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    @Inject
    RunLineage lineage;

    @Inject
    RunStore runs;

    @Override
    public void checkArguments() {
        if (iteration < 1) {
            throw SiftException.usage("--iteration must be 1 or more, got " + iteration);
        }
    }

    @Override
    public Integer call() {
        checkArguments();
        runs.require(runId);
        dev.sift.history.Table left = lineage.dropped(runId, iteration);
        System.out.print(output.render(left));
        if (left.size() == 0) { // said beside the table, so that CSV and JSON stay the table alone
            String policy = runs.iterations(runId).stream().filter(i -> i.k == iteration).findFirst()
                    .map(i -> i.policy).orElse(null);
            System.err.println("no sample left in iteration " + iteration + ": it kept every sample of the set it "
                    + "filtered" + (policy == null ? "" : " (policy " + policy + (policy.startsWith("adt")
                            ? ": it drops interactions during training, by their loss, and keeps none out"
                            : "") + ")"));
        }
        return ExitCodes.OK;
    }
}
