package dev.sift.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Evaluation metrics as pure functions over arrays. */
public final class Metrics {
    private Metrics() {
    }

    /**
     * Mean NDCG@k over groups (queries). Within a group, items are ranked by {@code score} descending; items with
     * equal scores count at their expected DCG over every order of the tie (McSherry and Najork, ECIR 2008), so a
     * tie is neither won nor lost by the file's order, and a constant score (the majority baseline) gets the exact
     * expectation of a random order, the same for every seed. The gain of an item with relevance r is 2^r - 1 and the discount of rank i (1-based) is
     * log2(i + 1) (Burges et al.; LightGBM's convention, with grades shifted to start at 0). Groups with fewer
     * than two distinct grades are skipped: every ranking of them is equally good, and counting them as 1.0
     * would flatter any model. NaN when no group counts; {@link #ndcgGroups} says how many did.
     */
    public static double ndcgAtK(double[] score, double[] relevance, String[] group, int k) {
        double sum = 0;
        int counted = 0;
        for (List<Integer> items : byGroup(group)) {
            List<Integer> ranked = new ArrayList<>(items);
            ranked.sort(Comparator.comparingDouble((Integer i) -> -score[i]).thenComparingInt(i -> i));
            double[] ideal = items.stream().mapToDouble(i -> relevance[i]).toArray();
            Arrays.sort(ideal);
            reverse(ideal);
            double dcg = dcgOverTies(ranked.stream().mapToDouble(i -> score[i]).toArray(),
                    ranked.stream().mapToDouble(i -> relevance[i]).toArray(), k, ideal[0]);
            double idcg = dcg(ideal, k, ideal[0]);
            if (ideal[0] != ideal[ideal.length - 1] && idcg > 0) {
                sum += dcg / idcg;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /** The indices of each group, groups in order of first appearance. */
    private static java.util.Collection<List<Integer>> byGroup(String[] group) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < group.length; i++) {
            groups.computeIfAbsent(group[i], g -> new ArrayList<>()).add(i);
        }
        return groups.values();
    }

    /** How many groups {@link #ndcgAtK} scores: those with at least two distinct grades. */
    public static int ndcgGroups(double[] relevance, String[] group) {
        Map<String, double[]> range = new LinkedHashMap<>();
        for (int i = 0; i < group.length; i++) {
            double r = relevance[i];
            range.merge(group[i], new double[] {r, r}, (a, b) -> new double[] {Math.min(a[0], b[0]),
                Math.max(a[1], b[1])});
        }
        return (int) range.values().stream().filter(mm -> mm[0] != mm[1]).count();
    }

    /**
     * DCG with gains 2^g - 1, each divided by 2^top (the query's highest grade), which leaves DCG / ideal DCG as it
     * was and keeps both finite: regression labels in label units (prices up to 3,000, say) made 2^g infinite and
     * every NDCG NaN.
     */
    static double dcg(double[] relInRankOrder, int k, double top) {
        double d = 0;
        double offset = Math.pow(2, -top);
        for (int i = 0; i < Math.min(k, relInRankOrder.length); i++) {
            d += (Math.pow(2, relInRankOrder[i] - top) - offset) / (Math.log(i + 2) / Math.log(2));
        }
        return d;
    }

    /**
     * {@link #dcg} of a ranking whose equal scores are ties: each run of equal scores, at ranks [a, b), puts its mean
     * gain at every rank from a to b, which is the DCG expected over the run's orders.
     */
    static double dcgOverTies(double[] scoreInRankOrder, double[] relInRankOrder, int k, double top) {
        double d = 0;
        double offset = Math.pow(2, -top);
        int n = relInRankOrder.length;
        for (int a = 0; a < Math.min(k, n);) {
            int b = a + 1;
            while (b < n && (scoreInRankOrder[b] == scoreInRankOrder[a] // 0.0 and -0.0 tie
                    || Double.isNaN(scoreInRankOrder[b]) && Double.isNaN(scoreInRankOrder[a]))) {
                b++;
            }
            double gain = 0;
            for (int i = a; i < b; i++) {
                gain += Math.pow(2, relInRankOrder[i] - top) - offset;
            }
            gain /= b - a;
            for (int i = a; i < Math.min(b, k); i++) {
                d += gain / (Math.log(i + 2) / Math.log(2));
            }
            a = b;
        }
        return d;
    }

    private static void reverse(double[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Fraction of positions where predicted equals true. */
    public static double accuracy(int[] predicted, int[] truth) {
        if (predicted.length == 0) {
            return Double.NaN;
        }
        int ok = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == truth[i]) {
                ok++;
            }
        }
        return (double) ok / predicted.length;
    }

    /**
     * Cohen's kappa with quadratic weights for ordinal classes 0..classes-1: 1 - sum(W*O) / sum(W*E) with
     * W_ij = (i-j)^2 / (classes-1)^2, O the confusion counts and E the outer product of the marginals / n.
     * NaN when the expected disagreement is 0 (all labels and predictions in one class).
     */
    public static double quadraticWeightedKappa(int[] predicted, int[] truth, int classes) {
        int n = predicted.length;
        if (n == 0 || classes < 2) {
            return Double.NaN;
        }
        double[][] o = new double[classes][classes];
        double[] histTrue = new double[classes];
        double[] histPred = new double[classes];
        for (int i = 0; i < n; i++) {
            o[truth[i]][predicted[i]]++;
            histTrue[truth[i]]++;
            histPred[predicted[i]]++;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                double w = (double) (i - j) * (i - j) / ((classes - 1.0) * (classes - 1.0));
                num += w * o[i][j];
                den += w * histTrue[i] * histPred[j] / n;
            }
        }
        int truthClasses = 0;
        for (double h : histTrue) {
            truthClasses += h > 0 ? 1 : 0;
        }
        // with one true grade the expected disagreement equals the observed one whatever is predicted: 1 - O/E is 0
        // for every model, so it says nothing; undefined, as with nothing predicted apart
        return den == 0 || truthClasses < 2 ? Double.NaN : 1.0 - num / den;
    }

