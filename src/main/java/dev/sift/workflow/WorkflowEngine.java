package dev.sift.workflow;

import dev.sift.ExitCodes;
import dev.sift.Sha256;
import dev.sift.SiftException;
import dev.sift.data.Text;
import dev.sift.store.DatabaseSessions;
import dev.sift.store.Firing;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.ScheduleLocks;
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
    StageRuns stageRuns;
    @Inject
    ScheduleLocks locks;
    @Inject
    StoreLock storeLock;
    @Inject
    dev.sift.store.ObjectStore objects;
    @Inject
    DatabaseSessions sessions;
    @Inject
    StoredWorkflow storedWorkflow;
    @Inject
    StaleRuns staleRuns;
    @Inject
    StageReuse reuse;
    @Inject
    dev.sift.config.SiftConfig config;
    @Inject
    @All
    List<Stage<?>> stages;

    /** How many database outages one execution of a run waits out before it gives up (exit code 3). */
    static final int MAX_OUTAGES = 5;

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
        try (DatabaseSessions.Lock shared = storeLock.shared()) { // sift gc waits for it
            objects.check(); // an S3 it cannot use ends the command (exit 3) before a run is recorded
            if (firing == null) { // a firing's failure stays a FAILED run at ingest, which schedule history shows
                hashKey(); // a configured user-id hash key too short for ingest: said before a run is recorded
            }
            RunEntity run = create(parsed, workflowPath, name, firing);
            console.info("run " + run.id + " (" + Text.printable(run.name) + ") started");
            execute(run.id, parsed.spec(), console);
            return run.id;
        }
    }

    private void hashKey() {
        try {
            dev.sift.store.HashKeys.load(config);
        } catch (java.io.IOException | IllegalArgumentException e) {
            // SIFT_HOME/hash.key unreadable or not hex: ingest says so in its words, as before
        }
    }

    /**
     * Records a run without executing it: a run submitted to AWS Batch, whose job executes it with {@link #resume}.
     * {@code firing} as for {@link #start(WorkflowParser.Parsed, Path, String, Firing, Console)}, or null.
     */
    public RunEntity create(WorkflowParser.Parsed parsed, Path workflowPath, String name, Firing firing) {
        return runs.createRun(name != null ? name : parsed.spec().name(), parsed.spec().name(),
                workflowPath.toAbsolutePath().toString(), parsed.snapshot(), WorkflowParams.of(parsed.spec()), firing);
    }

    /** Continues a failed or killed run from the first stage that did not finish. */
    public RunEntity resume(long runId, Console console) {
        RunEntity run = runs.require(runId);
        if (run.status == RunEntity.Status.SUCCEEDED) {
            console.info("run " + runId + " already finished");
            return run;
        }
        if (run.status == RunEntity.Status.RUNNING && RunStore.ownerAlive(run)) {
            throw new SiftException(ExitCodes.BUSY, "run " + runId + " is still running in process "
                    + run.ownerPid + " on " + run.ownerHost);
        }
        staleRuns.refuseWhileStepsRun(runId, "resume the run");
        WorkflowSpec spec = storedWorkflow.spec(run, console);
        try (DatabaseSessions.Lock shared = storeLock.shared()) { // sift gc waits for it
            runs.claimOrBusy(run);
            console.info("resuming run " + runId + " (" + Text.printable(run.name) + ")");
            execute(runId, spec, console);
        }
        return runs.findRun(runId).orElseThrow();
    }

    /**
     * Creates a run and runs only its first stage ({@code sift run --only-stage ingest}); the run is left
     * interrupted, for {@code sift resume RUN} or more {@code --only-stage} steps.
     */
    public long startOnly(WorkflowParser.Parsed parsed, Path workflowPath, String name, String stage,
            Console console) {
        String first = plan(parsed.spec()).get(0).stage().name();
        if (!first.equals(stage)) { // refused before a run exists, so no empty run is left behind
            throw SiftException.usage("--only-stage " + stage + ": a new run starts with " + first + " ('sift run "
                    + "--only-stage " + first + "'); later steps go on with 'sift resume RUN --only-stage STAGE'");
        }
        objects.check();
        RunEntity run = create(parsed, workflowPath, name, null);
        console.info("run " + run.id + " (" + Text.printable(run.name) + ") started");
        try {
            executeOnly(run.id, stage, null, null, console);
        } catch (RuntimeException e) { // a probe's stored workflow that did not read back was left "interrupted"
            failIfRunning(run.id, e);
            throw e;
        }
        runs.finishRun(run.id, RunEntity.Status.INTERRUPTED, "stopped after " + stage + " (--only-stage); go on with "
                + "'sift resume " + run.id + "'");
        return run.id;
    }

    /**
     * Runs one step of a run whose earlier steps have all finished ({@code sift resume RUN --only-stage STAGE}): the
     * whole step, or with {@code shard} one shard of it. A shard stores its slice; the shard that finds every slice
     * stored finishes the step (one of them, under an advisory lock). The run's status is left as it is unless the
     * step fails or the run's owner died on this machine (RUNNING becomes INTERRUPTED); the cache is not consulted
     * (the point is to compute).
     */
    public void executeOnly(long runId, String stage, Integer iteration, Shard shard, Console console) {
        try (DatabaseSessions.Lock shared = storeLock.shared()) { // sift gc waits for it
            executeOnlyHeld(runId, stage, iteration, shard, console);
        }
        staleRuns.interruptIfStale(runId);
    }

    private void executeOnlyHeld(long runId, String stage, Integer iteration, Shard shard, Console console) {
        RunEntity run = runs.require(runId);
        WorkflowSpec spec = storedWorkflow.spec(run, console);
        List<Step> plan = plan(spec);
        Step target = plan.stream().filter(s -> s.stage().name().equals(stage)
                && (iteration == null || s.iteration() == iteration)).findFirst().orElseThrow(() -> SiftException
                .usage("run " + runId + " has no step " + stage + (iteration == null ? "" : " in iteration "
                        + iteration) + "; its steps: " + plan.stream().map(Step::label).toList()));
        if (shard != null && !target.stage().shardable()) { // finished or not (a finished one said 'nothing to do')
            throw SiftException.usage(target.stage().name() + " cannot be sharded (--shard applies to score)");
        }
        StepOutputs outputs = new StepOutputs();
        StageCache.Chain keys = new StageCache.Chain(spec);
        String previousDigest = "";
        String cacheKey = null;
        for (Step step : plan) {
            cacheKey = keys.next(step.stage(), step.iteration());
            if (step == target) {
                break;
            }
            StageRunEntity done = runs.findStage(runId, step.stage().name(), step.iteration())
                    .filter(s -> s.status == RunEntity.Status.SUCCEEDED).orElseThrow(() -> SiftException.usage(
                            "run " + runId + ": " + step.label() + " has not finished; run it first ('sift resume "
                                    + runId + " --only-stage " + step.stage().name() + (step.iteration() > 0
                                            ? " --iteration " + step.iteration() : "") + "')"));
            outputs.put(step, StageJson.read(done.outputJson, step.stage().outputType()));
            previousDigest = Sha256.hex((previousDigest + done.outputJson).getBytes(StandardCharsets.UTF_8));
        }
        if (runs.findStage(runId, stage, target.iteration()).filter(s -> s.status == RunEntity.Status.SUCCEEDED)
                .isPresent()) {
            console.info(target.label() + " of run " + runId + " has finished already; nothing to do");
            return;
        }
        StageContext ctx = new StageContext(runId, spec, target.iteration(), console, outputs, new HashMap<>());
        if (shard == null) {
            runWholeStep(runId, target, ctx, previousDigest, cacheKey);
            return;
        }
        String prefix = target.label() + " shard " + shard;
        if (!finishesShards(target, ctx, shard, prefix)) {
            return;
        }
        // the step lock: the shard that finishes the step and a whole-step resume of it exclude each other
        try (DatabaseSessions.Lock lock = locks.tryLock(stepLock(runId, stage, target.iteration())).orElse(null)) {
            if (lock == null || runs.findStage(runId, stage, target.iteration())
                    .filter(s -> s.status == RunEntity.Status.SUCCEEDED).isPresent()) {
                console.info(prefix + ": all shards are stored; another process finishes the stage");
                return;
            }
            stageRuns.check(runId, target, ctx, previousDigest);
            stageRuns.run(runId, target, ctx, previousDigest, target.label() + " (from " + shard.count()
                    + " shards)", cacheKey);
        }
    }

    /** A whole step, by one process at a time: two resumes of it started together would both compute it. */
    private void runWholeStep(long runId, Step target, StageContext ctx, String previousDigest, String cacheKey) {
        String stage = target.stage().name();
        try (DatabaseSessions.Lock lock = locks.tryLock(stepLock(runId, stage, target.iteration())).orElseThrow(
                () -> new SiftException(dev.sift.ExitCodes.BUSY, "run " + runId + ": " + target.label() + " is being "
                        + "run by another process (its attempts: 'sift runs show " + runId + "')"))) {
            if (runs.findStage(runId, stage, target.iteration()).filter(s -> s.status == RunEntity.Status.SUCCEEDED)
                    .isPresent()) {
                ctx.console().info(target.label() + " of run " + runId + " has finished already; nothing to do");
                return;
            }
            stageRuns.check(runId, target, ctx, previousDigest);
            stageRuns.run(runId, target, ctx, previousDigest, target.label(), cacheKey);
        }
    }

    /**
     * The advisory lock a process holds while it runs a whole step ({@code resume --only-stage}) or finishes it from
     * its shards: one process at a time does either.
     */
    static String stepLock(long runId, String stage, int iteration) {
        return "\u0000step/" + runId + "/" + stage + "/" + iteration;
    }

    /** Runs one shard; true when every shard of its count is now stored. */
    private static boolean finishesShards(Step target, StageContext ctx, Shard shard, String prefix) {
        ctx.console().info(prefix);
        try {
            return target.stage().runShard(ctx, shard);
        } catch (SiftException e) {
            throw e;
        } catch (Exception e) {
            throw new SiftException(ExitCodes.FAILURE, prefix + " failed: " + e.getMessage() + " (run it again: it "
                    + "replaces what it stored)", e);
        }
    }

    /**
     * Executes the run's steps. When the database connection is lost under it, waits for the database and goes on
     * where the run stopped (as {@code sift resume} would: finished steps are skipped, the cut one runs again), at most
     * {@link #MAX_OUTAGES} times; a database that stays away ends the command with exit code 3, the run resumable.
     */
    private void execute(long runId, WorkflowSpec spec, Console console) {
        for (int outage = 1;; outage++) {
            try {
                executeSteps(runId, spec, console);
                return;
            } catch (RuntimeException e) {
                if (dev.sift.store.InterruptedRuns.shuttingDown()) {
                    throw e; // stopped by SIGTERM or Ctrl-C: the shutdown hook marks the run INTERRUPTED
                }
                if (DatabaseSessions.isLoss(e)) {
                    sessions.recover("run " + runId, "sift resume " + runId, outage <= MAX_OUTAGES, e, console::info);
                    continue;
                }
                failIfRunning(runId, e);
                throw e;
            }
        }
    }

    /**
     * A failed stage has recorded itself and the run already; what failed between stages (a source the cache key
     * reads, such as a missing S3 object) or before the first (a stored workflow that does not read back) has not:
     * left RUNNING, the exit's shutdown hook would call it interrupted by SIGTERM. One rule: a run still RUNNING is
     * finished FAILED (not under a shutdown, which marks it INTERRUPTED itself).
     */
    private void failIfRunning(long runId, RuntimeException e) {
        if (dev.sift.store.InterruptedRuns.shuttingDown()) {
            return;
        }
        try {
            if (runs.findRun(runId).map(r -> r.status == RunEntity.Status.RUNNING).orElse(false)) {
                runs.finishRun(runId, RunEntity.Status.FAILED, StageRuns.message(e));
            }
        } catch (RuntimeException recording) {
            e.addSuppressed(recording); // the failure itself is what the command reports
        }
    }

    private void executeSteps(long runId, WorkflowSpec spec, Console console) {
        StepOutputs outputs = new StepOutputs();
        Map<String, Object> cache = new HashMap<>();
        List<Step> plan = plan(spec);
        String previousDigest = "";
        StageCache.Chain keys = new StageCache.Chain(spec);
        int lastIteration = Integer.MAX_VALUE;
        for (Step step : plan) {
            if (step.iteration() > lastIteration) {
                continue;
            }
            String cacheKey = keys.next(step.stage(), step.iteration());
            String prefix = "[" + (step.seq() + 1) + "/" + plan.size() + "] " + step.label();
            StageRunEntity done = runs.findStage(runId, step.stage().name(), step.iteration())
                    .filter(s -> s.status == RunEntity.Status.SUCCEEDED).orElse(null);
            String json;
            StageContext ctx = new StageContext(runId, spec, step.iteration(), console, outputs, cache);
            Record stored = done == null ? null : intactOutput(step, done, ctx);
            if (stored != null) {
                json = done.outputJson;
                outputs.put(step, stored);
                console.info(prefix + ": done before (attempt " + done.attempt + "), skipped");
            } else {
                stageRuns.check(runId, step, ctx, previousDigest);
                Record out = reuse.copy(step, ctx, previousDigest, cacheKey, prefix);
                if (out == null) {
                    out = stageRuns.run(runId, step, ctx, previousDigest, prefix, cacheKey);
                }
                json = StageJson.write(out);
                outputs.put(step, out);
            }
            previousDigest = Sha256.hex((previousDigest + json).getBytes(StandardCharsets.UTF_8));
            Optional<String> stop = outputs.endsIterations(step);
            if (stop.isPresent() && step.iteration() < spec.iterations()) {
                boolean first = lastIteration == Integer.MAX_VALUE; // a second reason in the same iteration: said alone
                lastIteration = step.iteration();
                console.info("  stop rule: " + stop.get() + (!first ? "" : "; " + (lastIteration + 1 == spec.iterations()
                        ? "iteration " + spec.iterations() + " is" : "iterations " + (lastIteration + 1) + "-"
                                + spec.iterations() + " are") + " not run"));
            }
        }
        runs.finishRun(runId, RunEntity.Status.SUCCEEDED, null);
    }

    /** The stored output of a finished step, or null when what it stored is gone and the step must run again. */
    private static <O extends Record> O intactOutput(Step step, StageRunEntity done, StageContext ctx) {
        @SuppressWarnings("unchecked")
        Stage<O> stage = (Stage<O>) step.stage();
        O out = StageJson.read(done.outputJson, stage.outputType());
        if (stage.intact(ctx, out)) {
            return out;
        }
        ctx.console().info(step.label() + ": finished before, but what it stored is gone or changed: running it "
                + "again");
        return null;
    }
}
