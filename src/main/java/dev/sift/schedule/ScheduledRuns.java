package dev.sift.schedule;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.batch.BatchRuns;
import dev.sift.store.DatabaseSessions;
import dev.sift.store.Firing;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.ScheduleLocks;
import dev.sift.workflow.Console;
import dev.sift.workflow.WorkflowEngine;
import dev.sift.workflow.WorkflowException;
import dev.sift.workflow.WorkflowParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs of schedules, each under its schedule's advisory lock ({@link ScheduleLocks}), whoever starts it: a firing in
 * {@code sift serve}, {@code sift run --schedule NAME} by hand, or {@code sift resume} of a scheduled run. A firing
 * has at most one run: one that finds its run (recovered on another node after its first node died) resumes it, and
 * one that finds it finished does nothing.
 */
@ApplicationScoped
public class ScheduledRuns {
    /** What a firing whose workflow no longer checks records (its run's error starts with the firing and this). */
    static final String NOT_RUN = "not run";
    /**
     * How long a recovered firing waits for the lock: a dead node's session ends when PostgreSQL sees its connection
     * close, at once for a killed process, later for a machine that vanished.
     */
    static final Duration RECOVERY_WAIT = Duration.ofSeconds(60);

    @Inject
    WorkflowEngine engine;
    @Inject
    RunStore runs;
    @Inject
    dev.sift.store.RunRemoval removal;
    @Inject
    ScheduleLocks locks;
    @Inject
    Schedules schedules;
    @Inject
    BatchRuns batch;

    /** {@code sift run --schedule NAME WORKFLOW}: a run by hand, recorded under the schedule, never beside one of it. */
    public long runByHand(String schedule, WorkflowParser.Parsed parsed, Path workflow, String name, Console console) {
        return runByHand(schedule, parsed, workflow, name, false, console);
    }

    /** As above; {@code submit}: the run executes as an AWS Batch job, followed under the schedule's lock. */
    public long runByHand(String schedule, WorkflowParser.Parsed parsed, Path workflow, String name, boolean submit,
            Console console) {
        schedules.get(schedule);
        try (DatabaseSessions.Lock lock = locks.tryLock(schedule).orElseThrow(() -> held(schedule))) {
            return submit ? batch.submit(parsed, workflow, name, Firing.manual(schedule), console)
                    : engine.start(parsed, workflow, name, Firing.manual(schedule), console);
        }
    }

    /**
     * {@code sift resume RUN}: a run of a schedule resumes under the schedule's lock, any other run as before. Refused
     * while the run's AWS Batch job has not ended, unless this process is that job: then whoever submitted it holds
     * the schedule's lock on its behalf.
     */
    public RunEntity resume(long runId, Console console) {
        return resume(runId, BatchRuns.thisJobId(), console);
    }

    /** As above, in the AWS Batch job {@code thisJobId} (null: not in a Batch job). */
    public RunEntity resume(long runId, String thisJobId, Console console) {
        RunEntity run = runs.require(runId);
        boolean itsBatchJob = batch.checkLocalResume(runId, thisJobId);
        if (run.scheduleName == null || itsBatchJob) {
            return engine.resume(runId, console);
        }
        try (DatabaseSessions.Lock lock = locks.tryLock(run.scheduleName).orElseThrow(() -> held(run.scheduleName))) {
            return engine.resume(runId, console);
        }
    }

    /** {@code sift resume RUN --submit}: follows the run's AWS Batch job, or submits one; under a schedule's lock. */
    public RunEntity resumeOnBatch(long runId, Console console) {
        RunEntity run = runs.require(runId);
        if (run.scheduleName == null) {
            return batch.follow(runId, console);
        }
        try (DatabaseSessions.Lock lock = locks.tryLock(run.scheduleName).orElseThrow(() -> held(run.scheduleName))) {
            return batch.follow(runId, console);
        }
    }

