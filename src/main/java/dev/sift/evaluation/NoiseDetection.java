package dev.sift.evaluation;

import java.util.Arrays;
import java.util.Comparator;

/**
 * How well a ranking finds the known-noisy samples: the ranking's "remove" end first (higher = more likely
 * noise; an importance method whose higher end is "keep" is negated before it gets here).
 *
 * @param auroc area under the ROC curve (ties counted half): 1 = every noisy sample ranked above every clean one
 * @param auprc average precision over the distinct score thresholds (ties form one threshold, as scikit-learn's
 *     {@code average_precision_score})
 * @param f1 precision among the top N, N = the number of noisy samples; there precision, recall and F1 are equal
 * @param noisy N
 */
public record NoiseDetection(double auroc, double auprc, double f1, int noisy) {
    /**
     * NaN metrics unless both noisy and clean samples are present. NaN scores count as the lowest (the clean end).
     */
    public static NoiseDetection of(double[] noiseScore, boolean[] noisy) {
        if (noiseScore.length != noisy.length) {
            throw new IllegalArgumentException(noiseScore.length + " scores for " + noisy.length + " flags");
        }
        int m = 0;
        for (boolean b : noisy) {
            m += b ? 1 : 0;
        }
        if (m == 0 || m == noisy.length) {
            return new NoiseDetection(Double.NaN, Double.NaN, Double.NaN, m);
        }
        // a non-finite score (a sample a method could not value) ranks at the clean end, never as noise
        double[] s = new double[noiseScore.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Double.isNaN(noiseScore[i]) ? Double.NEGATIVE_INFINITY : noiseScore[i];
        }
        return new NoiseDetection(Metrics.auroc(s, noisy), averagePrecision(s, noisy, m),
                Metrics.precisionAtK(s, noisy, m), m);
    }

    /** Sum over thresholds (descending) of (recall gained) x (precision there). */
    static double averagePrecision(double[] score, boolean[] positive, int positives) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -score[i]));
        double ap = 0;
        int hits = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            int blockHits = 0;
            while (j < order.length && Double.compare(score[order[j]], score[order[i]]) == 0) {
                blockHits += positive[order[j]] ? 1 : 0;
                j++;
            }
            hits += blockHits;
            ap += (double) blockHits / positives * hits / j;
            i = j;
        }
        return ap;
    }
}
