package dev.sift.evaluation;

import dev.sift.data.TaskType;
import dev.sift.model.Predictions;
import java.util.Arrays;

/**
 * One model's answers on the test split: a ranking score per pair, the predicted class (classification), the
 * predicted label in label units (regression) or the probability of the positive class (binary), and for binary
 * tasks the threshold on that probability (chosen on the validation split) at or above which a pair is predicted
 * positive (NaN otherwise). {@code ranks} is false for the majority baseline, which ranks nothing: its NDCG and AUC
 * are read off a constant score, the exact expectations over every order (0.5 for AUC), not one random draw's.
 */
public record TestOutcome(double[] score, int[] predicted, double[] value, double threshold, boolean ranks) {
    /** An outcome whose score ranks the pairs, with a binary threshold. */
    public TestOutcome(double[] score, int[] predicted, double[] value, double threshold) {
        this(score, predicted, value, threshold, true);
    }

    /** An outcome without a binary threshold. */
    public TestOutcome(double[] score, int[] predicted, double[] value) {
        this(score, predicted, value, Double.NaN, true);
    }

    public static TestOutcome of(Predictions p, TestSet t) {
        return of(p, t, null);
    }

    /**
     * The outcome with grades read off the expected grade at {@code cuts} ({@link ZeroShot#cutPoints}: the
     * calibration the zero-shot baseline gets), or the most probable class when {@code cuts} is null.
     */
    public static TestOutcome of(Predictions p, TestSet t, double[] cuts) {
        int n = p.size();
        double range = t.task().maxLabel() - t.task().minLabel();
        boolean binary = t.task().type() == TaskType.BINARY;
        double[] score = new double[n];
        int[] predicted = new int[n];
        double[] value = new double[n];
        for (int i = 0; i < n; i++) {
            score[i] = p.rankScore(i);
            predicted[i] = p.regression() ? 0 : cuts == null ? p.argmax(i) : ZeroShot.grade(score[i], cuts);
            value[i] = p.regression() ? score[i] * range : binary ? score[i] : predicted[i];
        }
        return new TestOutcome(score, predicted, value);
    }

    /**
     * A binary model's outcome: its probability of the positive class ranks, is the value log loss reads, and
     * predicts positive at or above {@code threshold}.
     */
    public static TestOutcome binary(double[] score, double[] probability, double threshold) {
        int[] predicted = new int[probability.length];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = probability[i] >= threshold ? 1 : 0;
        }
        return new TestOutcome(score.clone(), predicted, probability.clone(), threshold);
    }

    /**
     * The majority baseline: every pair gets the most frequent training class (the training mean for
     * regression; for binary tasks also the training share of positives as its probability, which log loss
     * reads); its score is constant, it ranks nothing ({@code ranks} false: NDCG and AUC are read as the expectation
     * over every order of the tied pairs).
     */
    public static TestOutcome majority(TestSet t, double[] trainRelevance) {
        int n = t.size();
        double[] score = new double[n];
        int[] predicted = new int[n];
        double[] value = new double[n];
        if (t.task().classification()) {
            int[] counts = new int[t.task().classes()];
            for (double v : trainRelevance) {
                counts[(int) Math.round(v)]++;
            }
            int mode = 0;
            for (int c = 1; c < counts.length; c++) {
                mode = counts[c] > counts[mode] ? c : mode;
            }
            Arrays.fill(predicted, mode);
            Arrays.fill(value, t.task().type() == TaskType.BINARY
                    ? (double) counts[1] / Math.max(1, trainRelevance.length) : mode);
        } else {
            Arrays.fill(value, Arrays.stream(trainRelevance).average().orElse(0));
        }
        return new TestOutcome(score, predicted, value, Double.NaN, false);
    }
}
