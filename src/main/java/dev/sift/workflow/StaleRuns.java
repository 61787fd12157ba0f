package dev.sift.workflow;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.store.DatabaseSessions;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.ScheduleLocks;
import dev.sift.store.StageRunEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which RUNNING steps of a run a live process runs. A {@code resume --only-stage} process (a shard's finisher, a
 * whole-step resume) holds its step's lock for as long as the step runs; a dead owner's session, and with it its
 * locks, is gone. So a step whose lock is free is the dead owner's, and one whose lock is held is live.
 */
@ApplicationScoped
public class StaleRuns {
    @Inject
    RunStore runs;
    @Inject
    ScheduleLocks locks;

    /**
     * After a {@code resume --only-stage} step: marks the run INTERRUPTED when its owner died on this machine, with
     * the RUNNING steps no live process runs; a live one keeps RUNNING, to end as it ends. Each lock is only probed
     * (taken and let go at once: holding it would turn away a sibling shard that comes to finish the step), and a
     * step is marked only in the attempt probed, so one begun meanwhile is left alone.
     */
    public void interruptIfStale(long runId) {
        RunEntity run = runs.findRun(runId).orElse(null);
        if (run == null || !RunStore.stale(run)) {
            return;
        }
        Map<Long, Integer> dead = new LinkedHashMap<>();
        for (StageRunEntity s : runs.runningSteps(runId)) {
            if (!live(runId, s)) {
                dead.put(s.id, s.attempt);
            }
        }
        runs.interruptIfStale(runId, dead);
    }

    /**
     * Before a whole-run {@code resume} or a deletion: stops with exit code 4 when a step of the run is being run by a
     * live {@code resume --only-stage} process (which a resume would run a second time beside it); {@code then} says
     * what to do when that step has finished.
     */
    public void refuseWhileStepsRun(long runId, String then) {
        for (StageRunEntity s : runs.runningSteps(runId)) {
            if (live(runId, s)) {
                throw new SiftException(ExitCodes.BUSY, "run " + runId + ": " + s.stage + (s.iteration > 0
                        ? " of iteration " + s.iteration : "") + " is being run by another process ('sift resume "
                        + runId + " --only-stage " + s.stage + "'); " + then + " when it has finished");
            }
        }
    }

    private boolean live(long runId, StageRunEntity s) {
        Optional<DatabaseSessions.Lock> lock = locks.tryLock(WorkflowEngine.stepLock(runId, s.stage, s.iteration));
        lock.ifPresent(DatabaseSessions.Lock::close);
        return lock.isEmpty();
    }
}
