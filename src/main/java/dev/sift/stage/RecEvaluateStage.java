package dev.sift.stage;

import dev.sift.data.Split;
import dev.sift.evaluation.Protocol;
import dev.sift.recommend.Bpr;
import dev.sift.recommend.Interactions;
import dev.sift.recommend.Popularity;
import dev.sift.recommend.TwoTower;
import dev.sift.recommend.UserBootstrap;
import dev.sift.stage.RecOutputs.RecEvaluateOutput;
import dev.sift.stage.RecOutputs.RecFilterOutput;
import dev.sift.store.MetricStore;
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
 * Recommendation's evaluate: per evaluation seed, trains the two-tower on every training interaction ({@code full}),
 * on the policy's subset or weights ({@code selected}) and on its random control ({@code random}), and the ID-only
 * BPR matrix factorisation on every training and validation interaction (the two-tower reads the validation
 * interaction in its test-time profiles; BPR can only learn it), popularity from the same; ranks every item for each test user (known items left
 * out) beside the popularity baseline; stores HR@10, NDCG@10, Recall@20 and MRR per seed and as mean and sd, and the
 * paired per-user bootstrap intervals of selected - random, selected - full, full - bpr and full - popularity.
 */
@ApplicationScoped
public class RecEvaluateStage implements Stage<RecEvaluateOutput> {
    @Inject
    RecModels rec;
    @Inject
    ObjectStore objects;
    @Inject
    RunStore runs;
    @Inject
    MetricStore metrics;

    @Override
    public boolean enabled(WorkflowSpec spec) {
        return spec.task().recommendation();
    }

    @Override
    public String name() {
        return RunLayout.EVALUATE;
    }

