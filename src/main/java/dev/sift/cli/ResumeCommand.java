package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.history.RunHistory;
import dev.sift.schedule.ScheduledRuns;
import dev.sift.store.RunEntity;
import dev.sift.workflow.Console;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import dev.sift.SiftException;
import dev.sift.workflow.Shard;
import dev.sift.workflow.WorkflowEngine;
import picocli.CommandLine.Parameters;

/** {@code sift resume RUN}. */
@Command(name = "resume", description = "Continue a failed or killed run from the first stage that did not "
        + "finish; finished stages are not redone. A scheduled run resumes under its schedule's lock.")
public class ResumeCommand implements Callable<Integer>, ArgumentCheck {
    @Parameters(index = "0", paramLabel = "RUN", description = "run id")
    long runId;

    @Option(names = "--only-stage", paramLabel = "STAGE", description = "run only this step (the steps before it "
            + "must have finished), e.g. fine-tune or score; the run is not finished by it")
    String onlyStage;

    @Option(names = "--iteration", paramLabel = "K", description = "with --only-stage: the iteration of a "
            + "per-iteration stage (default: the first)")
    Integer iteration;

    @Option(names = "--shard", paramLabel = "I/N", description = "with --only-stage score: compute shard I of N "
            + "(I from 0; default from AWS_BATCH_JOB_ARRAY_INDEX and AWS_BATCH_JOB_ARRAY_SIZE when set); the shard "
            + "that finds all N stored finishes the stage")
    String shard;

    @Inject
    WorkflowEngine engine;
    @Option(names = "--submit", description = "on AWS Batch: follow the run's job when it has not ended "
            + "(re-attach), else submit a new job that resumes it")
    boolean submit;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    @Inject
    ScheduledRuns runs;

    @Inject
    RunHistory history;

    @Override
    public void checkArguments() {
        if (onlyStage == null && (shard != null || iteration != null)) {
            throw SiftException.usage("--shard and --iteration go with --only-stage");
        }
        if (shard != null) {
            Shard.parse(shard);
        }
    }

    @Override
    public Integer call() {
        checkArguments();
        Console console = Console.system();
        if (onlyStage != null) {
            Shard s = shard != null ? Shard.parse(shard) : Shard.fromEnvironment(System.getenv());
            engine.executeOnly(runId, onlyStage, iteration, s, console);
            return ExitCodes.OK;
        }
        RunEntity run = submit ? runs.resumeOnBatch(runId, console) : runs.resume(runId, console);
        console.info("run " + run.id + " " + run.status.name().toLowerCase());
        RunsCommand.printResults(history, runId, output);
        return ExitCodes.OK;
    }
}
