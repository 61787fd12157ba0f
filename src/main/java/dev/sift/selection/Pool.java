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

    /**
     * Positions sorted from the kept end: by score in {@code order}, NaN last, ties in a random order drawn from
     * {@code seed}. By position, a tie at the cut (integer scores such as forgetting counts) was filled from the top of
     * the file, which for a file grouped by query favoured its first queries in a way the random control is not.
     */
    public Integer[] ranked(Order order, long seed) {
        Integer[] idx = new Integer[size()];
        int[] tieRank = new int[size()];
        int[] shuffled = Selection.permutation(size(), seed ^ TIE_SALT);
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
            tieRank[shuffled[i]] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> {
            double sa = Double.isNaN(scores[a]) ? Double.NEGATIVE_INFINITY : scores[a];
            double sb = Double.isNaN(scores[b]) ? Double.NEGATIVE_INFINITY : scores[b];
            if (order == Order.LOWEST) {
                sa = Double.isNaN(scores[a]) ? Double.POSITIVE_INFINITY : scores[a];
                sb = Double.isNaN(scores[b]) ? Double.POSITIVE_INFINITY : scores[b];
            }
            int c = order == Order.HIGHEST ? Double.compare(sb, sa) : Double.compare(sa, sb);
            return c != 0 ? c : Integer.compare(tieRank[a], tieRank[b]);
        });
        return idx;
    }

    /** Mixed into the seed of the tie order, so that it is not the random control's draw from the same seed. */
    private static final long TIE_SALT = 0x9E3779B97F4A7C15L;
}
