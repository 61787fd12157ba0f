package dev.sift.recommend;

import dev.sift.evaluation.Protocol;
import java.util.Arrays;
import java.util.Random;

/**
 * The paired per-user bootstrap of a difference in a ranking metric: {@code a[s][u]} and {@code b[s][u]} are two
 * models' values for user u after training seed s; users are resampled with replacement and the 2.5th and 97.5th
 * percentiles of the mean difference form the 95% interval. A user is the unit, as a query is for search. With
 * {@code overSeeds}, each resample also draws each side's training seeds with replacement (the same draw for both when
 * they have as many seeds: seed i of one was trained beside seed i of the other), so the interval holds the spread of
 * training runs too, as {@link Protocol#compare} does for search; one seed a side: nothing to draw.
 */
public final class UserBootstrap {
    private UserBootstrap() {
    }

    public static Protocol.Interval compare(double[][] a, double[][] b, int resamples, long seed,
            boolean overSeeds) {
        int n = a.length == 0 ? 0 : a[0].length;
        if (a.length == 0 || b.length == 0 || n == 0 || Arrays.stream(a).anyMatch(v -> v.length != n)
                || Arrays.stream(b).anyMatch(v -> v.length != n)) {
            throw new IllegalArgumentException("per-seed per-user values of one non-zero number of users, got "
                    + Arrays.stream(a).mapToInt(v -> v.length).boxed().toList() + " and "
                    + Arrays.stream(b).mapToInt(v -> v.length).boxed().toList());
        }
        double[] d = difference(a, null, b, null);
        double delta = 0;
        for (double v : d) {
            delta += v;
        }
        delta /= n;
        if (resamples == 0 || n < Protocol.MIN_UNITS) {
            return new Protocol.Interval(delta, Double.NaN, Double.NaN, 0, n);
        }
        Random r = new Random(seed);
        double[] means = new double[resamples];
        for (int s = 0; s < resamples; s++) {
            int[] ia = overSeeds ? Protocol.draw(a.length, r) : null;
            int[] ib = !overSeeds ? null : b.length == a.length ? ia : Protocol.draw(b.length, r);
            double[] ds = ia == null && ib == null ? d : difference(a, ia, b, ib);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += ds[r.nextInt(n)];
            }
            means[s] = sum / n;
        }
        Arrays.sort(means);
        double[] ends = Protocol.percentiles95(means);
        return new Protocol.Interval(delta, ends[0], ends[1], resamples, n);
    }

    /** Per user, the mean over the seeds {@code ia} (null: all, in order) of a minus that over {@code ib} of b. */
    private static double[] difference(double[][] a, int[] ia, double[][] b, int[] ib) {
        double[] ma = seedMean(a, ia);
        double[] mb = seedMean(b, ib);
        for (int u = 0; u < ma.length; u++) {
            ma[u] -= mb[u];
        }
        return ma;
    }

    private static double[] seedMean(double[][] v, int[] seeds) {
        int[] which = seeds != null ? seeds : java.util.stream.IntStream.range(0, v.length).toArray();
        double[] sum = new double[v[0].length];
        for (int s : which) {
            for (int u = 0; u < sum.length; u++) {
                sum[u] += v[s][u];
            }
        }
        for (int u = 0; u < sum.length; u++) {
            sum[u] /= which.length;
        }
        return sum;
    }
}
