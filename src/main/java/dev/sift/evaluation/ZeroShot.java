package dev.sift.evaluation;

import dev.sift.data.Sample;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Metrics for an untrained scorer (query-title cosine): NDCG from the ranking; grades from cut points on the
 * score chosen so the training split's label distribution is reproduced (quantile calibration), or a least
 * squares line for regression.
 */
public final class ZeroShot {
    private ZeroShot() {
    }

    /**
     * Score thresholds t_1..t_{K-1} placed so the grades of {@code scores} (grade = number of thresholds at or below
     * the score) have the grade shares of {@code labels}; the two arrays may differ in length.
     */
    public static double[] cutPoints(double[] trainScores, double[] trainLabels, int classes) {
        double[] sorted = trainScores.clone();
        Arrays.sort(sorted);
        int[] counts = new int[classes];
        for (double l : trainLabels) {
            counts[(int) Math.round(l)]++;
        }
        double[] cuts = new double[classes - 1];
        int cum = 0;
        for (int c = 0; c < classes - 1; c++) {
            cum += counts[c];
            // the share of labels below grade c + 1, applied to the scores (they may be fewer than the labels)
            int at = (int) Math.round((double) cum * sorted.length / Math.max(1, trainLabels.length));
            // no training label below grade c + 1: every score is at least that grade (a test score below the
            // training scores' range must not get a grade the training split never had)
            cuts[c] = cum == 0 ? Double.NEGATIVE_INFINITY
                    : at >= sorted.length ? Double.POSITIVE_INFINITY : sorted[Math.max(0, at)];
        }
        return cuts;
    }

    public static int grade(double score, double[] cuts) {
        int g = 0;
        for (double c : cuts) {
            if (score >= c) {
                g++;
            }
        }
        return g;
    }

    public static Map<String, Double> evaluate(TaskSpec task, List<Sample> test, double[] testScores,
            double[] trainScores, double[] trainLabels, int k) {
        return Protocol.measure(TestSet.of(task, test, k), outcome(task, testScores, trainScores, trainLabels));
    }

    /**
     * The scorer's answers: its score ranks; grades from the calibrated cut points (classification), or the least
     * squares line from score to label fitted on the training split (regression).
     */
    public static TestOutcome outcome(TaskSpec task, double[] testScores, double[] trainScores,
            double[] trainLabels) {
        int n = testScores.length;
        int[] predicted = new int[n];
        double[] value = new double[n];
        if (task.type() == TaskType.REGRESSION) {
            double mx = Arrays.stream(trainScores).average().orElse(0);
            double my = Arrays.stream(trainLabels).average().orElse(0);
            double sxy = 0;
            double sxx = 0;
            for (int i = 0; i < trainScores.length; i++) {
                sxy += (trainScores[i] - mx) * (trainLabels[i] - my);
                sxx += (trainScores[i] - mx) * (trainScores[i] - mx);
            }
            double slope = sxx == 0 ? 0 : sxy / sxx;
            for (int i = 0; i < n; i++) {
                value[i] = my + slope * (testScores[i] - mx);
            }
        } else {
            double[] cuts = cutPoints(trainScores, trainLabels, task.classes());
            for (int i = 0; i < n; i++) {
                predicted[i] = grade(testScores[i], cuts);
                value[i] = predicted[i];
            }
        }
        return new TestOutcome(testScores.clone(), predicted, value);
    }

    /**
     * The zero-shot answers on a binary task: the cosine ranks (AUC reads it as it is); a logistic curve fitted on
     * the training split (Platt scaling) turns it into the probability that log loss reads; the threshold on that
     * probability is the one with the best F1 on the validation split ({@code reference}; no test label is read).
     */
    public static TestOutcome binaryOutcome(double[] testScores, double[] trainScores, boolean[] trainPositive,
            double[] referenceScores, boolean[] referencePositive) {
        double[] ab = platt(trainScores, trainPositive);
        double threshold = Metrics.bestF1Threshold(logistic(referenceScores, ab), referencePositive);
        return TestOutcome.binary(testScores, logistic(testScores, ab), threshold);
    }

    /** p = 1 / (1 + exp(-(a x + b))) for every x. */
    static double[] logistic(double[] x, double[] ab) {
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = 1 / (1 + Math.exp(-(ab[0] * x[i] + ab[1])));
        }
        return p;
    }

    /**
     * Platt scaling: (a, b) of the logistic regression of the labels on one score, by Newton's method on the mean
     * log-likelihood with a tiny ridge on a (1e-6, so separable data stays finite). At the optimum the fitted
     * probabilities sum to the number of positives (the intercept's score equation).
     */
    static double[] platt(double[] x, boolean[] y) {
        double a = 0;
        int positives = 0;
        for (boolean v : y) {
            positives += v ? 1 : 0;
        }
        int n = Math.max(1, x.length);
        double prior = Math.min(n - 0.5, Math.max(0.5, positives)) / n;
        double b0 = Math.log(prior / (1 - prior));
        double b = b0;
        for (int it = 0; it < 100; it++) {
            double ga = 1e-6 * a;
            double gb = 0;
            double haa = 1e-6;
            double hab = 0;
            double hbb = 1e-12;
            for (int i = 0; i < x.length; i++) {
                double p = 1 / (1 + Math.exp(-(a * x[i] + b)));
                double r = (p - (y[i] ? 1 : 0)) / n;
                double w = p * (1 - p) / n;
                ga += r * x[i];
                gb += r;
                haa += w * x[i] * x[i];
                hab += w * x[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            a -= da;
            b -= db;
            if (Math.abs(da) + Math.abs(db) < 1e-12) {
                break;
            }
        }
        // Newton without a line search can run off on (nearly) separable scores: fall back to the prior then
        return Double.isFinite(a) && Double.isFinite(b) ? new double[] {a, b} : new double[] {0, b0};
    }
}