    /** Root mean squared error. */
    public static double rmse(double[] predicted, double[] truth) {
        if (predicted.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < predicted.length; i++) {
            double d = predicted[i] - truth[i];
            s += d * d;
        }
        return Math.sqrt(s / predicted.length);
    }

    /**
     * Mean reciprocal rank: per group (query), 1 / the rank of its first positive item when ranked by {@code score}
     * descending, averaged over the groups that hold both a positive and a negative item (as {@link #ndcgAtK} skips a
     * group of one grade: every order of it scores 1, or none is defined). Equal scores are ties, counted at their
     * expectation over the tie's orders: a run of s tied items holding p positives after {@code above} higher ones
     * puts the first positive at above + r with probability C(s - r, p - 1) / C(s, p). So a constant score (the
     * majority baseline) gets a random order's exact expectation. NaN when no group counts.
     */
    public static double mrr(double[] score, boolean[] positive, String[] group) {
        double sum = 0;
        int counted = 0;
        for (List<Integer> items : byGroup(group)) {
            long positives = items.stream().filter(i -> positive[i]).count();
            if (positives == 0 || positives == items.size()) {
                continue;
            }
            List<Integer> ranked = new ArrayList<>(items);
            ranked.sort(Comparator.comparingDouble((Integer i) -> -score[i]));
            for (int a = 0; a < ranked.size();) {
                int b = a + 1;
                while (b < ranked.size() && tied(score[ranked.get(b)], score[ranked.get(a)])) {
                    b++;
                }
                int p = (int) ranked.subList(a, b).stream().filter(i -> positive[i]).count();
                if (p > 0) {
                    int s = b - a;
                    double chance = (double) p / s; // P(the first positive is the tie's r-th), from r = 1
                    double expected = 0;
                    for (int r = 1; r <= s - p + 1; r++) {
                        expected += chance / (a + r);
                        chance *= (double) (s - r - p + 1) / (s - r);
                    }
                    sum += expected;
                    counted++;
                    break;
                }
                a = b;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /**
     * Area under the ROC curve of {@code score} separating positives from negatives (Mann-Whitney U with ties
     * counted half). NaN without both classes, and NaN when a score is NaN (a ranking with undefined places has no
     * area; callers that mean "no value" put such samples at an end themselves, as {@link NoiseDetection} does).
     */
    public static double auroc(double[] score, boolean[] positive) {
        int n = score.length;
        for (double v : score) {
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> score[i]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (positive[order[k]]) {
                    rankSumPos += avgRank;
                    pos++;
                }
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * Precision among the {@code m} highest scores; with m = #positives it equals F1 there. A block of tied scores that
     * straddles position m counts at its expectation over the block's orders (its positives times the share of the
     * block that falls within the first m), as NDCG and AUROC count ties: by position, a detector that ties within a
     * label (the label-only baseline, counts such as forgetting events) scored by the file's row order.
     */
    public static double precisionAtK(double[] score, boolean[] positive, int m) {
        if (m == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score[i]));
        int k = Math.min(m, order.length);
        double hit = 0;
        for (int i = 0; i < k;) {
            int j = i;
            int blockHits = 0;
            while (j < order.length && tied(score[order[j]], score[order[i]])) {
                blockHits += positive[order[j]] ? 1 : 0;
                j++;
            }
            hit += j <= k ? blockHits : blockHits * (double) (k - i) / (j - i);
            i = j;
        }
        return hit / m;
    }

    /** Two scores that tie: equal (0.0 and -0.0 too), or both NaN. */
    private static boolean tied(double a, double b) {
        return a == b || Double.isNaN(a) && Double.isNaN(b);
    }

    /**
     * Mean negative log-likelihood (natural log) of the labels under {@code p}, the probability of the positive
     * class; the probability of the true label is clipped below at 1e-15 (scikit-learn's old eps), so one certain
     * mistake costs -ln(1e-15) = 34.5 and not infinity. NaN when empty.
     */
    public static double logLoss(double[] p, boolean[] positive) {
        if (p.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum -= Math.log(Math.max(LOG_LOSS_EPS, positive[i] ? p[i] : 1 - p[i]));
        }
        return sum / p.length;
    }

    private static final double LOG_LOSS_EPS = 1e-15;

    /**
     * True positives, false positives and false negatives of a binary prediction. Precision is 0 when nothing is
     * predicted positive, recall 0 when nothing is positive, F1 0 when both are 0 (scikit-learn's zero_division=0).
     */
    public record Confusion(int tp, int fp, int fn) {
        public static Confusion of(int[] predicted, int[] truth) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < predicted.length; i++) {
                boolean p = predicted[i] == 1;
                boolean t = truth[i] == 1;
                tp += p && t ? 1 : 0;
                fp += p && !t ? 1 : 0;
                fn += !p && t ? 1 : 0;
            }
            return new Confusion(tp, fp, fn);
        }

        public double precision() {
            return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        }

        /** NaN when no label is positive: there is nothing to recall. */
        public double recall() {
            return tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
        }

        /** 2 tp / (2 tp + fp + fn): the harmonic mean of precision and recall; NaN when no label is positive. */
        public double f1() {
            return tp + fn == 0 ? Double.NaN : tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }
    }

    /**
     * The threshold t that maximises F1 of "positive when score >= t" over the given labels, t one of the scores
     * (every distinct cut of a sorted list is one of them); on a tie the highest such t, which predicts fewer
     * positives. Positive infinity (predict nothing positive) when there are no scores or no positives.
     */
    public static double bestF1Threshold(double[] score, boolean[] positive) {
        int n = score.length;
        int positives = 0;
        for (boolean p : positive) {
            positives += p ? 1 : 0;
        }
        if (n == 0 || positives == 0) {
            return Double.POSITIVE_INFINITY;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score[i]));
        double best = Double.POSITIVE_INFINITY;
        double bestF1 = 0;
        int tp = 0;
        int fp = 0;
        for (int i = 0; i < n; i++) {
            tp += positive[order[i]] ? 1 : 0;
            fp += positive[order[i]] ? 0 : 1;
            // a cut falls only where the next score differs: equal scores are predicted alike
            if (i + 1 < n && score[order[i + 1]] == score[order[i]]) {
                continue;
            }
            double f1 = 2.0 * tp / (2.0 * tp + fp + (positives - tp));
            if (f1 > bestF1) {
                bestF1 = f1;
                best = score[order[i]];
            }
        }
        return best;
    }
}
