package dev.sift.importance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far two methods' scores of one pool agree: Spearman's rank correlation, and the share of one method's removal
 * set that the other removes too. Both read scores turned so that higher = remove ({@link Orientation#toRemove}),
 * so a positive correlation means the two would drop the same samples first.
 */
public final class Agreement {
    private Agreement() {
    }

    /**
     * Spearman's rank correlation: Pearson's correlation of the mid-ranks (tied scores get their mean rank), as
     * scipy's {@code spearmanr}; NaN when either side is constant or there are fewer than two samples.
     */
    public static double spearman(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("scores of " + a.length + " and " + b.length + " samples");
        }
        if (a.length < 2) {
            return Double.NaN;
        }
        return pearson(RankEnsemble.ranks(a, false), RankEnsemble.ranks(b, false));
    }

    /** Pearson's correlation; NaN when either side is constant. */
    private static double pearson(double[] ra, double[] rb) {
        double ma = Arrays.stream(ra).average().orElse(0);
        double mb = Arrays.stream(rb).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < ra.length; i++) {
            sab += (ra[i] - ma) * (rb[i] - mb);
            saa += (ra[i] - ma) * (ra[i] - ma);
            sbb += (rb[i] - mb) * (rb[i] - mb);
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    /**
     * The pairs of methods whose scores (each turned so that higher = remove) have a Spearman correlation of at least
     * {@code threshold}, as "a and b (0.998)", in the order given: methods that rank a pool alike tell the user
     * nothing the other does not, however many curve points and candidates they fill. Each method is ranked once.
     */
    public static List<String> alike(Map<String, double[]> removeScores, double threshold) {
        Map<String, double[]> ranks = new LinkedHashMap<>();
        removeScores.forEach((m, s) -> ranks.put(m, RankEnsemble.ranks(s, false)));
        List<String> names = new ArrayList<>(ranks.keySet());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                double rho = ranks.get(names.get(i)).length < 2 ? Double.NaN
                        : pearson(ranks.get(names.get(i)), ranks.get(names.get(j)));
                if (rho >= threshold) {
                    out.add(String.format("%s and %s (%.3f)", names.get(i), names.get(j), rho));
                }
            }
        }
        return out;
    }

    /**
     * Each sample's chance of being among the {@code m} highest scores: 1 above the cut, 0 below it, and for a block
     * of tied scores across the cut the share of the block that falls within the first m (its samples in a random
     * order). NaN counts as the highest.
     */
    static double[] inTop(double[] scores, int m) {
        // NaN first, as the filter drops a sample without a score first (Pool) and spearman ranks it highest
        double[] s = Arrays.stream(scores).map(v -> Double.isNaN(v) ? Double.POSITIVE_INFINITY : v).toArray();
        Integer[] order = new Integer[s.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -s[i]));
        double[] p = new double[s.length];
        int k = Math.min(m, s.length);
        for (int i = 0; i < k;) {
            int j = i;
            while (j < order.length && Double.compare(s[order[j]], s[order[i]]) == 0) {
                j++;
            }
            double share = j <= k ? 1 : (double) (k - i) / (j - i);
            for (int t = i; t < j; t++) {
                p[order[t]] = share;
            }
            i = j;
        }
        return p;
    }

    /**
     * The share of the {@code m} highest of {@code a} that are among the {@code m} highest of {@code b} too, ties at
     * either cut counted at their expectation (each method's ties in an independent random order). Two methods that
     * know nothing of each other overlap by m / n; the same ranking by 1. NaN for m = 0.
     */
    public static double overlap(double[] a, double[] b, int m) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("scores of " + a.length + " and " + b.length + " samples");
        }
        if (m <= 0) {
            return Double.NaN;
        }
        double[] pa = inTop(a, m);
        double[] pb = inTop(b, m);
        double both = 0;
        for (int i = 0; i < pa.length; i++) {
            both += pa[i] * pb[i];
        }
        return both / Math.min(m, a.length);
    }
}
