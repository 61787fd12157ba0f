package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.history.RunLineage;
import dev.sift.store.RunStore;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sift runs lineage RUN}: {@link RunLineage#lineage}. */
@Command(name = "lineage", description = "What each iteration filtered and kept: the set it filtered (its parent "
        + "iteration's kept subset, or the training split), method, order, policy, pool, kept, how many left, and the "
        + "kept training set's digest. runs diff-subsets lists the samples that left.")
public class LineageCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN")
    long runId;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    @Inject
    RunLineage lineage;

    @Inject
    RunStore runs;

    @Override
    public Integer call() {
        runs.require(runId);
        System.out.print(output.render(lineage.lineage(runId)));
        return ExitCodes.OK;
    }
}
