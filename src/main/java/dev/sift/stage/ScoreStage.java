package dev.sift.stage;

import dev.sift.store.RunCopy;
import dev.sift.data.Split;
import dev.sift.importance.Agreement;
import dev.sift.importance.ImportanceMethod;
import dev.sift.importance.ImportanceMethods;
import dev.sift.importance.MethodResult;
import dev.sift.importance.Need;
import dev.sift.importance.ScoringInput;
import dev.sift.importance.Weights;
import dev.sift.model.GhostGradNorms;
import dev.sift.model.ModelSpec;
import dev.sift.model.OutputAlignment;
import dev.sift.model.Predictions;
import dev.sift.model.Targets;
import dev.sift.model.TrainingDynamics;
import dev.sift.stage.StageOutputs.ScoreOutput;
import dev.sift.store.DynamicsStore;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import dev.sift.store.ScoreStore;
import dev.sift.store.WeightStore;
import dev.sift.workflow.Shard;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Scores every sample of the iteration's pool with each configured method and stores scores and weights. It
 * builds only what the chosen methods say they need (held-out outputs, dynamics, full gradient norms, output
 * alignments).
 */
@ApplicationScoped
public class ScoreStage implements Stage<ScoreOutput> {
    @Inject
    RunCopy copy;
    @Inject
    ObjectStore objects;
    @Inject
    WeightStore weights;
    @Inject
    ScoreStore scores;
    @Inject
    ModelFactory models;
    @Inject
    RunInputs inputs;
    @Inject
    DynamicsStore dynamics;
    @Inject
    RunStore runs;
    @Inject
    CrossFitting crossFitting;
    @Inject
    ScoreShards shards;

    /**
     * Samples per batch of the scoring model's passes over the pool: the features' inference batch (256 for the
     * hashed model and heads, 64 for token sequences, whose activations grow with batch x length). Shards split the
     * pool at whole batches of it, so a sharded stage computes every sample in the same batch as an unsharded one,
     * and gets the same bits.
     */
    private int passBatch(StageContext ctx) {
        return models.trainer(ctx).features().inferenceBatch();
    }

