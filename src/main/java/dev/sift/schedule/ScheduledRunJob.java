package dev.sift.schedule;

import dev.sift.SiftException;
import dev.sift.workflow.Console;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.LockSupport;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * A firing of a schedule in {@code sift serve}. Quartz never runs two firings of one job at once in the cluster
 * ({@link DisallowConcurrentExecution}; the advisory lock in {@link ScheduledRuns} also keeps out runs by hand), and
 * re-fires a firing whose node died on another node ({@code requestsRecovery}), which then resumes that firing's run.
 */
@Dependent
@DisallowConcurrentExecution
public class ScheduledRunJob implements Job {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    @Inject
    Schedules schedules;
    @Inject
    ScheduledRuns runs;

    @Override
    public void execute(JobExecutionContext context) {
        String name = context.getJobDetail().getKey().getName();
        Console console = console(name);
        Instant fireTime = fireTime(context);
        try {
            schedules.find(name).ifPresentOrElse(
                    info -> runs.fire(info.spec(), fireTime, context.isRecovering(), console),
                    () -> console.info("firing of " + fireTime + " skipped: the schedule was removed"));
        } catch (SiftException e) {
            console.info(e.getMessage()); // the run, if it started, recorded the failure itself
        } catch (RuntimeException e) {
            console.info("firing of " + fireTime + " failed: " + e);
        }
        if (shuttingDown(context.getScheduler())) {
            holdUntilExit();
        }
    }

    /**
     * The scheduled time of the firing: for a firing recovered from a dead node, the original one, which Quartz keeps
     * in the recovery trigger's data; it is what finds the run the dead node started.
     */
    static Instant fireTime(JobExecutionContext context) {
        if (context.isRecovering()) {
            String original = context.getMergedJobDataMap()
                    .getString(Scheduler.FAILED_JOB_ORIGINAL_TRIGGER_SCHEDULED_FIRETIME_IN_MILLISECONDS);
            if (original != null) {
                return Instant.ofEpochMilli(Long.parseLong(original));
            }
        }
        return context.getScheduledFireTime().toInstant();
    }

    private static boolean shuttingDown(Scheduler scheduler) {
        try {
            return scheduler.isInStandbyMode() || scheduler.isShutdown();
        } catch (SchedulerException e) {
            return true;
        }
    }

    /**
     * The process is stopping (SIGTERM, Ctrl-C) and its run was cut short (marked INTERRUPTED): returning would tell
     * Quartz the firing is done. Not returning leaves it in Quartz's table of firings under way, so the cluster
     * recovers it on another node (or on this one when it starts again), which resumes the run.
     */
    private static void holdUntilExit() {
        while (true) {
            LockSupport.park();
        }
    }

    private static Console console(String schedule) {
        PrintStream err = new PrintStream(System.err, true) {
            @Override
            public void println(String line) {
                super.println(CLOCK.format(LocalTime.now()) + " [schedule " + schedule + "] " + line);
            }
        };
        return new Console(err, false);
    }
}
