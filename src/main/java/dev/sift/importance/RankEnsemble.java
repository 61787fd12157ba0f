package dev.sift.importance;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Rank average of several methods, each first turned to "higher = more likely noise" (methods whose high values
 * mean clean are negated), ranks scaled to [0, 1] with ties averaged.
 */
public final class RankEnsemble implements ImportanceMethod {
    /** Methods where a high value means helpful, clean or easy. */
    public static final List<String> HIGHER_IS_CLEAN = List.of("knn_shapley", "confidence", "data_oob", "tracin", "aum",
            "label_quality");

    private final List<String> members;

    public RankEnsemble(List<String> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one method");
        }
        this.members = List.copyOf(members);
    }

    @Override
    public String name() {
        return "ensemble";
    }

    @Override
    public String meaning() {
        return "higher = ranked more likely noisy on average by " + String.join(", ", members);
    }

    @Override
    public double[] score(ScoringInput in) {
        double[] sum = new double[in.size()];
        for (String m : members) {
            double[] s = ImportanceMethods.byName(m).score(in);
            double[] r = ranks(s, HIGHER_IS_CLEAN.contains(m));
            for (int i = 0; i < sum.length; i++) {
                sum[i] += r[i] / members.size();
            }
        }
        return sum;
    }

    /** Ranks in [0, 1] (ties get their mean rank); {@code negate} ranks the lowest value highest. */
    static double[] ranks(double[] s, boolean negate) {
        int n = s.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Comparator<Integer> c = Comparator.comparingDouble(i -> negate ? -s[i] : s[i]);
        Arrays.sort(order, c);
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && c.compare(order[j + 1], order[i]) == 0) {
                j++;
            }
            double rank = n == 1 ? 0.5 : ((i + j) / 2.0) / (n - 1);
            for (int t = i; t <= j; t++) {
                r[order[t]] = rank;
            }
            i = j + 1;
        }
        return r;
    }
}
