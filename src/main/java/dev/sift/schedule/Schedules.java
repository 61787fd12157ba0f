package dev.sift.schedule;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.store.RunRemoval;
import io.quarkus.quartz.QuartzScheduler;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.quartz.CronTrigger;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * Schedules in Quartz's JDBC job store: one durable job (the workflow and its overrides) and one cron trigger per
 * schedule, both named after it, in the group {@value #GROUP}. Every node of the cluster reads the same tables, so a
 * schedule added, paused or removed on one machine is seen by all of them. {@code sift schedule} commands use a
 * scheduler that is created but never started (they change the tables, nothing fires in them); only
 * {@code sift serve} starts one.
 */
@ApplicationScoped
public class Schedules {
    /** Quartz group of Sift's jobs and triggers. */
    static final String GROUP = "sift";

    @Inject
    QuartzScheduler quartz;
    @Inject
    RunRemoval removal;

    /** A schedule and where it stands. */
    public record Info(ScheduleSpec spec, Trigger.TriggerState state, Instant next, Instant previous) {
        /** scheduled, paused, running (a run of it is under way on some node), or Quartz's word for anything else. */
        public String stateName() {
            return switch (state) {
                case NORMAL -> "scheduled";
                case PAUSED -> "paused";
                case BLOCKED -> "running";
                default -> state.name().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }

    static JobKey jobKey(String name) {
        return JobKey.jobKey(name, GROUP);
    }

    static TriggerKey triggerKey(String name) {
        return TriggerKey.triggerKey(name, GROUP);
    }

    /** Stores a new schedule; a usage error if one of that name exists. */
    public void add(ScheduleSpec spec) {
        Scheduler s = scheduler();
        try {
            if (s.checkExists(jobKey(spec.name()))) {
                throw SiftException.usage("schedule '" + spec.name() + "' exists; remove it first (sift schedule "
                        + "remove " + spec.name() + ")");
            }
            for (JobKey other : s.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
                if (other.getName().equalsIgnoreCase(spec.name())) {
                    throw SiftException.usage("schedule '" + spec.name() + "' differs from the schedule '"
                            + other.getName() + "' only in letter case; choose another name or remove that one");
                }
            }
            JobDetail job = spec.job(ScheduledRunJob.class);
            s.scheduleJob(job, spec.cron().trigger(triggerKey(spec.name()), job.getKey()));
        } catch (org.quartz.ObjectAlreadyExistsException e) {
            throw SiftException.usage("schedule '" + spec.name() + "' exists; remove it first");
        } catch (SchedulerException e) {
            throw failure("add", spec.name(), e);
        }
    }

    /** Every schedule, by name. */
    public List<Info> list() {
        Scheduler s = scheduler();
        List<Info> out = new ArrayList<>();
        try {
            for (JobKey key : s.getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
                find(key.getName()).ifPresent(out::add);
            }
        } catch (SchedulerException e) {
            throw failure("list", "*", e);
        }
        out.sort(Comparator.comparing(i -> i.spec().name()));
        return out;
    }

    /** The named schedule; a usage error (exit 2) if there is none. */
    public Info get(String name) {
        return find(name).orElseThrow(() -> SiftException.usage("no schedule named '" + name
                + "' (sift schedule list shows them)"));
    }

    /** The named schedule, if it exists (a job without its cron trigger, being removed, counts as gone). */
    public Optional<Info> find(String name) {
        Scheduler s = scheduler();
        try {
            JobDetail job = s.getJobDetail(jobKey(name));
            Trigger trigger = s.getTrigger(triggerKey(name));
            if (job == null || !(trigger instanceof CronTrigger cron)) {
                return Optional.empty();
            }
            return Optional.of(new Info(ScheduleSpec.from(job, cron), s.getTriggerState(trigger.getKey()),
                    instant(cron.getNextFireTime()), instant(cron.getPreviousFireTime())));
        } catch (SchedulerException e) {
            throw failure("read", name, e);
        }
    }

    /** Stops the schedule's cron trigger; a run under way finishes. Firings missed while paused are skipped. */
    public void pause(String name) {
        get(name);
        try {
            scheduler().pauseTrigger(triggerKey(name));
        } catch (SchedulerException e) {
            throw failure("pause", name, e);
        }
    }

    /** Restarts a paused schedule at its next firing time (no catch-up of the firings missed while paused). */
    public void resume(String name) {
        get(name);
        try {
            scheduler().resumeTrigger(triggerKey(name));
        } catch (SchedulerException e) {
            throw failure("resume", name, e);
        }
    }

    /**
     * Fires the schedule once now, besides its cron firings: a one-off trigger in the store that the first free
     * {@code sift serve} node takes; like any firing it waits while a run of the schedule is under way. Works on a
     * paused schedule too (pausing stops the cron trigger only). Returns the firing's time.
     */
    public Instant trigger(String name) {
        get(name);
        try {
            Instant now = Instant.now();
            scheduler().triggerJob(jobKey(name));
            return now;
        } catch (SchedulerException e) {
            throw failure("trigger", name, e);
        }
    }

    /** Deletes the schedule and its triggers; a run under way finishes and stays in the history. */
    public void remove(String name) {
        get(name);
        removal.forgetFirings(name); // first: should it fail, the schedule is still there to remove again
        try {
            scheduler().deleteJob(jobKey(name));
        } catch (SchedulerException e) {
            throw failure("remove", name, e);
        }
    }

    /** Whether this process runs firings ({@code sift serve}), and its node's id in the cluster. */
    public Optional<String> runningNode() {
        Scheduler s = quartz.getScheduler();
        try {
            return s != null && s.isStarted() && !s.isInStandbyMode() ? Optional.of(s.getSchedulerInstanceId())
                    : Optional.empty();
        } catch (SchedulerException e) {
            throw failure("inspect", "*", e);
        }
    }

    /**
     * On SIGTERM or Ctrl-C, before anything is torn down: this node stops taking firings (acquired ones go back to
     * the cluster) while the database is still there. A run under way is left to Quartz's recovery.
     */
    void standbyOnShutdown(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        Scheduler s = quartz.getScheduler();
        try {
            if (s != null && s.isStarted() && !s.isShutdown()) {
                s.standby();
            }
        } catch (SchedulerException e) {
            // the shutdown goes on; the cluster recovers what this node held
        }
    }

    private Scheduler scheduler() {
        Scheduler s = quartz.getScheduler();
        if (s == null) {
            throw new IllegalStateException("no Quartz scheduler in this process (quarkus.scheduler.start-mode is "
                    + "normal); SiftMain sets it for serve and schedule");
        }
        return s;
    }

    private static Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }

    private static SiftException failure(String what, String name, SchedulerException e) {
        return new SiftException(ExitCodes.ENVIRONMENT, "cannot " + what + " schedule '" + name + "': "
                + e.getMessage(), e);
    }
}
