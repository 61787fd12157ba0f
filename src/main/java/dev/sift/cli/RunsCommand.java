package dev.sift.cli;

import dev.sift.history.RunHistory;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift runs list|show}. */
@Command(name = "runs", description = "Experiment history.", subcommands = {RunsCommand.ListRuns.class,
    RunsCommand.ShowRun.class, RunsCommand.Scores.class})
public class RunsCommand {

    /** {@code sift runs list}. */
    @Command(name = "list", description = "List runs, newest first.")
    public static class ListRuns implements Callable<Integer> {
        @Option(names = "--workflow", description = "only runs of this workflow")
        String workflow;

        @Option(names = "--status", description = "RUNNING, SUCCEEDED or FAILED")
        String status;

        @Option(names = "--limit", defaultValue = "50", description = "at most this many (default: ${DEFAULT-VALUE})")
        int limit;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOption verbose;

        @Inject
        RunHistory history;

        @Override
        public Integer call() {
            RunEntity.Status s = null;
            if (status != null) {
                try {
                    s = RunEntity.Status.valueOf(status.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw SiftException.usage("--status must be RUNNING, SUCCEEDED or FAILED, got '" + status + "'");
                }
            }
            System.out.print(output.render(history.list(workflow, s, limit)));
            return ExitCodes.OK;
        }
    }

    /** {@code sift runs show RUN}. */
    @Command(name = "show", description = "Show a run: its stages with timings and attempts, and its metrics.")
    public static class ShowRun implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN")
        long runId;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOption verbose;

        @Inject
        RunHistory history;

        @Inject
        RunStore runs;

        @Override
        public Integer call() {
            RunEntity r = runs.findRun(runId).orElseThrow(() -> SiftException.usage("no run with id " + runId));
            switch (output.format) {
                case json -> System.out.println(history.showJson(r).toPrettyString());
                case csv -> System.out.print(history.stages(runId).csv() + "\n" + history.metrics(runId).csv());
                default -> {
                    System.out.println("run " + r.id + "  " + r.name + "  (" + r.workflow + ")  " + r.status
                            + (r.error == null ? "" : "  error: " + r.error));
                    System.out.println("workflow file: " + r.workflowPath);
                    System.out.println("created " + r.createdAt + (r.finishedAt == null ? ""
                            : ", finished " + r.finishedAt));
                    System.out.println();
                    System.out.println("stages");
                    System.out.print(history.stages(runId).text());
                    System.out.println();
                    System.out.println("metrics");
                    System.out.print(history.metrics(runId).text());
                }
            }
            return ExitCodes.OK;
        }
    }

    /** {@code sift runs scores RUN --method M}. */
    @Command(name = "scores", description = "A run's per-sample scores of one method, ranked, with text and label.")
    public static class Scores implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN")
        long runId;

        @Option(names = "--method", required = true, description = "importance method, e.g. el2n")
        String method;

        @Option(names = "--iteration", defaultValue = "1", description = "iteration (default: ${DEFAULT-VALUE})")
        int iteration;

        @Option(names = "--top", defaultValue = "20", description = "how many (default: ${DEFAULT-VALUE})")
        int top;

        @Option(names = "--lowest", description = "rank from the lowest score instead of the highest")
        boolean lowest;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOption verbose;

        @Inject
        RunHistory history;

        @Inject
        RunStore runs;

        @Override
        public Integer call() {
            runs.findRun(runId).orElseThrow(() -> SiftException.usage("no run with id " + runId));
            System.out.print(output.render(history.scores(runId, iteration, method, top, !lowest)));
            return ExitCodes.OK;
        }
    }
}
