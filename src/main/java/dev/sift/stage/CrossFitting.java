package dev.sift.stage;

import dev.sift.SiftException;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.model.CrossFit;
import dev.sift.model.Predictions;
import dev.sift.model.RelevanceTrainer;
import dev.sift.stage.StageOutputs.FineTuneOutput;
import dev.sift.store.WeightStore;
import dev.sift.workflow.StageContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;

/**
 * Out-of-fold predictions for the score stage ({@code score.cross_fit: K}): K models, each trained from the
 * run's initial weights with the fine-tune's settings (early stopping on the validation split included) on the
 * pool without one fold of queries, each predicting the fold it did not see.
 */
@ApplicationScoped
public class CrossFitting {
    @Inject
    WeightStore weights;
    @Inject
    ModelFactory models;
    @Inject
    RunInputs inputs;

    /** The pool's out-of-fold predictions, in pool order. */
    public Predictions outOfFold(StageContext ctx, int[] pool) {
        int k = ctx.spec().score().crossFit();
        List<Sample> samples = inputs.samples(ctx);
        String[] groups = Arrays.stream(pool).mapToObj(i -> samples.get(i).group()).toArray(String[]::new);
        byte[] initial = weights.get(ctx.output(FineTuneOutput.class).initWeights());
        // the folds' per-epoch TracIn would be thrown away: train without the epoch scorer
        RelevanceTrainer trainer = models.trainer(ctx).withoutEpochScorer();
        CrossFit.Listener listener = (fold, folds, plan) -> {
            ctx.console().info(String.format("  cross-fit fold %d/%d: training on %d samples, predicting %d "
                    + "(%d queries)", fold, folds, plan.train().length, plan.heldOut().length, plan.groups()));
            return TrainingProgress.of(ctx, "cross-fit fold " + fold + "/" + folds);
        };
        CrossFit.Result r;
        try {
            r = CrossFit.run(trainer, initial, inputs.targets(ctx), pool, groups,
                    Subsets.ofSplit(samples, Split.VALIDATION), ctx.spec().fineTune(), k, listener);
        } catch (IllegalArgumentException e) {
            throw SiftException.usage("score.cross_fit: " + e.getMessage());
        }
        ctx.console().info(String.format("  cross-fit: %d models on query-grouped folds of %d samples, best "
                + "epochs %s, %d ms", k, pool.length, Arrays.toString(r.bestEpochs()), r.millis()));
        return r.outOfFold();
    }
}
