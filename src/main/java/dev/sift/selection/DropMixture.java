package dev.sift.selection;

import com.google.auto.service.AutoService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Drops the samples that a two-component Gaussian mixture of the {@code filter.by} scores puts in the component at
 * the removed end, and keeps the rest: the data decides the size, {@code filter.keep} does not. This is how
 * DivideMix (Li et al. 2020) splits clean from noisy labels by their per-sample loss; here it reads any method's
 * scores, oriented by {@code filter.order}. A sample is dropped when the removed-end component's posterior is
 * above one half and its score lies beyond the kept component's mean (a wide component also wins the far tail of
 * the kept end, which is not noise). When every score at the removed end's orientation is positive (losses, EL2N,
 * gradient norms, removing the highest), the mixture is fitted to their logarithms: such scores are skewed to the
 * right for the clean samples, and two Gaussians on the raw values spend one component on that tail (on generated
 * data with 20% flipped labels the raw fit dropped twice as many samples as were flipped). Samples without a score
 * (NaN) are dropped; a pool whose scores are all equal is kept whole, and so (since stop 59) is a grade, or a
 * regression's whole pool, whose fitted removed-end component weighs more than one half: noise is taken to be the
 * minority (the rule tests the component's weight, not the share it would drop, which is smaller).
 */
@AutoService(SelectionPolicy.class)
public final class DropMixture implements SelectionPolicy {
    /**
     * EM steps allowed, at most: {@link #WORK} sample-steps over the scores, but at least 500 and at most 10,000. A small
     * outlying component can take EM several hundred steps to settle: a quickstart grade of 489 losses needed 578,
     * and with the flat cap of 500 before stop 59 the fit stopped on its way and dropped 28 samples where the settled
     * one drops 19 (found by an audit that fitted the same mixture to convergence).
     */
    static int maxIterations(int n) {
        return (int) Math.max(500, Math.min(10_000, WORK / Math.max(1, n)));
    }

    private static final double WORK = 5e7;
    private static final double TOLERANCE = 1e-9;
    /** Variance floor in units of the scores' variance (scikit-learn's reg_covar plays this part). */
    private static final double VARIANCE_FLOOR = 1e-4;

    @Override
    public boolean takesFraction() {
        return false;
    }

    @Override
    public String name() {
        return "drop_mixture";
    }

    @Override
    public String describe() {
        return "every sample a two-component Gaussian mixture of the scores does not put at the removed end";
    }

    /** A grade with fewer scored samples than this is kept whole: too few to fit two components to. */
    static final int MIN_GRADE_SIZE = 20;

    /**
     * Fits one mixture per grade (given label class), as confident learning keeps one threshold per class: a
     * loss's scale depends on how common the label's grade is, and one mixture over every grade would drop a rare
     * grade's correct labels wholesale.
     */
    @Override
    public int[] select(Pool pool, double keep, Order order, long seed) {
        boolean[] drop = new boolean[pool.size()];
        Map<Integer, List<Integer>> byGrade = new TreeMap<>();
        for (int i = 0; i < pool.size(); i++) {
            byGrade.computeIfAbsent(pool.grades()[i], g -> new ArrayList<>()).add(i);
        }
        for (List<Integer> positions : byGrade.values()) {
            double[] scores = positions.stream().mapToDouble(i -> pool.scores()[i]).toArray();
            boolean[] d = dropped(scores, order, positions.size() >= MIN_GRADE_SIZE);
            for (int k = 0; k < positions.size(); k++) {
                drop[positions.get(k)] = d[k];
            }
        }
        return IntStream.range(0, pool.size()).filter(i -> !drop[i]).toArray();
    }

    /** Which positions the mixture puts at the removed end of {@code scores} ({@code order} is the kept end). */
    static boolean[] dropped(double[] scores, Order order) {
        return dropped(scores, order, true);
    }

    /** {@link #dropped}; without {@code fit} only the NaN scores. */
    private static boolean[] dropped(double[] scores, Order order, boolean fit) {
        int n = scores.length;
        boolean[] drop = new boolean[n];
        for (int i = 0; i < n; i++) {
            drop[i] = Double.isNaN(scores[i]);
        }
        if (!fit) {
            return drop;
        }
        double[] v = oriented(scores, order);
        Fit f = fit(IntStream.range(0, n).filter(i -> !drop[i]).mapToDouble(i -> v[i]).toArray());
        // label noise is taken to be the minority of a grade (above one half it cannot be told from the labels): a
        // fit whose removed-end component weighs more than one half has split something else; the grade is kept whole
        // Stop 59, pre-registered on structured noise's unseen seeds 22-33: kept - full won back 10.8% of the noise's
        // kappa cost with this rule and lost 73.2% more without it (it had emptied a grade almost wholly)
        if (f == null || !f.minority()) {
            return drop;
        }
        for (int i = 0; i < n; i++) {
            drop[i] = drop[i] || f.removes(v[i]);
        }
        return drop;
    }

    /**
     * The scores oriented so that higher is the removed end ({@code order} is the kept end), on their logarithm when
     * every scored one is then positive; NaN stays NaN.
     */
    static double[] oriented(double[] scores, Order order) {
        int n = scores.length;
        double[] v = new double[n];
        Arrays.setAll(v, i -> order == Order.LOWEST ? scores[i] : -scores[i]);
        boolean log = IntStream.range(0, n).filter(i -> !Double.isNaN(v[i])).allMatch(i -> v[i] > 0)
                && IntStream.range(0, n).anyMatch(i -> !Double.isNaN(v[i]));
        if (log) {
            Arrays.setAll(v, i -> Math.log(v[i]));
        }
        return v;
    }

    /** Two Gaussians: weight, mean and variance of the kept-end (lower mean) and removed-end components. */
    record Fit(double wKept, double meanKept, double varKept, double wRemoved, double meanRemoved, double varRemoved) {
        /** Rule R: the removed-end component weighs at most one half (noise is taken to be the minority). */
        boolean minority() {
            return wRemoved <= 0.5;
        }

        /**
         * Whether {@code v} goes: the removed-end posterior is above one half and {@code v} lies beyond the kept
         * component's mean (a wide component also wins the far tail of the kept end, which is not noise).
         */
        boolean removes(double v) {
            return v > meanKept && posteriorRemoved(v) > 0.5;
        }

        /**
         * How much better this fit explains {@code x} than one Gaussian, by the Bayesian information criterion:
         * 2 (log-likelihood of the mixture - that of one Gaussian at the mean and variance of {@code x}) - 3 ln n,
         * the mixture's three further parameters' price. Above 0, the data favour two components.
         */
        double bicGain(double[] x) {
            int n = x.length;
            double two = Arrays.stream(x).map(this::logTotal).sum();
            double one = -0.5 * n * (Math.log(2 * Math.PI * variance(x)) + 1);
            return 2 * (two - one) - 3 * Math.log(n);
        }

        double posteriorRemoved(double v) {
            return Math.exp(logRemoved(v) - logTotal(v));
        }

        /** log of the mixture's density at {@code v}. */
        double logTotal(double v) {
            double a = Math.log(wKept) + logNormal(v, meanKept, varKept);
            double b = logRemoved(v);
            double hi = Math.max(a, b);
            return hi + Math.log(Math.exp(a - hi) + Math.exp(b - hi));
        }

        private double logRemoved(double v) {
            return Math.log(wRemoved) + logNormal(v, meanRemoved, varRemoved);
        }
    }

    /**
     * Expectation-maximisation from the split at the median (lower half, upper half); null when there are fewer than
     * two distinct values.
     */
    static Fit fit(double[] x) {
        return fit(x, maxIterations(x.length));
    }

    /** {@link #fit(double[])} with at most {@code maxIterations} EM steps. */
    static Fit fit(double[] x, int maxIterations) {
        int n = x.length;
        if (n < 2) {
            return null;
        }
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        if (sorted[0] == sorted[n - 1]) {
            return null;
        }
        double floor = VARIANCE_FLOOR * variance(x);
        double median = sorted[n / 2];
        double[] r = new double[n]; // responsibility of the removed-end component
        for (int i = 0; i < n; i++) {
            r[i] = x[i] > median || (x[i] == median && i % 2 == 0) ? 1 : 0;
        }
        Fit f = maximise(x, r, floor);
        double before = Double.NEGATIVE_INFINITY;
        for (int it = 0; it < maxIterations && f != null; it++) {
            double ll = 0;
            for (int i = 0; i < n; i++) {
                double z = f.logTotal(x[i]);
                r[i] = Math.exp(f.logRemoved(x[i]) - z);
                ll += z;
            }
            if (ll - before < TOLERANCE * n) {
                break;
            }
            before = ll;
            f = maximise(x, r, floor);
        }
        if (f == null) {
            return null;
        }
        return f.meanKept() <= f.meanRemoved() ? f
                : new Fit(f.wRemoved(), f.meanRemoved(), f.varRemoved(), f.wKept(), f.meanKept(), f.varKept());
    }

    /** The population variance of {@code x} (divided by n: one Gaussian's maximum-likelihood fit). */
    private static double variance(double[] x) {
        double mean = Arrays.stream(x).average().orElse(0);
        return Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / x.length;
    }

    /** Weighted means and variances for responsibilities {@code r}; null when a component is empty. */
    private static Fit maximise(double[] x, double[] r, double floor) {
        double s0 = 0;
        double s1 = 0;
        double sx0 = 0;
        double sx1 = 0;
        for (int i = 0; i < x.length; i++) {
            s1 += r[i];
            s0 += 1 - r[i];
            sx1 += r[i] * x[i];
            sx0 += (1 - r[i]) * x[i];
        }
        if (s0 < 1e-9 || s1 < 1e-9) {
            return null;
        }
        double m0 = sx0 / s0;
        double m1 = sx1 / s1;
        double v0 = 0;
        double v1 = 0;
        for (int i = 0; i < x.length; i++) {
            v0 += (1 - r[i]) * (x[i] - m0) * (x[i] - m0);
            v1 += r[i] * (x[i] - m1) * (x[i] - m1);
        }
        return new Fit(s0 / x.length, m0, v0 / s0 + floor, s1 / x.length, m1, v1 / s1 + floor);
    }

    private static double logNormal(double v, double mean, double var) {
        double d = v - mean;
        return -0.5 * (Math.log(2 * Math.PI * var) + d * d / var);
    }
}
