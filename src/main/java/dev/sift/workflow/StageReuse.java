package dev.sift.workflow;

import dev.sift.store.RunCopy;
import dev.sift.store.RunStore;
import dev.sift.store.StageRunEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The stage cache's reuse: a step whose cache key an earlier run's finished step has gets that step's output copied
 * into this run (rows, objects, output) instead of running ({@link StageCache} computes the keys).
 */
@ApplicationScoped
public class StageReuse {
    @Inject
    RunStore runs;

    /**
     * The output of the newest finished step of another run with the same cache key, copied into this run (rows,
     * objects, output), or null when the stage does not cache, the workflow turns caching off for it, there is no
     * such step, or what it stored is gone.
     */
    Record copy(WorkflowEngine.Step step, StageContext ctx, String inputDigest, String cacheKey, String prefix) {
        Stage<?> stage = step.stage();
        if (!stage.cacheable() || !ctx.spec().cache().reuses(stage.name())) {
            return null;
        }
        StageRunEntity from = runs.findCached(cacheKey, ctx.runId()).orElse(null);
        if (from == null) {
            return null;
        }
        StageRunEntity sr = runs.beginStage(ctx.runId(), stage.name(), step.iteration(), step.seq(), inputDigest);
        // the run that computed it while it exists ('runs delete'), else the run that holds it now
        long origin = from.reusedFrom != null && runs.findRun(from.reusedFrom).isPresent() ? from.reusedFrom
                : from.runId;
        Record reused;
        try {
            String json = RunCopy.remap(from.outputJson, from.runId, ctx.runId());
            Record out = adopt(stage, ctx, from.runId, json);
            if (out == null) {
                ctx.console().info(prefix + ": run " + origin + " computed it, but what it stored is gone: running it");
                return null;
            }
            runs.finishStage(sr.id, json, cacheKey, origin);
            ctx.console().info(prefix + ": reused the output of run " + origin + " (same cache key "
                    + cacheKey.substring(0, 12) + ")");
            reused = out;
        } catch (RuntimeException e) {
            ctx.console().info(prefix + ": could not reuse run " + origin + "'s output (" + e.getMessage()
                    + "): running it");
            return null;
        }
        try { // the step is stored as done: repeating what its run said may fail, never make it run again
            said(stage, ctx, reused, origin);
        } catch (RuntimeException e) {
            ctx.console().info("  (what run " + origin + " said could not be repeated: " + e.getMessage() + ")");
        }
        return reused;
    }

    @SuppressWarnings("unchecked")
    private static <O extends Record> void said(Stage<O> stage, StageContext ctx, Record out, long origin) {
        stage.reused(ctx, (O) out, origin);
    }

    private static <O extends Record> O adopt(Stage<O> stage, StageContext ctx, long from, String json) {
        O out = StageJson.read(json, stage.outputType());
        stage.adopt(ctx, from);
        return stage.intact(ctx, out) ? out : null;
    }
}
