package dev.sift.stage;

import dev.sift.recommend.Denoising;
import dev.sift.recommend.TwoTower;
import dev.sift.stage.RecOutputs.RecFineTuneOutput;
import dev.sift.stage.RecOutputs.RecScoreOutput;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.ScoreStore;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recommendation's score: every training interaction's value under each method, from the fine-tuned two-tower's
 * recorded dynamics: {@code loss} (full-softmax loss after the last epoch), {@code el2n} (after the last epoch) and
 * {@code mean_loss} (the loss averaged over epochs). Higher means more likely noise for all three. Stored in
 * {@code score_vector} (arrays), with the reweighted policy's weights normalised to sum 1.
 */
@ApplicationScoped
public class RecScoreStage implements Stage<RecScoreOutput> {
    @Inject
    RecModels rec;
    @Inject
    ObjectStore objects;
    @Inject
    ScoreStore scores;

    @Override
    public boolean enabled(WorkflowSpec spec) {
        return spec.task().recommendation();
    }

    @Override
    public String name() {
        return RunLayout.SCORE;
    }

    @Override
    public Scope scope() {
        return Scope.EACH_ITERATION;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Class<RecScoreOutput> outputType() {
        return RecScoreOutput.class;
    }

    @Override
    public RecScoreOutput run(StageContext ctx) {
        Map<String, double[]> values = values(ctx);
        int[] pool = rec.data(ctx).trainRows();
        for (var e : values.entrySet()) {
            float[] w = Denoising.reweighted(e.getValue(), ctx.spec().recommend().beta(),
                    ctx.spec().filter().order() == dev.sift.selection.Order.LOWEST);
            double[] weight = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                weight[i] = w[i] / (double) w.length;
            }
            scores.replace(ctx.runId(), ctx.iteration(), e.getKey(), pool, e.getValue(), weight);
            ctx.console().info(String.format("  %s: mean %.4f over %d interactions", e.getKey(),
                    java.util.Arrays.stream(e.getValue()).average().orElse(Double.NaN), pool.length));
        }
        ScoreStage.sayAlike(ctx, values); // loss, el2n and mean_loss: higher = remove, as stored
        return new RecScoreOutput(java.util.List.copyOf(values.keySet()), pool.length);
    }

    /** Each method's values over the training rows (ascending sample index), from the stored dynamics. */
    Map<String, double[]> values(StageContext ctx) {
        return ctx.cached("rec-scores", () -> {
            RecFineTuneOutput ft = ctx.output(RecFineTuneOutput.class);
            TwoTower.Dynamics d = RecFineTuneStage.decode(objects.get(ft.dynamicsKey()));
            float[][] byEpoch = d.lossByEpoch();
            int n = d.el2n().length;
            Map<String, double[]> out = new LinkedHashMap<>();
            for (String m : ctx.spec().score().methods()) {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (m) {
                        case "loss" -> byEpoch[byEpoch.length - 1][i];
                        case "el2n" -> d.el2n()[i];
                        case "mean_loss" -> mean(byEpoch, i);
                        default -> throw new IllegalStateException("no recommendation method " + m);
                    };
                }
                out.put(m, v);
            }
            return out;
        });
    }

    private static double mean(float[][] byEpoch, int i) {
        double s = 0;
        for (float[] e : byEpoch) {
            s += e[i];
        }
        return s / byEpoch.length;
    }
}
