package dev.sift.history;

import dev.sift.evaluation.Protocol;
import dev.sift.store.NoiseRecovery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
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

    /** One run's values of one metric by subset (a subset the run does not have: absent or NaN). */
    public record RunValues(Map<String, Double> bySubset) {
        public double get(String subset) {
            Double v = bySubset.get(subset);
            return v == null ? Double.NaN : v;
        }
    }

    /**
     * A pooled quantity: its value on all runs (NaN with {@code note} saying why there is none), its interval ends
     * (NaN: too few runs, or no value) and how many runs it is drawn from; for a difference also how many runs had it
     * above, at and below 0 ({@code -1} for the recovered share).
     */
    public record Pooled(double value, double lo, double hi, int runs, int above, int level, int below, String note) {
    }

    /** Mean over the runs of {@code a - b} (runs without either subset are left out). */
    public static Pooled difference(List<RunValues> runs, String a, String b) {
        ToDoubleFunction<RunValues> d = v -> v.get(a) - v.get(b);
        double[] x = runs.stream().mapToDouble(d).filter(Double::isFinite).toArray();
        double[] ends = interval(x.length, idx -> Arrays.stream(idx).mapToDouble(i -> x[i]).average().orElse(
                Double.NaN));
        return new Pooled(Arrays.stream(x).average().orElse(Double.NaN), ends[0], ends[1], x.length,
                (int) Arrays.stream(x).filter(v -> v > 0).count(), (int) Arrays.stream(x).filter(v -> v == 0).count(),
                (int) Arrays.stream(x).filter(v -> v < 0).count(), null);
    }

    /** Mean over the runs of {@code full - full-clean}: what the injected noise cost the full model. */
    public static Pooled noiseCost(List<RunValues> runs) {
        return difference(runs, "full", NoiseRecovery.CLEAN);
    }

    /**
     * The share of the noise's cost won back, of the means over runs: (mean selected - mean full) / (mean full-clean
     * - mean full). Of the means, not a mean of per-run shares: a run whose noise cost almost nothing would give a
     * share of any size. As for one run ({@link NoiseRecovery}), there is a share only where the pooled cost is
     * measurable and harmful: its interval over the runs excludes 0 on the worse side ({@code lowerIsBetter} says
     * which that is); resamples whose cost is 0 are left out of the share's interval.
     */
    public static Pooled recovered(List<RunValues> runs, boolean lowerIsBetter) {
        List<RunValues> with = runs.stream().filter(v -> Double.isFinite(v.get("selected"))
                && Double.isFinite(v.get("full")) && Double.isFinite(v.get(NoiseRecovery.CLEAN))).toList();
        Pooled cost = noiseCost(with);
        String none = with.size() < Protocol.MIN_UNITS ? "fewer than " + Protocol.MIN_UNITS + " runs: no interval of "
                + "the cost" : (lowerIsBetter ? cost.lo() > 0 : cost.hi() < 0) ? null
                : Protocol.excludesZero(cost.lo(), cost.hi()) ? "the noise made the full model better"
                : "no measurable cost over the runs";
        if (none != null) {
            return new Pooled(Double.NaN, Double.NaN, Double.NaN, with.size(), -1, -1, -1, none);
        }
        double[] ends = interval(with.size(), idx -> share(with, idx));
        return new Pooled(share(with, all(with.size())), ends[0], ends[1], with.size(), -1, -1, -1, null);
    }

    private static double share(List<RunValues> runs, int[] idx) {
        double s = 0;
        double f = 0;
        double c = 0;
        for (int i : idx) {
            s += runs.get(i).get("selected");
            f += runs.get(i).get("full");
            c += runs.get(i).get(NoiseRecovery.CLEAN);
        }
        return c == f ? Double.NaN : (s - f) / (c - f);
    }

    /** Percentile 95% interval of {@code stat} over resamples of {@code n} runs; NaN ends with too few runs. */
    private static double[] interval(int n, Function<int[], Double> stat) {
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
        return Protocol.percentiles95(out.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    private static int[] all(int n) {
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        return idx;
    }
}
