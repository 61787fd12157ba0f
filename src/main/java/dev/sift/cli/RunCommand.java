package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.batch.BatchRuns;
import dev.sift.history.RunHistory;
import dev.sift.schedule.ScheduledRuns;
import dev.sift.workflow.Console;
import dev.sift.workflow.WorkflowEngine;
import dev.sift.workflow.WorkflowException;
import dev.sift.model.TrainSpec;
import dev.sift.workflow.WorkflowParser;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift run WORKFLOW.yaml}. */
@Command(name = "run", description = "Run a workflow: ingest, fine-tune, then score, filter and evaluate per "
        + "iteration. Progress goes to stderr, the results to stdout (--format json or csv: the whole run, as runs "
        + "show gives it).")
public class RunCommand implements Callable<Integer>, ArgumentCheck {
    @Parameters(index = "0", paramLabel = "WORKFLOW.yaml", description = "workflow file")
    Path workflow;

    @Mixin
    SetOption sets;

    @Option(names = "--name", description = "name of the run (default: the workflow's name)")
    String name;

    @Option(names = "--schedule", paramLabel = "NAME", description = "run under a schedule's name and lock: "
            + "refused (exit 4) while a run of that schedule is under way, and none of it starts until this one ends; "
            + "listed in sift schedule history NAME")
    String schedule;

    @Option(names = "--submit", description = "execute the run as an AWS Batch job (the workflow's execution "
            + "settings; queue and job definition from SIFT_BATCH_*) and follow it until it ends")
    boolean submit;

    @Option(names = "--device", description = "cpu, gpu or auto: where models train (same as --set "
            + "fine_tune.device=...)")
    String device;

    @Option(names = "--no-cache", description = "run every stage, reusing no earlier run's output (same as --set "
            + "cache=false; kept when the run is resumed); the stages still record their cache keys")
    boolean noCache;

    @Option(names = "--only-stage", paramLabel = "STAGE", description = "create the run and run only its first "
            + "stage (ingest); go on with 'sift resume RUN [--only-stage STAGE]'")
    String onlyStage;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    @Inject
    WorkflowEngine engine;

    @Inject
    RunHistory history;

    @Inject
    ScheduledRuns scheduled;

    @Inject
    BatchRuns batch;

    @Override
    public void checkArguments() {
        parse();
    }

    /** The workflow with --set, --device and --no-cache applied, once the options are checked. */
    private WorkflowParser.Parsed parse() {
        String badName = name == null ? null : WorkflowParser.nameProblem(name);
        if (badName != null) {
            throw SiftException.usage("--name: " + badName);
        }
        Map<String, String> all = new LinkedHashMap<>(sets.overrides);
        if (device != null) {
            if (Arrays.stream(TrainSpec.DeviceChoice.values()).noneMatch(d -> d.key().equals(device.trim()
                    .toLowerCase(java.util.Locale.ROOT)))) {
                throw SiftException.usage("--device must be cpu, gpu or auto, got '" + device + "'");
            }
            all.put("fine_tune.device", device);
        }
        if (noCache) {
            all.put("cache", "false");
        }
        WorkflowParser.Parsed parsed = WorkflowParser.parseFile(workflow, all);
        if (onlyStage != null && schedule != null) {
            throw SiftException.usage("--only-stage and --schedule do not go together");
        }
        return parsed;
    }

    @Override
    public Integer call() {
        WorkflowParser.Parsed parsed;
        try {
            parsed = parse();
        } catch (WorkflowException e) {
            e.errors().forEach(System.err::println);
            return ExitCodes.USAGE;
        }
        Console console = Console.system();
        if (onlyStage != null) {
            long id = engine.startOnly(parsed, workflow, name, onlyStage, console);
            System.out.println(id);
            return ExitCodes.OK;
        }
        long t0 = System.nanoTime();
        long runId;
        if (schedule != null) {
            runId = scheduled.runByHand(schedule, parsed, workflow, name, submit, console);
        } else {
            runId = submit ? batch.submit(parsed, workflow, name, null, console)
                    : engine.start(parsed, workflow, name, console);
        }
        console.info(String.format("run %d succeeded in %.1f s", runId, (System.nanoTime() - t0) / 1e9));
        RunsCommand.printResults(history, runId, output);
        return ExitCodes.OK;
    }
}
