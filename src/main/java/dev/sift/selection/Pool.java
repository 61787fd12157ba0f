package dev.sift.selection;

import static java.util.Objects.requireNonNull;

/**
 * What a selection policy sees of the pool, position by position: the method's scores, each sample's query and
 * grade (class index), whether confident learning flagged its label and the grade it suggests instead (-1 when
 * not flagged); flags and suggestions are null when they were not computed.
 */
public record Pool(double[] scores, String[] groups, int[] grades, boolean[] flagged, int[] suggested) {
    /** A pool without suggested grades. */
    public Pool(double[] scores, String[] groups, int[] grades, boolean[] flagged) {
        this(scores, groups, grades, flagged, null);
    }

    public Pool {
        requireNonNull(scores, "scores is null");
        requireNonNull(groups, "groups is null");
        requireNonNull(grades, "grades is null");
        if (groups.length != scores.length || grades.length != scores.length
                || (flagged != null && flagged.length != scores.length)
                || (suggested != null && suggested.length != scores.length)) {
            throw new IllegalArgumentException("pool arrays differ in length");
        }
    }

    public int size() {
        return scores.length;
    }

    /** Positions sorted from the kept end: by score in {@code order}, NaN last, ties by position. */
    public Integer[] ranked(Order order) {
        Integer[] idx = new Integer[size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> {
            double sa = Double.isNaN(scores[a]) ? Double.NEGATIVE_INFINITY : scores[a];
            double sb = Double.isNaN(scores[b]) ? Double.NEGATIVE_INFINITY : scores[b];
            if (order == Order.LOWEST) {
                sa = Double.isNaN(scores[a]) ? Double.POSITIVE_INFINITY : scores[a];
                sb = Double.isNaN(scores[b]) ? Double.POSITIVE_INFINITY : scores[b];
            }
            int c = order == Order.HIGHEST ? Double.compare(sb, sa) : Double.compare(sa, sb);
            return c != 0 ? c : Integer.compare(a, b);
        });
        return idx;
    }
}
