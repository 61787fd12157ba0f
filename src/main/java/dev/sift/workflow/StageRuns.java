package dev.sift.workflow;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.store.DatabaseSessions;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.StageRunEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * One step of a run as its {@code stage_run} row records it: the stage's checks, its run (begun, finished with its
 * output, or failed with the run), and what a failure tells the user to do. The engine decides which steps run;
 * every path that runs one (a whole run, a resume, {@code --only-stage}, the last shard) goes through here.
 */
@ApplicationScoped
public class StageRuns {
    @Inject
    RunStore runs;

    /** The stage's own checks before it runs or is reused; one that fails fails the stage and the run. */
    void check(long runId, WorkflowEngine.Step step, StageContext ctx, String inputDigest) {
        try {
            step.stage().check(ctx);
        } catch (RuntimeException e) {
            throw failed(runId, runs.beginStage(runId, step.stage().name(), step.iteration(), step.seq(),
                    inputDigest), step, e);
        }
    }

    /** Records a stage's failure and the run's, and says what to do about it; rethrows what cannot be recorded. */
    private RuntimeException failed(long runId, StageRunEntity sr, WorkflowEngine.Step step, Exception e) {
        if (DatabaseSessions.isLoss(e) || dev.sift.store.InterruptedRuns.shuttingDown()) {
            // nothing can be recorded now: the engine waits for the database, or the shutdown hook marks the run
            return e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
        }
        String msg = message(e);
        runs.failStage(sr.id, msg);
        runs.finishRun(runId, RunEntity.Status.FAILED, step.label() + ": " + msg);
        int code = e instanceof SiftException se ? se.exitCode() : ExitCodes.FAILURE;
        // resume replays the stored workflow: it mends causes in the data or the machine, not in the workflow
        return new SiftException(code, step.label() + " failed: " + msg + " (run " + runId + "; a cause in the data "
                + "or the machine: fix it, then 'sift resume " + runId + "'; a change to the workflow: 'sift run' "
                + "it again)", e);
    }

    /**
     * What went wrong, in words: a file system error (a source file deleted before a resume) as its reason and file
     * ("no such file or directory: /data/x.csv"), not the bare path the JDK gives as its message.
     */
    static String message(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.nio.file.FileSystemException f && (e.getMessage() == null
                    || e.getMessage().equals(f.getMessage()) || e.getMessage().equals(f.toString()))) {
                return dev.sift.IoReason.of(f);
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Runs the step's stage and records its output, or its failure and the run's. */
    Record run(long runId, WorkflowEngine.Step step, StageContext ctx, String inputDigest, String prefix,
            String cacheKey) {
        StageRunEntity sr = runs.beginStage(runId, step.stage().name(), step.iteration(), step.seq(), inputDigest);
        ctx.console().info(prefix + (sr.attempt > 1 ? " (attempt " + sr.attempt + ")" : ""));
        long t0 = System.nanoTime();
        Record out;
        try {
            out = step.stage().run(ctx);
        } catch (Exception e) {
            throw failed(runId, sr, step, e);
        }
        runs.finishStage(sr.id, StageJson.write(out), cacheKey, null);
        ctx.console().info(String.format("  %s finished in %.1f s", step.label(), (System.nanoTime() - t0) / 1e9));
        return out;
    }
}
