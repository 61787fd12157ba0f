package dev.sift.stage;

import dev.sift.data.Split;
import dev.sift.recommend.Denoising;
import dev.sift.recommend.Interactions;
import dev.sift.recommend.TwoTower;
import dev.sift.selection.Order;
import dev.sift.stage.RecOutputs.RecFilterOutput;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recommendation's filter: applies the denoising policy (or, with {@code filter.candidates}, each candidate: a
 * two-tower trained from the fine-tune seed on its subset or weights, measured by NDCG@10 on the validation targets,
 * the best kept; test is never looked at), and draws its random control: a uniform subset of the same size from the
 * same droppable rows, or for {@code reweighted} the same weights shuffled. Both go to S3 under the run.
 */
@ApplicationScoped
public class RecFilterStage implements Stage<RecFilterOutput> {
    @Inject
    RecModels rec;
    @Inject
    RecScoreStage scoreStage;
    @Inject
    ObjectStore objects;
    @Inject
    RunStore runs;

    @Override
    public boolean enabled(WorkflowSpec spec) {
        return spec.task().recommendation();
    }

    @Override
    public String name() {
        return RunLayout.FILTER;
    }

    @Override
    public Scope scope() {
        return Scope.EACH_ITERATION;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Class<RecFilterOutput> outputType() {
        return RecFilterOutput.class;
    }

    /** Its subsets are still in S3 (as {@link FilterStage#intact}): a resume whose subsets are gone runs it again. */
    @Override
    public boolean intact(StageContext ctx, RecFilterOutput output) {
        return FilterStage.stored(objects, output.selectedKey(), output.randomKey());
    }

    @Override
    public RecFilterOutput run(StageContext ctx) {
        WorkflowSpec.FilterSpec f = ctx.spec().filter();
        List<Denoising.Candidate> candidates = new ArrayList<>();
        for (String c : f.chooses() ? f.candidates() : List.of(f.policy())) {
            candidates.add(Denoising.Candidate.parse(c, f.by(), f.keep()));
        }
        Interactions data = rec.data(ctx);
        Map<String, Double> validation = new LinkedHashMap<>();
        Denoising.Candidate chosen = candidates.get(0);
        if (candidates.size() > 1) {
            double best = Double.NEGATIVE_INFINITY;
            for (Denoising.Candidate c : candidates) {
                Subsets.Training t = apply(ctx, c);
                TwoTower.Trained m = rec.train(ctx, "candidate " + c.label(), t.indices(), floats(t.weights()), 0,
                        false, truncation(c.policy(), c.keep(), false));
                double ndcg = RecModels.means(RecModels.measure(data, rec.scores(ctx, m.weights(), t.indices(),
                        Split.VALIDATION), Split.VALIDATION)).get("ndcg@10");
                validation.put(c.label(), ndcg);
                ctx.console().info(String.format("  candidate %s: validation ndcg@10 %.4f, %d rows", c.label(), ndcg,
                        t.indices().length));
                if (ndcg > best) {
                    best = ndcg;
                    chosen = c;
                }
            }
            ctx.console().info("  validation picked " + chosen.label() + PolicyChoice.tie(validation, chosen.label()));
        }
        Subsets.Training kept = apply(ctx, chosen);
        int[] pool = data.trainRows();
        Subsets.Training random = chosen.adt() ? new Subsets.Training(pool, null, null) : chosen.truncated()
                ? new Subsets.Training(Denoising.randomAtSize(data, pool, kept.indices().length,
                        ctx.spec().recommend().keepLast(), f.seed()), null, null)
                : new Subsets.Training(pool, doubles(Denoising.shuffled(floats(kept.weights()), f.seed())), null);
        String selectedKey = RunLayout.selected(ctx.runId(), ctx.iteration());
        String randomKey = RunLayout.random(ctx.runId(), ctx.iteration());
        Subsets.write(objects, selectedKey, kept);
        Subsets.write(objects, randomKey, random);
        RecFilterOutput out = new RecFilterOutput(chosen.label(), chosen.policy(), chosen.method(), chosen.keep(),
                pool.length, kept.indices().length, selectedKey, randomKey, objects.uri(selectedKey),
                objects.uri(randomKey),
                f.chooses() ? List.copyOf(f.candidates()) : null, validation);
        saveIteration(ctx, out, kept);
        ctx.console().info(String.format("  %s kept %d of %d training interactions", chosen.label(),
                kept.indices().length, pool.length));
        return out;
    }

    /**
     * ADT's truncation for a policy ({@code adt}: drop rate up to {@code 1 - keep}; its random control drops as many
     * rows at random), none for the others.
     */
    static TwoTower.Truncation truncation(String policy, double keep, boolean random) {
        return policy.equals("adt") ? new TwoTower.Truncation(1 - keep, random) : TwoTower.Truncation.NONE;
    }

    /**
     * What a candidate trains on: the kept rows (truncated), every row with its weight (reweighted), or every row
     * (adt, which drops rows during training).
     */
    Subsets.Training apply(StageContext ctx, Denoising.Candidate c) {
        Interactions data = rec.data(ctx);
        int[] pool = data.trainRows();
        if (c.adt()) {
            return new Subsets.Training(pool, null, null);
        }
        double[] score = scoreStage.values(ctx).get(c.method());
        boolean keepLowest = ctx.spec().filter().order() == Order.LOWEST;
        if (c.truncated()) {
            return new Subsets.Training(Denoising.truncated(data, pool, score, c.keep(), keepLowest,
                    ctx.spec().recommend().keepLast()), null, null);
        }
        return new Subsets.Training(pool, doubles(Denoising.reweighted(score, ctx.spec().recommend().beta(),
                keepLowest)), null);
    }

    static float[] floats(double[] d) {
        if (d == null) {
            return null;
        }
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    static double[] doubles(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** ADT reads no stored score and no order: it drops each batch's highest training losses as it trains. */
    private void saveIteration(StageContext ctx, RecFilterOutput f, Subsets.Training kept) {
        boolean adt = "adt".equals(f.policy());
        runs.saveIteration(FilterStage.iterationRow(ctx, f.pool(), f.kept(), adt ? "(training loss)" : f.by(),
                f.selectedUri(), f.randomUri(), f.chosen(), f.candidates() == null ? null : f.candidates().size(),
                adt ? null : ctx.spec().filter().order().key(), kept, null));
    }
}
