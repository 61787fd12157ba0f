package dev.sift.stage;

import dev.sift.SiftException;
import dev.sift.data.Text;
import dev.sift.evaluation.Protocol;
import dev.sift.evaluation.TestOutcome;
import dev.sift.selection.Order;
import dev.sift.selection.Pool;
import dev.sift.selection.RandomSubset;
import dev.sift.selection.Selection;
import dev.sift.selection.SelectionPolicies;
import dev.sift.selection.SelectionPolicy;
import dev.sift.selection.Stratified;
import dev.sift.store.MetricStore;
import dev.sift.store.ScoreStore;
import dev.sift.workflow.StageContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Kept-fraction and removal curves ({@code evaluate.curve}), on iteration 1's pool (the training split): at each
 * kept fraction f, for each scoring method and
 * each fraction-taking policy of {@code evaluate.curve_policies}, trains (per evaluation seed) on the f of the pool
 * kept from the highest-valued end and on the f kept from the lowest-valued end, beside a random f of the pool.
 * Read the other way, the two ends are the removal curve: keeping the lowest f removes the highest-valued 1 - f
 * first. Every point is stored as metric rows of split {@code curve} with its fraction, and compared with random at
 * the same fraction by the paired per-query bootstrap (comparison rows {@code <subset>@<f>} against
 * {@code random@<f>}); a {@code stratified} point against {@code random stratified@<f>}, as many of every (query,
 * grade) stratum drawn at random, the control the filter gives a stratified pick.
 */
@ApplicationScoped
public class Curves {
    @Inject
    ScoreStore scores;
    @Inject
    MetricStore metrics;
    @Inject
    FilterStage filter;

    /**
     * Draws the curves of this iteration's pool; returns their comparisons with random.
     *
     * @param train trains a labelled training set once per evaluation seed and returns the test outcomes
     */
    List<MetricStore.Comparison> draw(EvaluateStage.Setup s, BiFunction<String, Subsets.Training,
            List<TestOutcome>> train) {
        StageContext ctx = s.ctx();
        List<Double> fractions = ctx.spec().evaluate().curve();
        List<MetricStore.Comparison> rows = new ArrayList<>();
        if (fractions.isEmpty() || ctx.iteration() != 1) {
            return rows;
        }
        Map<String, Pool> views = new LinkedHashMap<>();
        Map<String, int[]> pools = new LinkedHashMap<>();
        for (String method : ctx.spec().score().methods()) {
            List<ScoreStore.Row> r = scores.read(ctx.runId(), ctx.iteration(), method);
            int[] p = r.stream().mapToInt(ScoreStore.Row::sampleIndex).toArray();
            pools.put(method, p);
            views.put(method, filter.pool(ctx, p, r.stream().mapToDouble(ScoreStore.Row::score).toArray(), false));
        }
        int[] pool = pools.values().iterator().next();
        int resamples = ctx.spec().evaluate().bootstrap();
        long seed = ctx.spec().filter().seed() + 7919L * ctx.iteration();
        for (double f : fractions) {
            String at = "@" + Text.plain(f);
            int size = size(f, pool.length);
            int[] drawn = FilterStage.map(pool, new RandomSubset(size, seed).select(pool.length));
            List<TestOutcome> random = point(s, train, "random", f, new Subsets.Training(drawn, null, null));
            // stratified points are compared with as many of every (query, grade) stratum drawn at random, as the
            // filter's stratified pick is: the counts per stratum depend on the fraction alone, not on the scores
            List<TestOutcome> randomStrata = null;
            if (ctx.spec().evaluate().curvePolicies().contains(STRATIFIED)) {
                Pool any = views.values().iterator().next();
                Selection strata = new Stratified().control(any, new Stratified().build(any, f, Order.LOWEST, seed),
                        seed);
                randomStrata = point(s, train, RANDOM_STRATA, f, new Subsets.Training(FilterStage.map(pool,
                        strata.positions()), null, null));
            }
            for (var e : views.entrySet()) {
                for (String policyName : ctx.spec().evaluate().curvePolicies()) {
                    SelectionPolicy policy = SelectionPolicies.find(policyName).orElseThrow();
                    for (Order order : List.of(Order.HIGHEST, Order.LOWEST)) {
                        String subset = e.getKey() + " " + order.key()
                                + (policyName.equals("top_fraction") ? "" : " " + policyName);
                        Selection sel = policy.build(e.getValue(), f, order, seed);
                        List<TestOutcome> o = point(s, train, subset, f,
                                new Subsets.Training(FilterStage.map(pools.get(e.getKey()), sel.positions()),
                                        sel.weights(), sel.labels()));
                        boolean strata = policyName.equals(STRATIFIED);
                        String base = (strata ? RANDOM_STRATA : "random") + at;
                        Protocol.compare(s.testSet(), o, strata ? randomStrata : random, resamples,
                                EvaluateStage.bootstrapSeed(ctx), ctx.spec().evaluate().bootstrapSeeds())
                                .forEach((metric, i) -> rows.add(new MetricStore.Comparison(ctx.iteration(), metric,
                                        subset + at, base, i.delta(), i.lo(), i.hi(), s.seeds(),
                                        i.queries(), i.resamples())));
                    }
                }
            }
        }
        return rows;
    }

