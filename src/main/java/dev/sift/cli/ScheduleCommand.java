package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.ScheduleHistory;
import dev.sift.history.Table;
import dev.sift.schedule.ScheduleSpec;
import dev.sift.schedule.Schedules;
import dev.sift.workflow.WorkflowException;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift schedule add|list|pause|resume|trigger|remove|history}. */
@Command(name = "schedule", description = "Schedules: workflows that sift serve runs on a cron expression, never two "
        + "runs of one schedule at once (policy in the README, Scheduling).", subcommands = {ScheduleCommand.Add.class,
            ScheduleCommand.ListSchedules.class, ScheduleCommand.Pause.class, ScheduleCommand.Resume.class,
            ScheduleCommand.Trigger.class, ScheduleCommand.Remove.class, ScheduleCommand.History.class})
public class ScheduleCommand {

    /** {@code sift schedule add NAME --cron EXPR [--zone Z] WORKFLOW.yaml [--set k=v]...}. */
    @Command(name = "add", description = "Add a schedule: the workflow file's text and the overrides are stored with "
            + "it (later edits of the file do not change it); the cron expression, zone and workflow are checked now.")
    public static class Add implements Callable<Integer>, ArgumentCheck {
        @Parameters(index = "0", paramLabel = "NAME", description = "letters, digits, '.', '_', '-'")
        String name;

        @Parameters(index = "1", paramLabel = "WORKFLOW.yaml", description = "workflow file")
        Path workflow;

        @Option(names = "--cron", required = true, paramLabel = "EXPR", description = "Quartz cron expression, seconds "
                + "first: '0 0 3 * * ?' is 03:00 every day, '*/5 * * * * ?' every 5 seconds")
        String cron;

        @Option(names = "--zone", paramLabel = "ZONE", description = "time zone of the cron expression, e.g. "
                + "Europe/Berlin (default: UTC)")
        String zone;

        @Option(names = "--set", paramLabel = "PATH=VALUE", converter = SetOverrides.Converter.class,
                description = "override a workflow value (repeatable)")
        void set(java.util.List<SetOverrides.Pair> sets) {
            overrides = SetOverrides.of(sets);
        }

        Map<String, String> overrides = Map.of();

        @Mixin
        VerboseOption verbose;

        @Inject
        Schedules schedules;

        @Override
        public void checkArguments() {
            ScheduleSpec.of(name, cron, zone, workflow, overrides);
        }

        @Override
        public Integer call() {
            ScheduleSpec spec;
            try {
                spec = ScheduleSpec.of(name, cron, zone, workflow, overrides);
            } catch (WorkflowException e) {
                e.errors().forEach(System.err::println);
                return ExitCodes.USAGE;
            }
            schedules.add(spec);
            Schedules.Info info = schedules.get(name);
            System.err.println("schedule " + name + " added: " + spec.cron().expression() + " (" + spec.cron().zone()
                    + "), next firing " + info.next());
            return ExitCodes.OK;
        }
    }

    /** {@code sift schedule list}. */
    @Command(name = "list", description = "List the schedules: cron, zone, state (scheduled, paused, running), next "
            + "and previous firing, workflow file and overrides.")
    public static class ListSchedules implements Callable<Integer> {
        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOption verbose;

        @Inject
        Schedules schedules;

        @Override
        public Integer call() {
            Table t = new Table(List.of("name", "cron", "zone", "state", "next_firing", "previous_firing", "workflow",
                    "overrides")).whole("workflow", "overrides");
            for (Schedules.Info i : schedules.list()) {
                ScheduleSpec s = i.spec();
                t.add(s.name(), s.cron().expression(), s.cron().zone().getId(), i.stateName(), instant(i.next()),
                        instant(i.previous()), s.workflowPath().toString(), s.overrides().entrySet().stream()
                                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
            }
            System.out.print(output.render(t));
            return ExitCodes.OK;
        }

        private static String instant(java.time.Instant i) {
            return Table.time(i);
        }
    }

    /** {@code sift schedule pause NAME}. */
    @Command(name = "pause", description = "Stop a schedule's cron firings until resumed; a run under way finishes.")
    public static class Pause extends Named {
        @Override
        public Integer call() {
            schedules.pause(name);
            System.err.println("schedule " + name + " paused");
            return ExitCodes.OK;
        }
    }

    /** {@code sift schedule resume NAME}. */
    @Command(name = "resume", description = "Resume a paused schedule at its next firing time; the firings missed "
            + "while paused are skipped, not caught up.")
    public static class Resume extends Named {
        @Override
        public Integer call() {
            schedules.resume(name);
            System.err.println("schedule " + name + " resumed, next firing " + schedules.get(name).next());
            return ExitCodes.OK;
        }
    }

    /** {@code sift schedule trigger NAME}. */
    @Command(name = "trigger", description = "Fire a schedule once now, besides its cron firings: the first free sift "
            + "serve node runs it (after a run of it under way, never beside it); paused schedules too.")
    public static class Trigger extends Named {
        @Override
        public Integer call() {
            java.time.Instant at = schedules.trigger(name);
            System.err.println("schedule " + name + " triggered at " + Table.time(at) + "; a sift serve node runs it and "
                    + "records the time it fired, which can be later (schedule history NAME)");
            return ExitCodes.OK;
        }
    }

    /** {@code sift schedule remove NAME}. */
    @Command(name = "remove", description = "Remove a schedule; a run under way finishes, its runs stay in the "
            + "history.")
    public static class Remove extends Named {
        @Override
        public Integer call() {
            schedules.remove(name);
            System.err.println("schedule " + name + " removed");
            return ExitCodes.OK;
        }
    }

    /** {@code sift schedule history NAME}. */
    @Command(name = "history", description = "The runs of a schedule, latest first: firing time (empty for a run by "
            + "hand with sift run --schedule), status, start, end, duration and the node that ran it last.")
    public static class History implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--limit", defaultValue = "50", description = "at most this many (default: ${DEFAULT-VALUE})")
        int limit;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOption verbose;

        @Inject
        ScheduleHistory history;

        @Inject
        Schedules schedules;

        @Override
        public Integer call() {
            SiftException.atLeast("--limit", limit, 1);
            Table runs = history.runs(name, limit);
            if (runs.size() == 0) {
                schedules.get(name); // no runs and no such schedule: say so rather than print an empty table
            }
            System.out.print(output.render(runs));
            return ExitCodes.OK;
        }
    }

    /** A subcommand on one schedule, named by its only parameter. */
    abstract static class Named implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Mixin
        VerboseOption verbose;

        @Inject
        Schedules schedules;
    }
}