    @Override
    public Scope scope() {
        return Scope.EACH_ITERATION;
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public Class<RecEvaluateOutput> outputType() {
        return RecEvaluateOutput.class;
    }

    /** One model family's per-seed means and per-seed per-user values. */
    private static final class Results {
        final List<Map<String, Double>> perSeed = new ArrayList<>();
        /** Metric -> per seed, per test user. */
        final Map<String, List<double[]>> perUser = new LinkedHashMap<>();

        /** {@code seconds} null for a model that does not train (popularity counts). */
        void add(Map<String, double[]> users, int trainSize, Double seconds) {
            Map<String, Double> m = RecModels.means(users);
            m.put("train_size", (double) trainSize);
            if (seconds != null) {
                m.put("train_seconds", seconds);
            }
            perSeed.add(m);
            users.forEach((k, v) -> perUser.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
    }

    @Override
    public RecEvaluateOutput run(StageContext ctx) {
        long start = System.nanoTime();
        Interactions data = rec.data(ctx);
        RecFilterOutput f = ctx.output(RecFilterOutput.class, ctx.iteration());
        Subsets.Training selected = Subsets.training(objects, f.selectedKey());
        Subsets.Training random = Subsets.training(objects, f.randomKey());
        int[] full = data.trainRows();
        int seeds = ctx.spec().evaluate().seeds();
        Map<String, Results> results = new LinkedHashMap<>();
        for (String s : List.of("selected", "random", "full", "bpr", "popularity")) {
            results.put(s, new Results());
        }
        // the baselines learn from what the two-tower's test-time profiles hold: training and validation interactions
        int[] known = java.util.stream.IntStream.concat(java.util.Arrays.stream(full), java.util.Arrays.stream(
                data.usersWith(Split.VALIDATION)).map(u -> data.target(u, Split.VALIDATION))).sorted().toArray();
        results.get("popularity").add(popularity(data, known), known.length, null);
        String cold = coldTargets(data, known);
        if (cold != null) {
            ctx.console().info(cold);
        }
        for (int seed = 0; seed < seeds; seed++) {
            twoTower(ctx, results.get("full"), "full", full, null, seed, TwoTower.Truncation.NONE);
            twoTower(ctx, results.get("selected"), "selected (" + f.chosen() + ")", selected.indices(),
                    selected.weights(), seed, RecFilterStage.truncation(f.policy(), f.keep(), false));
            twoTower(ctx, results.get("random"), "random", random.indices(), random.weights(), seed,
                    RecFilterStage.truncation(f.policy(), f.keep(), true));
            bpr(ctx, data, known, seed, results.get("bpr"));
        }
        int k = ctx.iteration();
        for (var e : results.entrySet()) {
            metrics.replaceSeeds(ctx.runId(), k, "test", e.getKey(), e.getValue().perSeed);
            Map<String, Double> summary = new LinkedHashMap<>(Protocol.meanAndSd(e.getValue().perSeed));
            summary.remove("train_size_sd"); // every seed trains on the same set
            summary.put("seeds", (double) e.getValue().perSeed.size());
            runs.replaceMetrics(ctx.runId(), k, "test", e.getKey(), summary);
        }
        List<MetricStore.Comparison> rows = new ArrayList<>();
        compare(ctx, results, "selected", "random", rows);
        compare(ctx, results, "selected", "full", rows);
        compare(ctx, results, "selected", "bpr", rows);
        compare(ctx, results, "selected", "popularity", rows);
        compare(ctx, results, "full", "bpr", rows);
        compare(ctx, results, "full", "popularity", rows);
        if (RoomControl.recommendation(random, full.length, f.policy(), f.keep())) {
            // a plain random subset of the kept size: how much room a chosen one has (Headroom)
            List<MetricStore.Comparison> room = new ArrayList<>();
            compare(ctx, results, "random", "full", room);
            rows.addAll(room);
            dev.sift.store.Headroom.lines(room, Map.of(k, new long[] {random.indices().length, full.length}))
                    .forEach(ctx.console()::info);
        }
        metrics.replaceComparisons(ctx.runId(), k, rows);
        int users = data.usersWith(Split.TEST).length;
        return new RecEvaluateOutput(seeds, users, (System.nanoTime() - start) / 1e9);
    }

    /**
     * A warning when a tenth or more of the test targets are items no model learnt from (no training or validation
     * interaction; a probe's two-user slice: all of them). Such items stay candidates, and BPR ranks them by factors
     * that only ever served as negatives, which on small data can put them above items it learnt; so a hit on them
     * says more about the data than about the model. Null when fewer.
     */
    static String coldTargets(Interactions data, int[] known) {
        java.util.BitSet seen = new java.util.BitSet(data.items());
        for (int s : known) {
            seen.set(data.item(s));
        }
        int[] users = data.usersWith(Split.TEST);
        long cold = java.util.Arrays.stream(users).filter(u -> !seen.get(data.item(data.target(u, Split.TEST))))
                .count();
        if (users.length == 0 || cold * 10 < users.length) {
            return null;
        }
        return "  warning: " + cold + " of " + users.length + " test targets are items with no training or validation"
                + " interaction: every model ranks them without having learnt them (BPR by factors only ever used as"
                + " negatives), so hits on them say little about the models";
    }

    private void twoTower(StageContext ctx, Results into, String what, int[] rows, double[] weights, int seed,
            TwoTower.Truncation truncation) {
        TwoTower.Trained t = rec.train(ctx, what + " seed " + seed, rows, RecFilterStage.floats(weights), seed, false,
                truncation);
        float[][] scores = rec.scores(ctx, t.weights(), rows, Split.TEST);
        into.add(RecModels.measure(rec.data(ctx), scores, Split.TEST), rows.length, t.seconds());
    }

    private static Map<String, double[]> popularity(Interactions data, int[] rows) {
        int[] items = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            items[i] = data.item(rows[i]);
        }
        float[] counts = Popularity.counts(data.items(), items);
        float[][] scores = new float[data.users()][];
        java.util.Arrays.fill(scores, counts);
        return RecModels.measure(data, scores, Split.TEST);
    }

    /** Trains BPR on {@code rows} with this seed and adds its test metrics and training time to {@code into}. */
    private static void bpr(StageContext ctx, Interactions data, int[] rows, int seed, Results into) {
        int[] users = new int[rows.length];
        int[] items = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            users[i] = data.user(rows[i]);
            items[i] = data.item(rows[i]);
        }
        Bpr.Spec d = Bpr.Spec.defaults();
        long start = System.nanoTime();
        Bpr model = Bpr.train(data.users(), data.items(), users, items, new Bpr.Spec(ctx.spec().recommend().dim(),
                d.epochs(), d.learningRate(), d.regularization(), ctx.spec().fineTune().seed() + seed));
        double seconds = (System.nanoTime() - start) / 1e9;
        float[][] scores = new float[data.users()][];
        for (int u = 0; u < data.users(); u++) {
            scores[u] = model.scores(u);
        }
        into.add(RecModels.measure(data, scores, Split.TEST), rows.length, seconds);
    }

    private void compare(StageContext ctx, Map<String, Results> results, String subset, String baseline,
            List<MetricStore.Comparison> rows) {
        Results a = results.get(subset);
        Results b = results.get(baseline);
        int resamples = ctx.spec().evaluate().bootstrap();
        Map<String, Protocol.Interval> c = new LinkedHashMap<>();
        for (String metric : a.perUser.keySet()) {
            Protocol.Interval i = UserBootstrap.compare(a.perUser.get(metric).toArray(new double[0][]),
                    b.perUser.get(metric).toArray(new double[0][]), resamples,
                    ctx.spec().filter().seed() + ctx.iteration(), ctx.spec().evaluate().bootstrapSeeds());
            c.put(metric, i);
            rows.add(new MetricStore.Comparison(ctx.iteration(), metric, subset, baseline, i.delta(), i.lo(), i.hi(),
                    Math.min(a.perSeed.size(), b.perSeed.size()), i.queries(), i.resamples()));
        }
        ctx.console().info(Baselines.describe(subset, baseline, c, true));
    }
}
