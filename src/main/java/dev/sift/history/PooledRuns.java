package dev.sift.history;

import dev.sift.evaluation.Protocol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;

/**
 * Differences pooled over runs: one run per draw of whatever the runs vary (a noise seed, a split seed, a data set),
 * each run a mean over its own training seeds. A single run's interval resamples its test queries; how far a result
 * carries to the next draw is the spread over runs, so here the runs are the resampled unit: the mean over runs of a
 * per-run difference, and the share of the noise's cost the kept subset wins back, each with a 95% percentile
 * bootstrap interval over the runs (fewer than {@link Protocol#MIN_UNITS} runs: none).
 */
public final class PooledRuns {
    /** Resamples of the runs; fixed, with a fixed seed, so the same runs always give the same interval. */
    static final int RESAMPLES = 10_000;
    private static final long SEED = 20261206L;

    private PooledRuns() {
    }

    /** One run's values of one metric by subset (a subset the run does not have: NaN). */
    public record RunValues(java.util.Map<String, Double> bySubset) {
        /** A run with the four subsets the noise's share reads (NaN: not there). */
        public RunValues(double full, double selected, double random, double fullClean) {
            this(java.util.Map.of("full", full, "selected", selected, "random", random, "full-clean", fullClean));
        }

        public double get(String subset) {
            Double v = bySubset.get(subset);
            return v == null ? Double.NaN : v;
        }

        public double selected() {
            return get("selected");
        }

        public double full() {
            return get("full");
        }

        public double fullClean() {
            return get("full-clean");
        }
    }

    /**
     * A pooled quantity: its value on all runs, its interval ends (NaN: too few runs) and how many runs it is drawn
     * from; for a difference also how many runs had it above, at and below 0 ({@code -1} for the recovered share).
     */
    public record Pooled(double value, double lo, double hi, int runs, int above, int level, int below) {
    }

    /** Mean over the runs of {@code a - b} (runs without either subset are left out). */
    public static Pooled difference(List<RunValues> runs, String a, String b) {
        return meanDifference(runs, v -> v.get(a) - v.get(b));
    }

    /** Mean over the runs of {@code selected - random}. */
    public static Pooled keptMinusRandom(List<RunValues> runs) {
        return difference(runs, "selected", "random");
    }

    /** Mean over the runs of {@code selected - full}. */
    public static Pooled keptMinusFull(List<RunValues> runs) {
        return difference(runs, "selected", "full");
    }

    /** Mean over the runs of {@code full - full-clean}: what the injected noise cost the full model. */
    public static Pooled noiseCost(List<RunValues> runs) {
        return difference(runs, "full", "full-clean");
    }

    /**
     * The share of the noise's cost won back, of the means over runs: (mean selected - mean full) / (mean full-clean
     * - mean full). Of the means, not a mean of per-run shares: a run whose noise cost almost nothing would give a
     * share of any size. Resamples whose cost is 0 are left out of the interval; no cost at all gives NaN.
     */
    public static Pooled recovered(List<RunValues> runs) {
        List<RunValues> with = runs.stream().filter(v -> Double.isFinite(v.selected()) && Double.isFinite(v.full())
                && Double.isFinite(v.fullClean())).toList();
        double value = share(with, all(with.size()));
        double[] ends = interval(with.size(), idx -> share(with, idx));
        return new Pooled(value, ends[0], ends[1], with.size(), -1, -1, -1);
    }

    private static double share(List<RunValues> runs, int[] idx) {
        double s = 0;
        double f = 0;
        double c = 0;
        for (int i : idx) {
            s += runs.get(i).selected();
            f += runs.get(i).full();
            c += runs.get(i).fullClean();
        }
        return c == f ? Double.NaN : (s - f) / (c - f);
    }

    private static Pooled meanDifference(List<RunValues> runs, ToDoubleFunction<RunValues> d) {
        double[] x = runs.stream().mapToDouble(d).filter(Double::isFinite).toArray();
        double[] ends = interval(x.length, idx -> Arrays.stream(idx).mapToDouble(i -> x[i]).average().orElse(
                Double.NaN));
        return new Pooled(Arrays.stream(x).average().orElse(Double.NaN), ends[0], ends[1], x.length,
                (int) Arrays.stream(x).filter(v -> v > 0).count(), (int) Arrays.stream(x).filter(v -> v == 0).count(),
                (int) Arrays.stream(x).filter(v -> v < 0).count());
    }

    /** Percentile 95% interval of {@code stat} over resamples of {@code n} runs; NaN ends with too few runs. */
    private static double[] interval(int n, java.util.function.Function<int[], Double> stat) {
        if (n < Protocol.MIN_UNITS) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Random r = new Random(SEED);
        List<Double> out = new ArrayList<>(RESAMPLES);
        for (int b = 0; b < RESAMPLES; b++) {
            int[] idx = new int[n];
            Arrays.setAll(idx, i -> r.nextInt(n));
            double v = stat.apply(idx);
            if (Double.isFinite(v)) {
                out.add(v);
            }
        }
        if (out.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] d = out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        // the same percentile positions as the per-query intervals (Protocol.compare)
        return new double[] {d[(int) Math.floor(0.025 * (d.length - 1))], d[(int) Math.ceil(0.975 * (d.length - 1))]};
    }

    private static int[] all(int n) {
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        return idx;
    }
}
