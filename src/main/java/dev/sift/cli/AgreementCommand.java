package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.MethodAgreement;
import dev.sift.store.RunStore;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift runs agreement RUN}: {@link MethodAgreement}. */
@Command(name = "agreement", description = "Whether a run's importance methods agree on what to drop: for every pair "
        + "of methods scored in an iteration, the rank correlation of their scores and the share of one's removal set "
        + "(as many samples as the iteration's filter removed) that the other removes too, beside what chance gives.")
public class AgreementCommand implements Callable<Integer>, ArgumentCheck {
    @Parameters(index = "0", paramLabel = "RUN")
    long runId;

    @Option(names = "--iteration", defaultValue = "1", description = "iteration (default: ${DEFAULT-VALUE})")
    int iteration;

    @Option(names = "--keep", description = "the kept fraction whose removal sets are compared, above 0 and below 1 "
            + "(default: as many as the iteration's filter removed; the run's filter.keep where it removed none)")
    Double keep;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    @Inject
    MethodAgreement agreement;

    @Inject
    RunStore runs;

    @Override
    public void checkArguments() {
        SiftException.atLeast("--iteration", iteration, 1);
        if (keep != null && !(keep > 0 && keep < 1)) {
            throw SiftException.usage("--keep must be above 0 and below 1, got " + keep);
        }
    }

    @Override
    public Integer call() {
        checkArguments();
        MethodAgreement.Result r = agreement.of(runs.require(runId), iteration, keep);
        System.out.print(output.render(r.table()));
        if (output.format == OutputOptions.Format.table) {
            System.out.println(r.note());
        }
        return ExitCodes.OK;
    }
}
