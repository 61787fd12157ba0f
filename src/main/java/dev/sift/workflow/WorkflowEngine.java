package dev.sift.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.stage.EvaluateStage;
import dev.sift.stage.FilterStage;
import dev.sift.stage.FineTuneStage;
import dev.sift.stage.IngestStage;
import dev.sift.stage.ScoreStage;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.Sha256;
import dev.sift.store.StageRunEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a workflow's stages in order and records each in PostgreSQL. A stage that finished is never run again:
 * {@link #resume} skips it and reads its outputs back, so a run killed at any point continues where it stopped.
 */
@ApplicationScoped
public class WorkflowEngine {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RunStore runs;
    @Inject
    ObjectStore objects;
    @Inject
    IngestStage ingest;
    @Inject
    FineTuneStage fineTune;
    @Inject
    ScoreStage score;
    @Inject
    FilterStage filter;
    @Inject
    EvaluateStage evaluate;

    /** One planned step: a stage at an iteration. */
    public record Step(Stage stage, int iteration, int seq) {
    }

    List<Step> plan(WorkflowSpec spec) {
        List<Step> steps = new ArrayList<>();
        int seq = 0;
        steps.add(new Step(ingest, 0, seq++));
        steps.add(new Step(fineTune, 0, seq++));
        for (int k = 1; k <= spec.iterations(); k++) {
            steps.add(new Step(score, k, seq++));
            steps.add(new Step(filter, k, seq++));
            steps.add(new Step(evaluate, k, seq++));
        }
        return steps;
    }

    /** Creates a run and executes it; returns the run id. */
    public long start(WorkflowParser.Parsed parsed, Path workflowPath, String name, Console console) {
        RunEntity run = runs.createRun(name != null ? name : parsed.spec().name(), parsed.spec().name(),
                workflowPath.toAbsolutePath().toString(), parsed.snapshot());
        console.info("run " + run.id + " (" + run.name + ") started");
        execute(run.id, parsed.spec(), console);
        return run.id;
    }

    /** Continues a failed or killed run from the first stage that did not finish. */
    public RunEntity resume(long runId, Console console) {
        RunEntity run = runs.findRun(runId).orElseThrow(() -> SiftException.usage("no run with id " + runId));
        if (run.status == RunEntity.Status.SUCCEEDED) {
            console.info("run " + runId + " already finished");
            return run;
        }
        if (run.status == RunEntity.Status.RUNNING && ownerAlive(run)) {
            throw new SiftException(ExitCodes.FAILURE, "run " + runId + " is still running in process "
                    + run.ownerPid + " on " + run.ownerHost);
        }
        WorkflowSpec spec = WorkflowParser.parse("run " + runId + " (stored workflow)", run.specYaml, null,
                Map.of(), false).spec();
        runs.claim(runId);
        console.info("resuming run " + runId + " (" + run.name + ")");
        execute(runId, spec, console);
        return runs.findRun(runId).orElseThrow();
    }

    private static boolean ownerAlive(RunEntity run) {
        if (run.ownerPid == null || !RunStore.host().equals(run.ownerHost)) {
            return false; // cannot check another machine; its stage rows say what finished
        }
        return dev.sift.store.Processes.isOtherLiveJava(run.ownerPid);
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
        Map<String, JsonNode> outputs = new HashMap<>();
        RunData data = new RunData(objects);
        List<Step> plan = plan(spec);
        String previousDigest = "";
        for (Step step : plan) {
            String key = step.stage().name() + "@" + step.iteration();
            String label = step.iteration() == 0 ? step.stage().name()
                    : "iteration " + step.iteration() + " " + step.stage().name();
            StageRunEntity done = runs.findStage(runId, step.stage().name(), step.iteration())
                    .filter(s -> s.status == RunEntity.Status.SUCCEEDED).orElse(null);
            if (done != null) {
                outputs.put(key, parse(done.outputJson));
                previousDigest = digest(previousDigest, done.outputJson);
                console.info("[" + (step.seq() + 1) + "/" + plan.size() + "] " + label + ": done before (attempt "
                        + done.attempt + "), skipped");
                continue;
            }
            StageRunEntity sr = runs.beginStage(runId, step.stage().name(), step.iteration(), step.seq(),
                    previousDigest);
            console.info("[" + (step.seq() + 1) + "/" + plan.size() + "] " + label
                    + (sr.attempt > 1 ? " (attempt " + sr.attempt + ")" : ""));
            long t0 = System.nanoTime();
            ObjectNode out;
            try {
                StageContext ctx = new StageContext(runId, spec, step.iteration(), console,
                        (stage, it) -> outputs.get(stage + "@" + it), data);
                out = step.stage().run(ctx);
            } catch (Exception e) {
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                runs.failStage(sr.id, msg);
                runs.finishRun(runId, RunEntity.Status.FAILED, label + ": " + msg);
                int code = e instanceof SiftException se ? se.exitCode() : ExitCodes.FAILURE;
                throw new SiftException(code, label + " failed: " + msg + " (run " + runId + "; fix the cause, then "
                        + "'sift resume " + runId + "')", e);
            }
            String json = out.toString();
            runs.finishStage(sr.id, json);
            outputs.put(key, out);
            previousDigest = digest(previousDigest, json);
            console.info(String.format("  %s finished in %.1f s", label, (System.nanoTime() - t0) / 1e9));
        }
        runs.finishRun(runId, RunEntity.Status.SUCCEEDED, null);
    }

    private static String digest(String previous, String json) {
        return Sha256.hex((previous + json).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored stage output is not JSON: " + e.getMessage(), e);
        }
    }
}
