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
            cuts[c] = at >= sorted.length ? Double.POSITIVE_INFINITY : sorted[Math.max(0, at)];
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
}
