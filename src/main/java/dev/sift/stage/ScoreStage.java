package dev.sift.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.importance.ImportanceMethod;
import dev.sift.importance.ImportanceMethods;
import dev.sift.importance.ScoringInput;
import dev.sift.importance.Weights;
import dev.sift.model.Predictions;
import dev.sift.model.Targets;
import dev.sift.store.ObjectStore;
import dev.sift.store.ScoreStore;
import dev.sift.store.WeightStore;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Scores every sample of the iteration's pool with each configured method and stores scores and weights. */
@ApplicationScoped
public class ScoreStage implements Stage {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore objects;
    @Inject
    WeightStore weights;
    @Inject
    ScoreStore scores;
    @Inject
    ModelFactory models;
    @Inject
    dev.sift.store.DynamicsStore dynamics;

    @Override
    public String name() {
        return "score";
    }

    @Override
    public ObjectNode run(StageContext ctx) {
        int[] pool = Subsets.pool(ctx, objects);
        String model = Subsets.scoringModel(ctx);
        byte[] modelWeights = weights.get(model);
        Predictions p = models.trainer(ctx).predict(modelWeights, pool);
        Targets t = ctx.targets();
        int[] classes = new int[pool.length];
        float[] values = new float[pool.length];
        for (int i = 0; i < pool.length; i++) {
            classes[i] = t.classes()[pool[i]];
            values[i] = t.values()[pool[i]];
        }
        // the validation split is the utility set of data valuation: same model, its last hidden activations
        var wanted = ctx.spec().score().methods();
        boolean needsValidation = wanted.contains("knn_shapley") || wanted.contains("tracin")
                || wanted.contains("ensemble");
        int[] validation = needsValidation ? Subsets.ofSplit(ctx.samples(), dev.sift.data.Split.VALIDATION)
                : new int[0];
        Predictions vp = validation.length == 0 ? null : models.trainer(ctx).predict(modelWeights, validation);
        int[] validClasses = new int[validation.length];
        for (int i = 0; i < validation.length; i++) {
            validClasses[i] = t.classes()[validation[i]];
        }
        // dynamics of the model trained on this pool: the fine-tune, then the previous iteration's kept model
        dev.sift.model.TrainingDynamics d = ctx.iteration() == 1 ? dynamics.read(ctx.runId(), "fine-tune", 0)
                : dynamics.read(ctx.runId(), "evaluate", ctx.iteration() - 1);
        double[] grand = null;
        if (wanted.contains("grand") && !ctx.spec().model().pretrained()
                && ctx.spec().task().type() != dev.sift.data.TaskType.REGRESSION) {
            var m = ctx.spec().model();
            grand = dev.sift.model.GhostGradNorms.compute(modelWeights, ctx.encoded(), classes, pool, m.dim(),
                    m.hidden(), ctx.spec().task().classes(), 256);
        }
        ScoringInput input = new ScoringInput(p, classes, values, vp == null ? null : vp.hidden(),
                vp == null ? null : vp.probs(), validClasses, d == null ? null : d.reorder(pool), grand);
        ObjectNode out = JSON.createObjectNode();
        out.put("pool", pool.length);
        out.put("model", model);
        var methods = out.putArray("methods");
        for (String name : ctx.spec().score().methods()) {
            ImportanceMethod m = name.equals("ensemble") ? new dev.sift.importance.RankEnsemble(
                    ctx.spec().score().ensemble()) : ImportanceMethods.byName(name);
            long t0 = System.nanoTime();
            double[] s;
            if (name.equals("label_quality")) {
                // confident learning also flags samples and suggests a grade: keep those beside the scores
                var cl = ((dev.sift.importance.ConfidentLearning) m).analyse(p.hidden(), classes,
                        ctx.spec().task().classes());
                s = cl.quality();
                storeSuggestions(ctx, pool, cl);
                out.put("flagged", java.util.stream.IntStream.range(0, pool.length).filter(i -> cl.flagged()[i])
                        .count());
            } else {
                s = m.score(input);
            }
            double[] w = Weights.normalise(s);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            scores.replace(ctx.runId(), ctx.iteration(), name, pool, s, w);
            ctx.console().info(String.format("  %-10s %d scores (%s), %d ms", name, s.length, m.meaning(), ms));
            methods.add(name);
        }
        // the pool's last hidden activations, for nearest neighbours in explanations
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(pool.length * p.hidden()[0].length * 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float[] h : p.hidden()) {
            for (float f : h) {
                b.putFloat(f);
            }
        }
        objects.put(ctx.runKey("hidden.f32"), b.array(), "application/octet-stream");
        return out;
    }

    private void storeSuggestions(StageContext ctx, int[] pool,
            dev.sift.importance.ConfidentLearning.Result cl) {
        int n = 0;
        for (boolean f : cl.flagged()) {
            n += f ? 1 : 0;
        }
        int[] idx = new int[n];
        int[] sug = new int[n];
        double[] q = new double[n];
        for (int i = 0, k = 0; i < pool.length; i++) {
            if (cl.flagged()[i]) {
                idx[k] = pool[i];
                sug[k] = cl.suggested()[i];
                q[k++] = cl.quality()[i];
            }
        }
        scores.replaceSuggestions(ctx.runId(), ctx.iteration(), idx, sug, q);
    }
}
