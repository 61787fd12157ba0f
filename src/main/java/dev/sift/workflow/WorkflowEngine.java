package dev.sift.workflow;

import dev.sift.ExitCodes;
import dev.sift.Sha256;
import dev.sift.SiftException;
import dev.sift.store.Firing;
import dev.sift.store.Processes;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.StageRunEntity;
import dev.sift.store.StoreLock;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a workflow's stages in order and records each in PostgreSQL. The stages are the {@link Stage} beans;
 * each says whether it runs once or in every iteration and where, so the engine names none of them. A stage
 * that finished is never run again: {@link #resume} skips it and reads its typed output back, so a run killed
 * at any point continues where it stopped.
 */
@ApplicationScoped
public class WorkflowEngine {
    @Inject
    RunStore runs;
    @Inject
    StoreLock storeLock;
    @Inject
    @All
    List<Stage<?>> stages;

    /** One planned step: a stage at an iteration. */
    public record Step(Stage<?> stage, int iteration, int seq) {
        String label() {
            return iteration == 0 ? stage.name() : "iteration " + iteration + " " + stage.name();
        }
    }

    /** The stages of the run: the once-stages in order, then the per-iteration ones for every iteration. */
    public List<Step> plan(WorkflowSpec spec) {
        List<Step> steps = new ArrayList<>();
        for (Stage<?> s : ordered(spec, Stage.Scope.ONCE)) {
            steps.add(new Step(s, 0, steps.size()));
        }
        List<Stage<?>> each = ordered(spec, Stage.Scope.EACH_ITERATION);
        for (int k = 1; k <= spec.iterations(); k++) {
            for (Stage<?> s : each) {
                steps.add(new Step(s, k, steps.size()));
            }
        }
        return steps;
    }

    private List<Stage<?>> ordered(WorkflowSpec spec, Stage.Scope scope) {
        return stages.stream().filter(s -> s.scope() == scope && s.enabled(spec))
                .sorted(Comparator.comparingInt(Stage::order)).toList();
    }

    /** Creates a run and executes it; returns the run id. */
    public long start(WorkflowParser.Parsed parsed, Path workflowPath, String name, Console console) {
        return start(parsed, workflowPath, name, null, console);
    }

    /**
     * Creates a run that a schedule's firing started (or that was started by hand under a schedule's name) and
     * executes it; a second start of the same firing fails on the run table's unique index before any stage runs.
     */
    public long start(WorkflowParser.Parsed parsed, Path workflowPath, String name, Firing firing, Console console) {
        try (StoreLock.Held shared = storeLock.shared()) { // sift gc waits for it
            RunEntity run = runs.createRun(name != null ? name : parsed.spec().name(), parsed.spec().name(),
                    workflowPath.toAbsolutePath().toString(), parsed.snapshot(), WorkflowParams.of(parsed.spec()),
                    firing);
            console.info("run " + run.id + " (" + run.name + ") started");
            execute(run.id, parsed.spec(), console);
            return run.id;
        }
    }

    /** Continues a failed or killed run from the first stage that did not finish. */
    public RunEntity resume(long runId, Console console) {
        RunEntity run = runs.findRun(runId).orElseThrow(() -> SiftException.usage("no run with id " + runId));
        if (run.status == RunEntity.Status.SUCCEEDED) {
            console.info("run " + runId + " already finished");
            return run;
        }
        if (run.status == RunEntity.Status.RUNNING && ownerAlive(run)) {
            throw new SiftException(ExitCodes.BUSY, "run " + runId + " is still running in process "
                    + run.ownerPid + " on " + run.ownerHost);
        }
        WorkflowSpec spec = WorkflowParser.parse("run " + runId + " (stored workflow)", run.specYaml, null,
                Map.of(), false).spec();
        try (StoreLock.Held shared = storeLock.shared()) { // sift gc waits for it
            runs.claim(runId);
            console.info("resuming run " + runId + " (" + run.name + ")");
            execute(runId, spec, console);
        }
        return runs.findRun(runId).orElseThrow();
    }

    private static boolean ownerAlive(RunEntity run) {
        if (run.ownerPid == null || !RunStore.host().equals(run.ownerHost)) {
            return false; // cannot check another machine; its stage rows say what finished
        }
        return Processes.isOtherLiveJava(run.ownerPid);
    }

    private void execute(long runId, WorkflowSpec spec, Console console) {
        try {
            executeSteps(runId, spec, console);
        } catch (SiftException e) {
            throw e; // the failed stage already recorded itself and the run
        } catch (RuntimeException e) {
            runs.finishRun(runId, RunEntity.Status.FAILED, String.valueOf(e.getMessage()));
            throw e;
        }
    }

    private void executeSteps(long runId, WorkflowSpec spec, Console console) {
        Map<String, Record> outputs = new HashMap<>();
        Map<String, Object> cache = new HashMap<>();
        StageContext.Outputs finished = new StageContext.Outputs() {
            @Override
            public <O extends Record> Optional<O> find(Class<O> type, int iteration) {
                return Optional.ofNullable(type.cast(outputs.get(type.getName() + "@" + iteration)));
            }
        };
        List<Step> plan = plan(spec);
        String previousDigest = "";
        int lastIteration = Integer.MAX_VALUE;
        for (Step step : plan) {
            if (step.iteration() > lastIteration) {
                continue;
            }
            String key = step.stage().outputType().getName() + "@" + step.iteration();
            String prefix = "[" + (step.seq() + 1) + "/" + plan.size() + "] " + step.label();
            StageRunEntity done = runs.findStage(runId, step.stage().name(), step.iteration())
                    .filter(s -> s.status == RunEntity.Status.SUCCEEDED).orElse(null);
            String json;
            Record stored = done == null ? null : intactOutput(step, done, runId, spec, console, finished, cache);
            if (stored != null) {
                json = done.outputJson;
                outputs.put(key, stored);
                console.info(prefix + ": done before (attempt " + done.attempt + "), skipped");
            } else {
                StageContext ctx = new StageContext(runId, spec, step.iteration(), console, finished, cache);
                Record out = runStep(runId, step, ctx, previousDigest, prefix);
                json = StageJson.write(out);
                outputs.put(key, out);
            }
            previousDigest = Sha256.hex((previousDigest + json).getBytes(StandardCharsets.UTF_8));
            Optional<String> stop = endsIterations(step.stage(), outputs.get(key));
            if (stop.isPresent() && step.iteration() < spec.iterations()) {
                lastIteration = step.iteration();
                console.info("  stop rule: " + stop.get() + "; iterations " + (lastIteration + 1) + "-"
                        + spec.iterations() + " are not run");
            }
        }
        runs.finishRun(runId, RunEntity.Status.SUCCEEDED, null);
    }

    @SuppressWarnings("unchecked")
    private static <O extends Record> Optional<String> endsIterations(Stage<O> stage, Record output) {
        return stage.endsIterations((O) output);
    }

    /** The stored output of a finished step, or null when what it stored is gone and the step must run again. */
    private static <O extends Record> O intactOutput(Step step, StageRunEntity done, long runId, WorkflowSpec spec,
            Console console, StageContext.Outputs finished, Map<String, Object> cache) {
        @SuppressWarnings("unchecked")
        Stage<O> stage = (Stage<O>) step.stage();
        O out = StageJson.read(done.outputJson, stage.outputType());
        StageContext ctx = new StageContext(runId, spec, step.iteration(), console, finished, cache);
        if (stage.intact(ctx, out)) {
            return out;
        }
        console.info(step.label() + ": finished before, but what it stored is gone or changed: running it again");
        return null;
    }

    private Record runStep(long runId, Step step, StageContext ctx, String inputDigest, String prefix) {
        StageRunEntity sr = runs.beginStage(runId, step.stage().name(), step.iteration(), step.seq(), inputDigest);
        ctx.console().info(prefix + (sr.attempt > 1 ? " (attempt " + sr.attempt + ")" : ""));
        long t0 = System.nanoTime();
        Record out;
        try {
            out = step.stage().run(ctx);
        } catch (Exception e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            runs.failStage(sr.id, msg);
            runs.finishRun(runId, RunEntity.Status.FAILED, step.label() + ": " + msg);
            int code = e instanceof SiftException se ? se.exitCode() : ExitCodes.FAILURE;
            throw new SiftException(code, step.label() + " failed: " + msg + " (run " + runId + "; fix the cause, "
                    + "then 'sift resume " + runId + "')", e);
        }
        runs.finishStage(sr.id, StageJson.write(out));
        ctx.console().info(String.format("  %s finished in %.1f s", step.label(), (System.nanoTime() - t0) / 1e9));
        return out;
    }
}
