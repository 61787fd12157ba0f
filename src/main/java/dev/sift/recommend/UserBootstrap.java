package dev.sift.recommend;

import dev.sift.evaluation.Protocol;
import java.util.Arrays;
import java.util.Random;

/**
 * The paired per-user bootstrap of a difference in a ranking metric: {@code a[u]} and {@code b[u]} are two models'
 * values for user u (each the mean over training seeds); users are resampled with replacement and the 2.5th and
 * 97.5th percentiles of the mean difference form the 95% interval. A user is the unit, as a query is for search.
 */
public final class UserBootstrap {
    private UserBootstrap() {
    }

    public static Protocol.Interval compare(double[] a, double[] b, int resamples, long seed) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("paired per-user values of equal, non-zero length, got " + a.length
                    + " and " + b.length);
        }
        int n = a.length;
        double[] d = new double[n];
        double delta = 0;
        for (int u = 0; u < n; u++) {
            d[u] = a[u] - b[u];
            delta += d[u];
        }
        delta /= n;
        if (resamples == 0 || n < Protocol.MIN_UNITS) {
            return new Protocol.Interval(delta, Double.NaN, Double.NaN, 0, n);
        }
        Random r = new Random(seed);
        double[] means = new double[resamples];
        for (int s = 0; s < resamples; s++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += d[r.nextInt(n)];
            }
            means[s] = sum / n;
        }
        Arrays.sort(means);
        double lo = means[(int) Math.floor(0.025 * (resamples - 1))];
        double hi = means[(int) Math.ceil(0.975 * (resamples - 1))];
        return new Protocol.Interval(delta, lo, hi, resamples, n);
    }
}
