package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.data.Text;
import dev.sift.store.RunEntity;
import dev.sift.store.RunRemoval;
import dev.sift.store.RunStore;
import dev.sift.workflow.StaleRuns;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sift runs delete RUN...}: {@link RunRemoval}. */
@Command(name = "delete", description = "Delete runs from the history: their rows (stages, metrics, scores, ...) "
        + "in one transaction, all or none. A run under way is refused (exit 4). Their objects under runs/ and weights "
        + "no other run names are left for 'sift gc --delete'; prepared datasets stay.")
public class DeleteRunsCommand implements Callable<Integer>, ArgumentCheck {
    // as text: picocli read a list of numbers up to the first word that is none and called that one "unmatched"
    @Parameters(arity = "1..*", paramLabel = "RUN")
    List<String> runIds;

    @Mixin
    VerboseOption verbose;

    @Inject
    RunStore runs;

    @Inject
    RunRemoval removal;

    @Inject
    StaleRuns staleRuns;

    @Inject
    dev.sift.batch.BatchRuns batchRuns;

    @Override
    public void checkArguments() {
        ids();
    }

    /** The run ids, each once, in the order given. */
    private LinkedHashSet<Long> ids() {
        LinkedHashSet<Long> ids = new LinkedHashSet<>();
        for (String s : runIds) {
            try {
                ids.add(Long.parseLong(s.trim()));
            } catch (NumberFormatException e) {
                throw SiftException.usage("RUN must be a run id (a whole number), got '" + s + "'; nothing was "
                        + "deleted");
            }
        }
        return ids;
    }

    @Override
    public Integer call() {
        List<RunEntity> seen = new ArrayList<>();
        java.util.Map<Long, List<String>> steps = new java.util.HashMap<>();
        for (long id : ids()) { // every run checked before any is deleted
            RunEntity r = runs.require(id);
            String refused = RunRemoval.refusal(r);
            if (refused != null) {
                throw new SiftException(ExitCodes.BUSY, refused + "; nothing was deleted");
            }
            // the steps running now (of processes found gone below): any other one stops the deletion
            steps.put(id, runs.runningSteps(id).stream().map(s -> s.id + ":" + s.attempt).toList());
            staleRuns.refuseWhileStepsRun(id, "delete the run");
            batchRuns.liveJob(id).ifPresent(j -> {
                throw new SiftException(ExitCodes.BUSY, "run " + id + " has AWS Batch job " + j.jobId() + ", "
                        + j.status() + (j.unread() == null ? " now" : " at the last look (Batch cannot be read now: "
                        + j.unread() + ")") + ", which would resume it; delete the run when the job has ended ('sift "
                        + "resume " + id + " --submit' follows it to its end); nothing was deleted");
            });
            seen.add(r);
        }
        removal.delete(seen, steps);
        for (RunEntity r : seen) {
            System.err.println("deleted run " + r.id + " (" + Text.printable(r.name) + ", " + r.status + ")");
        }
        System.err.println("their objects under runs/ and weights no other run names: 'sift gc' lists them, 'sift "
                + "gc --delete' removes them (prepared datasets stay: other runs may share them)");
        return ExitCodes.OK;
    }
}
