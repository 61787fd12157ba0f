package dev.sift.workflow;

import dev.sift.store.DatabaseSessions;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.ScheduleLocks;
import dev.sift.store.StageRunEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * After a {@code resume --only-stage} step: a run whose owner died on this machine is marked INTERRUPTED, with the
 * RUNNING steps no live process runs. A live {@code --only-stage} process (a sibling shard's finisher, a whole-step
 * resume) holds its step's lock for as long as the step runs; a dead owner's session, and with it its locks, is gone.
 * So a step whose lock is free is the dead owner's, and one whose lock is held keeps RUNNING, to end as it ends.
 */
@ApplicationScoped
public class StaleRuns {
    @Inject
    RunStore runs;
    @Inject
    ScheduleLocks locks;

    /** Marks the run and its unlocked RUNNING steps INTERRUPTED when the run is stale; else nothing. */
    public void interruptIfStale(long runId) {
        RunEntity run = runs.findRun(runId).orElse(null);
        if (run == null || !RunStore.stale(run)) {
            return;
        }
        List<DatabaseSessions.Lock> held = new ArrayList<>(); // held until the update is done: no step starts meanwhile
        try {
            List<Long> dead = new ArrayList<>();
            for (StageRunEntity s : runs.runningSteps(runId)) {
                locks.tryLock(WorkflowEngine.stepLock(runId, s.stage, s.iteration)).ifPresent(lock -> {
                    held.add(lock);
                    dead.add(s.id);
                });
            }
            runs.interruptIfStale(runId, dead);
        } finally {
            held.forEach(DatabaseSessions.Lock::close);
        }
    }
}