    private static final String STRATIFIED = "stratified";
    /** The curve point of a random draw with the stratified policy's counts per (query, grade) stratum. */
    static final String RANDOM_STRATA = "random stratified";

    /** The fewest training samples a curve point may keep: a model trained on fewer says nothing about its fraction. */
    static final int MIN_POINT = 10;

    /**
     * The samples a curve point at {@code fraction} keeps of a pool of {@code pool}: as many as the policies keep
     * ({@link dev.sift.selection.TopFraction#keptCount}, rounded up), so that the random subset beside a point is
     * its size (it was rounded to the nearest, one fewer at 0.4 of 1,343 in a probe's run), and at least one.
     */
    static int size(double fraction, int pool) {
        return Math.max(1, dev.sift.selection.TopFraction.keptCount(pool, Math.min(1, Math.max(fraction, 1e-12))));
    }

    /**
     * Refuses, before anything trains for it, an {@code evaluate.curve} fraction that keeps fewer than {@link
     * #MIN_POINT} of the {@code pool} training samples: its models would learn from a handful of samples, and its
     * intervals (over test queries, not training draws) would still look decisive.
     */
    static void check(List<Double> fractions, int pool) {
        for (double f : fractions) {
            int size = size(f, pool);
            if (size < MIN_POINT) {
                throw SiftException.usage(pool < MIN_POINT
                        ? String.format("evaluate.curve: the training split has %d samples, too few for a curve (a "
                                + "point needs at least %d); remove evaluate.curve", pool, MIN_POINT)
                        : String.format("evaluate.curve: %s keeps %d of the %d training samples; a point needs at "
                                + "least %d (a fraction of at least %s here)", Text.plain(f), size, pool, MIN_POINT,
                                Text.plain(leastFraction(pool))));
            }
        }
    }

    /** The least fraction to four decimals whose point keeps {@link #MIN_POINT} of {@code pool} (checked, not rounded). */
    static double leastFraction(int pool) {
        double f = Math.floor((MIN_POINT - 1.0) / pool * 1e4) / 1e4; // at most the least; 9/1875 is 47.99999... x 1e-4
        while (size(f, pool) < MIN_POINT) {
            f = (Math.round(f * 1e4) + 1) / 1e4;
        }
        return f;
    }

    private List<TestOutcome> point(EvaluateStage.Setup s, BiFunction<String, Subsets.Training,
            List<TestOutcome>> train, String subset, double fraction, Subsets.Training t) {
        List<TestOutcome> o = train.apply("curve " + subset + " at " + fraction, t);
        metrics.replaceCurve(s.ctx().runId(), s.ctx().iteration(), subset, fraction, Baselines.summary(o.stream()
                .map(x -> Protocol.measure(s.testSet(), x)).toList(), t.indices().length, null));
        return o;
    }
}
