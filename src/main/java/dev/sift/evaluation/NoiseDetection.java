package dev.sift.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How well a ranking finds the known-noisy samples: the ranking's "remove" end first (higher = more likely
 * noise; an importance method whose higher end is "keep" is negated before it gets here).
 *
 * @param auroc area under the ROC curve (ties counted half): 1 = every noisy sample ranked above every clean one
 * @param auprc average precision over the distinct score thresholds (ties form one threshold, as scikit-learn's
 *     {@code average_precision_score})
 * @param f1 precision among the top N, N = the number of noisy samples; there precision, recall and F1 are equal
 * @param noisy N
 * @param aurocWithinLabel the AUROC among the samples that carry the same given label, averaged over the labels
 *     weighted by their noisy samples (a label with no noisy or no clean sample has no AUROC and is left out): how
 *     well the ranking tells a flipped label from a correct one of the same grade. When noise sits mostly in one
 *     given grade (adjacent flips out of a majority grade land in its neighbour), a ranking that only learned which
 *     grade is often wrong scores a high {@code auroc} and F1 but 0.5 here. NaN when no label qualifies or the
 *     labels were not given.
 */
public record NoiseDetection(double auroc, double auprc, double f1, int noisy, double aurocWithinLabel) {
    /** The name of the {@link #labelOnly} baseline's row in every noise table. */
    public static final String LABEL_ONLY = "label_only";

    /**
     * NaN metrics unless both noisy and clean samples are present. NaN scores count as the lowest (the clean end).
     * {@code aurocWithinLabel} is NaN: no labels.
     */
    public static NoiseDetection of(double[] noiseScore, boolean[] noisy) {
        return of(noiseScore, noisy, null);
    }

    /** As {@link #of(double[], boolean[])}, with {@code labels} (the given, possibly flipped, label per sample). */
    public static NoiseDetection of(double[] noiseScore, boolean[] noisy, double[] labels) {
        if (noiseScore.length != noisy.length) {
            throw new IllegalArgumentException(noiseScore.length + " scores for " + noisy.length + " flags");
        }
        int m = 0;
        for (boolean b : noisy) {
            m += b ? 1 : 0;
        }
        if (labels != null && labels.length != noisy.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + noisy.length + " flags");
        }
        if (m == 0 || m == noisy.length) {
            return new NoiseDetection(Double.NaN, Double.NaN, Double.NaN, m, Double.NaN);
        }
        // a non-finite score (a sample a method could not value) ranks at the clean end, never as noise
        double[] s = new double[noiseScore.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = Double.isNaN(noiseScore[i]) ? Double.NEGATIVE_INFINITY : noiseScore[i];
        }
        return new NoiseDetection(Metrics.auroc(s, noisy), averagePrecision(s, noisy, m),
                Metrics.precisionAtK(s, noisy, m), m, labels == null ? Double.NaN : withinLabel(s, noisy, labels));
    }

    /**
     * The baseline that reads nothing but the given label: each sample scores the share of noisy samples among those
     * with its label. It uses the truth (which labels are noisy), so it is the best any detector can do that ignores
     * the sample's text and features; a method's AUROC and F1 above it are what it learned about the samples.
     */
    public static double[] labelOnly(double[] labels, boolean[] noisy) {
        Map<Double, int[]> counts = new LinkedHashMap<>(); // label -> {noisy, all}
        for (int i = 0; i < labels.length; i++) {
            int[] c = counts.computeIfAbsent(labels[i], k -> new int[2]);
            c[0] += noisy[i] ? 1 : 0;
            c[1]++;
        }
        double[] s = new double[labels.length];
        for (int i = 0; i < s.length; i++) {
            int[] c = counts.get(labels[i]);
            s[i] = (double) c[0] / c[1];
        }
        return s;
    }

    /** How well the {@link #labelOnly} baseline finds the noisy samples. */
    public static NoiseDetection ofLabelOnly(boolean[] noisy, double[] labels) {
        return of(labelOnly(labels, noisy), noisy, labels);
    }

    private static double withinLabel(double[] score, boolean[] noisy, double[] labels) {
        Map<Double, List<Integer>> by = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) {
            by.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        double sum = 0;
        int weight = 0;
        for (List<Integer> idx : by.values()) {
            double[] s = new double[idx.size()];
            boolean[] y = new boolean[idx.size()];
            int m = 0;
            for (int j = 0; j < s.length; j++) {
                s[j] = score[idx.get(j)];
                y[j] = noisy[idx.get(j)];
                m += y[j] ? 1 : 0;
            }
            if (m > 0 && m < s.length) {
                sum += m * Metrics.auroc(s, y);
                weight += m;
            }
        }
        return weight == 0 ? Double.NaN : sum / weight;
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