    /** Relevance tasks; recommendation has its own stages ({@code Rec*Stage}). */
    @Override
    public boolean enabled(WorkflowSpec spec) {
        return !spec.task().recommendation();
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
    public Class<ScoreOutput> outputType() {
        return ScoreOutput.class;
    }

    @Override
    public List<String> specSections() {
        return List.of("task", "split", "model", "fine_tune", "score");
    }

    @Override
    public boolean cacheable() {
        return true;
    }

    /** Scores and weights, flagged labels, noise detection rows and the pool's hidden activations. */
    @Override
    public void adopt(StageContext ctx, long from) {
        int k = ctx.iteration();
        copy.rows(from, ctx.runId(), List.of(new RunCopy.Rows("score_vector", "iteration = ?", k),
                new RunCopy.Rows("label_suggestion", "iteration = ?", k),
                new RunCopy.Rows("metric", "iteration = ? AND split = ?", k, NoiseReport.SPLIT)));
        copy.objects(from, ctx.runId(), List.of(RunLayout.hidden(from, k)));
    }

    @Override
    public boolean shardable() {
        return true;
    }

    /**
     * The scoring model's passes over one slice of the pool (predictions, and per-sample gradient norms when a
     * method needs them), stored for {@link #run}, which reads the parts instead of computing them and does the
     * rest once: the methods, extra checkpoints and seeds, cross-fitting, weights.
     */
    @Override
    public boolean runShard(StageContext ctx, Shard shard) {
        int[] pool = Subsets.pool(ctx, inputs.samples(ctx), objects);
        String model = Subsets.scoringModels(ctx).get(0);
        Set<Need> needs = needs(methods(ctx));
        int[] range = shard.slice(pool.length, passBatch(ctx));
        int[] slice = java.util.Arrays.copyOfRange(pool, range[0], range[1]);
        ScoreShards.Passes part = passes(ctx, weights.get(model), slice, needs);
        shards.store(ctx, shard, model, pool, range[0], part.predictions(), part.gradNorms());
        ctx.console().info("  shard " + shard + ": samples " + range[0] + "-" + range[1] + " of " + pool.length
                + " stored");
        return shards.completeCounts(ctx.runId(), ctx.iteration()).contains(shard.count());
    }

    private static List<ImportanceMethod> methods(StageContext ctx) {
        return ctx.spec().score().methods().stream()
                .map(n -> ImportanceMethods.configured(n, ctx.spec().score().ensemble())).toList();
    }

    /** What the methods need built for them. */
    private static Set<Need> needs(List<ImportanceMethod> methods) {
        Set<Need> needs = EnumSet.noneOf(Need.class);
        methods.forEach(m -> needs.addAll(m.needs()));
        return needs;
    }

    /** The scoring model's per-sample passes over {@code which}, in batches of {@link #passBatch}. */
    private ScoreShards.Passes passes(StageContext ctx, byte[] modelWeights, int[] which, Set<Need> needs) {
        Predictions p = models.trainer(ctx).predict(modelWeights, which, passBatch(ctx));
        double[] full = null;
        if (needs.contains(Need.FULL_GRADIENTS)) {
            ModelSpec m = ctx.spec().model();
            full = GhostGradNorms.compute(modelWeights, inputs.encoded(ctx), pick(inputs.targets(ctx).classes(),
                    which), which, m.dim(), m.hidden(), ctx.spec().task().classes(), passBatch(ctx));
        }
        return new ScoreShards.Passes(p, full);
    }

    @Override
    public ScoreOutput run(StageContext ctx) {
        int[] pool = Subsets.pool(ctx, inputs.samples(ctx), objects);
        List<String> checkpoints = Subsets.scoringModels(ctx);
        String model = checkpoints.get(0);
        List<ImportanceMethod> methods = methods(ctx);
        Set<Need> needs = needs(methods);
        byte[] modelWeights = weights.get(model);
        ScoreShards.Passes passes = shards.assemble(ctx, model, pool)
                .orElseGet(() -> passes(ctx, modelWeights, pool, needs));
        Predictions p = passes.predictions();
        ScoringInput input = input(ctx, pool, p, modelWeights, needs, null, passes.gradNorms());
        if (ctx.spec().score().crossFit() >= 2) {
            // label_quality reads out-of-fold predictions when they are there, oof_loss needs them
            if (methods.stream().anyMatch(m -> m.uses().contains(Need.CROSS_FIT))) {
                input = input.withOutOfFold(crossFitting.outOfFold(ctx, pool));
            } else {
                ctx.console().info("  score.cross_fit: no listed method reads out-of-fold predictions; not trained");
            }
        }
        List<ScoringInput> others = new ArrayList<>();
        for (String other : checkpoints.subList(1, checkpoints.size())) {
            // score.checkpoint: mean: every epoch's weights score the pool, the scores are averaged
            byte[] w = weights.get(other);
            others.add(input(ctx, pool, models.trainer(ctx).predict(w, pool), w, needs));
        }
        others.addAll(otherSeeds(ctx, pool, needs));
        if (input.outOfFold() != null) {
            // the cross-fitted predictions do not depend on the scoring model: every scoring model reads them
            ScoringInput withFolds = input;
            others.replaceAll(in -> in.withOutOfFold(withFolds.outOfFold()));
        }
        Map<String, double[]> toRemove = new LinkedHashMap<>(); // every method's scores, higher = remove
        Long flagged = null;
        NoiseReport noise = NoiseReport.of(inputs.samples(ctx), pool);
        for (ImportanceMethod m : methods) {
            long t0 = System.nanoTime();
            MethodResult r = averaged(m, m.evaluate(input), others);
            double[] w = Weights.normalise(m.orientation().toKeep(r.scores()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            scores.replace(ctx.runId(), ctx.iteration(), m.name(), pool, r.scores(), w);
            if (r.suggestions() != null) {
                storeSuggestions(ctx, pool, r);
                flagged = (long) r.suggestions().count();
            }
            ctx.console().info(String.format("  %-14s %d scores (%s), %d ms", m.name(), r.scores().length,
                    m.meaning(), ms));
            toRemove.put(m.name(), m.orientation().toRemove(r.scores()));
            if (noise != null) {
                noise.add(m, r.scores());
            }
        }
        sayAlike(ctx, toRemove);
        if (noise != null) {
            noise.finish(ctx, runs);
        }
        storeHidden(ctx, p);
        return new ScoreOutput(pool.length, model, new ArrayList<>(toRemove.keySet()), flagged);
    }

    /** The Spearman correlation from which two methods' rankings of a pool are called alike. */
    static final double ALIKE = 0.95;

    /**
     * One line naming the methods that rank the pool alike (scores turned so that higher = remove): a curve or a
     * candidate list over them tests one ranking several times (the proof run's loss, EL2N and AUM: 0.98-0.998).
     */
    static void sayAlike(StageContext ctx, Map<String, double[]> toRemove) {
        List<String> alike = Agreement.alike(toRemove, ALIKE);
        if (!alike.isEmpty()) {
            ctx.console().info("  rank the pool alike (Spearman >= " + ALIKE + ", scores turned so that higher = "
                    + "remove): " + String.join(", ", alike) + "; sift runs agreement " + ctx.runId()
                    + " --iteration " + ctx.iteration() + " compares every pair");
        }
    }

    /**
     * With {@code score.seeds: N}, N - 1 more scoring models trained on the pool from the initial weights of seeds
     * fine_tune.seed + j (the fine-tune's settings, early stopping on the validation split), each with its own
     * predictions and training dynamics, scoring with the checkpoints {@code score.checkpoint} picks; the scoring
     * model itself is seed 0's.
     */
    private List<ScoringInput> otherSeeds(StageContext ctx, int[] pool, Set<Need> needs) {
        List<ScoringInput> out = new ArrayList<>();
        var trainer = models.trainer(ctx);
        int[] validation = Subsets.ofSplit(inputs.samples(ctx), Split.VALIDATION);
        for (int j = 1; j < ctx.spec().score().seeds(); j++) {
            var spec = ctx.spec().fineTune().withSeed(ctx.spec().fineTune().seed() + j);
            var r = trainer.train(models.initialWeights(ctx, j), inputs.targets(ctx), pool, validation, spec,
                    TrainingProgress.of(ctx, "scoring seed " + (j + 1) + "/" + ctx.spec().score().seeds()),
                    ctx.spec().score().checkpoint());
            for (byte[] w : r.scoringWeights()) {
                out.add(input(ctx, pool, trainer.predict(w, pool), w, needs, r.dynamics(), null));
            }
        }
        return out;
    }

    /**
     * The method's scores averaged over the scoring seeds and checkpoints (a NaN on any stays NaN); the flags and
     * suggested grades are the first scoring model's (seed 0; with {@code checkpoint: mean}, its last epoch's).
     */
    private static MethodResult averaged(ImportanceMethod m, MethodResult first, List<ScoringInput> others) {
        if (others.isEmpty()) {
            return first;
        }
        double[] sum = first.scores().clone();
        for (ScoringInput in : others) {
            double[] s = m.evaluate(in).scores();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += s[i];
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= others.size() + 1;
        }
        return new MethodResult(sum, first.suggestions());
    }

    private ScoringInput input(StageContext ctx, int[] pool, Predictions p, byte[] modelWeights, Set<Need> needs) {
        return input(ctx, pool, p, modelWeights, needs, null, null);
    }

    /** The inputs of the methods; {@code trained}: the dynamics of a model trained here (else the stored ones). */
    private ScoringInput input(StageContext ctx, int[] pool, Predictions p, byte[] modelWeights, Set<Need> needs,
            TrainingDynamics trained, double[] fullNorms) {
        Targets t = inputs.targets(ctx);
        int[] classes = pick(t.classes(), pool);
        float[] values = new float[pool.length];
        for (int i = 0; i < pool.length; i++) {
            values[i] = t.values()[pool[i]];
        }
        Predictions vp = null;
        int[] validClasses = new int[0];
        if (needs.contains(Need.UTILITY_SPLIT)) {
            int[] utility = Subsets.ofSplit(inputs.samples(ctx), Split.UTILITY);
            vp = models.trainer(ctx).predict(modelWeights, utility);
            validClasses = pick(t.classes(), utility);
        }
        TrainingDynamics d = null;
        if (needs.contains(Need.TRAINING_DYNAMICS)) {
            // dynamics of the model trained on this pool: the fine-tune, then the previous iteration's kept model
            d = trained != null ? trained : ctx.iteration() == 1 ? dynamics.read(ctx.runId(), RunLayout.FINE_TUNE, 0)
                    : dynamics.read(ctx.runId(), RunLayout.EVALUATE, ctx.iteration() - 1);
            // score.checkpoint epoch:K: the dynamics up to that checkpoint
            d = d == null ? null : d.firstEpochs(ctx.spec().score().checkpoint().dynamicsEpochs(d.epochs()));
        }
        double[] full = fullNorms;
        if (full == null && needs.contains(Need.FULL_GRADIENTS)) {
            ModelSpec m = ctx.spec().model();
            full = GhostGradNorms.compute(modelWeights, inputs.encoded(ctx), classes, pool, m.dim(), m.hidden(),
                    ctx.spec().task().classes(), passBatch(ctx));
        }
        return new ScoringInput(p, classes, values, vp == null ? null : vp.hidden(), vp == null ? null : vp.probs(),
                validClasses, d == null ? null : d.reorder(pool), full,
                needs.contains(Need.OUTPUT_ALIGNMENT) ? alignments(ctx, pool, modelWeights, t) : null);
    }

    /** g . dM(x_i)/dtheta for the pool: one backward pass over it, then a central difference along g. */
    private double[] alignments(StageContext ctx, int[] pool, byte[] modelWeights, Targets t) {
        long t0 = System.nanoTime();
        OutputAlignment.Result r = OutputAlignment.compute(models.trainer(ctx), modelWeights, t, pool,
                ctx.spec().fineTune().batchSize());
        ctx.console().info(String.format("  output alignments: ||theta|| %.4g, ||g|| %.4g, eps %.3g, %d ms",
                r.parameterNorm(), r.gradientNorm(), r.eps(), (System.nanoTime() - t0) / 1_000_000));
        return r.values();
    }

    private static int[] pick(int[] all, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = all[idx[i]];
        }
        return out;
    }

    /** The pool's last hidden activations, for nearest neighbours in explanations. */
    private void storeHidden(StageContext ctx, Predictions p) {
        objects.putFloats(RunLayout.hidden(ctx.runId(), ctx.iteration()), p.hidden());
    }

    private void storeSuggestions(StageContext ctx, int[] pool, MethodResult r) {
        MethodResult.Suggestions s = r.suggestions();
        int n = s.count();
        int[] idx = new int[n];
        int[] sug = new int[n];
        double[] q = new double[n];
        for (int i = 0, k = 0; i < pool.length; i++) {
            if (s.flagged()[i]) {
                idx[k] = pool[i];
                sug[k] = s.suggested()[i];
                q[k++] = r.scores()[i];
            }
        }
        scores.replaceSuggestions(ctx.runId(), ctx.iteration(), idx, sug, q);
    }
}
