package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.ExitCodes;
import dev.sift.PostgresResource;
import dev.sift.SiftException;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.ScheduleLocks;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** A stale run's steps: the dead owner's become INTERRUPTED, a live process's (its step lock held) keep running. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class StaleRunsTest {
    @Inject
    StaleRuns staleRuns;
    @Inject
    RunStore runs;
    @Inject
    ScheduleLocks locks;
    @Inject
    Instance<AgroalDataSource> dataSource;

    @Test
    void aStepWhoseLockALiveProcessHoldsKeepsRunningWhenTheDeadOwnersRunIsInterrupted() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        RunEntity run = runs.createRun("t", "t", "/t.yaml", "name: t\n");
        try (Connection c = dataSource.get().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE run SET owner_pid = " + gone.pid() + " WHERE id = " + run.id);
        }
        runs.beginStage(run.id, "fine-tune", 0, 1, ""); // the dead owner's
        runs.beginStage(run.id, "score", 1, 2, ""); // a sibling shard's finisher, alive
        try (var held = locks.tryLock(WorkflowEngine.stepLock(run.id, "score", 1)).orElseThrow()) {
            SiftException busy = assertThrows(SiftException.class, () -> staleRuns.refuseWhileStepsRun(run.id,
                    "resume the run"));
            assertEquals(ExitCodes.BUSY, busy.exitCode());
            assertEquals("run " + run.id + ": score of iteration 1 is being run by another process ('sift resume "
                    + run.id + " --only-stage score'); resume the run when it has finished", busy.getMessage());
            staleRuns.interruptIfStale(run.id);
            assertTrue(locks.tryLock(WorkflowEngine.stepLock(run.id, "fine-tune", 0)).map(l -> {
                l.close();
                return true;
            }).orElse(false), "the dead step's lock was only probed, not kept");
        }
        assertEquals(RunEntity.Status.INTERRUPTED, runs.require(run.id).status);
        assertEquals(RunEntity.Status.INTERRUPTED, runs.findStage(run.id, "fine-tune", 0).orElseThrow().status);
        var live = runs.findStage(run.id, "score", 1).orElseThrow();
        assertEquals(RunEntity.Status.RUNNING, live.status, "its process goes on and records how the step ends");
        assertNull(live.error);
        staleRuns.refuseWhileStepsRun(run.id, "resume the run"); // its lock let go: a whole-run resume may go on
    }
}