    /**
     * One firing of a schedule, scheduled for {@code fireTime}: starts its run, or resumes the run it already has when
     * the firing is recovered from a node that died. A firing whose schedule's lock is held (a run by hand under its
     * name) is skipped; a recovered one waits up to {@link #RECOVERY_WAIT} first. Returns the run, if there is one.
     */
    public Optional<Long> fire(ScheduleSpec spec, Instant fireTime, boolean recovering, Console console) {
        Optional<DatabaseSessions.Lock> lock = recovering ? locks.tryLock(spec.name(), RECOVERY_WAIT)
                : locks.tryLock(spec.name());
        if (lock.isEmpty()) {
            console.info("firing of " + fireTime + " skipped: " + held(spec.name()).getMessage());
            return Optional.empty();
        }
        try (DatabaseSessions.Lock held = lock.get()) {
            Optional<RunEntity> earlier = runs.findFiring(spec.name(), fireTime);
            if (earlier.isPresent()) {
                RunEntity run = earlier.get();
                if (run.status == RunEntity.Status.SUCCEEDED) {
                    console.info("firing of " + fireTime + " already ran as run " + run.id);
                } else if (run.status == RunEntity.Status.FAILED && run.error != null && run.error.startsWith(
                        "firing of " + fireTime + " " + NOT_RUN + ":")) {
                    console.info("firing of " + fireTime + " was recorded as not run (run " + run.id + ")");
                } else {
                    console.info("firing of " + fireTime + " recovered: resuming run " + run.id + " (" + run.status
                            + " on " + run.ownerHost + " pid " + run.ownerPid + ")");
                    if (batch.executesOnBatch(run)) {
                        batch.follow(run.id, console);
                    } else {
                        engine.resume(run.id, console);
                    }
                }
                return Optional.of(run.id);
            }
            Optional<Long> deleted = removal.deletedRun(spec.name(), fireTime);
            if (deleted.isPresent()) { // recovered after 'sift runs delete' removed its run: not run again
                console.info("firing of " + fireTime + " not run again: its run " + deleted.get() + " was deleted");
                return Optional.empty();
            }
            WorkflowParser.Parsed parsed;
            try {
                parsed = spec.parse();
            } catch (WorkflowException e) {
                return Optional.of(notRun(spec, fireTime, e, console));
            }
            console.info("firing of " + fireTime + (recovering ? " (recovered)" : ""));
            Firing firing = new Firing(spec.name(), fireTime);
            return Optional.of(BatchRuns.onBatch(parsed.spec())
                    ? batch.submit(parsed, spec.workflowPath(), spec.name(), firing, console)
                    : engine.start(parsed, spec.workflowPath(), spec.name(), firing, console));
        }
    }

    /**
     * A firing whose workflow no longer checks (its data file gone, say) is recorded as a FAILED run with the reason,
     * so {@code schedule history} and {@code runs list} show it, not the node's log alone. Its YAML and parameters
     * are the workflow's with the schedule's {@code --set}s, as a run of it stores them (files not checked).
     */
    private long notRun(ScheduleSpec spec, Instant fireTime, WorkflowException e, Console console) {
        String why = "the schedule's workflow no longer checks: " + String.join("; ", e.errors());
        console.info("firing of " + fireTime + " " + NOT_RUN + ": " + why);
        String path = spec.workflowPath().toString();
        String yaml = spec.workflowText();
        java.util.SortedMap<String, Object> params;
        try {
            WorkflowParser.Parsed unchecked = WorkflowParser.parse(path, yaml, spec.workflowPath().getParent(),
                    spec.overrides(), false);
            yaml = unchecked.snapshot();
            params = dev.sift.workflow.WorkflowParams.of(unchecked.spec());
        } catch (WorkflowException notEvenUnchecked) {
            params = dev.sift.workflow.WorkflowParams.ofStored(path, yaml);
        }
        return runs.createFailed(spec.name(), String.valueOf(params.getOrDefault("name", spec.name())), path, yaml,
                params, new Firing(spec.name(), fireTime), "firing of " + fireTime + " " + NOT_RUN + ": " + why).id;
    }

    private static SiftException held(String schedule) {
        return new SiftException(ExitCodes.BUSY, "schedule '" + schedule + "' is busy: a run of it is under way (its "
                + "lock is held by sift serve, sift run --schedule or sift resume); try again when it has finished");
    }
}
