package dev.sift.evaluation;

import dev.sift.data.Sample;
import dev.sift.model.Predictions;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns predictions on a split into the metrics the task calls for. */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * NDCG@k (ranked by expected grade within each group; {@code ndcg_queries} counts the groups with two or more
     * distinct grades, the only ones NDCG scores), accuracy and quadratic weighted kappa for graded
     * and binary tasks; NDCG@k and RMSE (in label units) for regression.
     */
    public static Map<String, Double> evaluate(TaskSpec task, List<Sample> samples, Predictions p, int k) {
        int n = samples.size();
        double[] score = new double[n];
        double[] rel = new double[n];
        String[] group = new String[n];
        for (int i = 0; i < n; i++) {
            score[i] = p.rankScore(i);
            rel[i] = samples.get(i).label() - task.minLabel();
            group[i] = samples.get(i).group();
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("ndcg@" + k, Metrics.ndcgAtK(score, rel, group, k));
        m.put("ndcg_queries", (double) Metrics.ndcgGroups(rel, group));
        if (task.type() == TaskType.REGRESSION) {
            double range = task.maxLabel() - task.minLabel();
            double[] pred = new double[n];
            for (int i = 0; i < n; i++) {
                pred[i] = score[i] * range;
            }
            m.put("rmse", Metrics.rmse(pred, rel));
        } else {
            int[] predicted = new int[n];
            int[] truth = new int[n];
            for (int i = 0; i < n; i++) {
                predicted[i] = p.argmax(i);
                truth[i] = (int) Math.round(rel[i]);
            }
            m.put("accuracy", Metrics.accuracy(predicted, truth));
            m.put("kappa", Metrics.quadraticWeightedKappa(predicted, truth, task.classes()));
        }
        return m;
    }
}
