package dev.sift.evaluation;

import static java.util.Objects.requireNonNull;

import dev.sift.data.Sample;
import dev.sift.data.TaskSpec;
import java.util.List;

/**
 * The held-out test split as the metrics need it: grades shifted to start at 0 (label units for regression),
 * their classes, and the query each pair belongs to.
 */
public record TestSet(TaskSpec task, int k, double[] relevance, int[] truth, String[] group) {
    public TestSet {
        requireNonNull(task, "task is null");
        if (truth.length != relevance.length || group.length != relevance.length) {
            throw new IllegalArgumentException("test arrays differ in length");
        }
    }

    public static TestSet of(TaskSpec task, List<Sample> test, int k) {
        int n = test.size();
        double[] rel = new double[n];
        int[] truth = new int[n];
        String[] group = new String[n];
        for (int i = 0; i < n; i++) {
            rel[i] = test.get(i).label() - task.minLabel();
            truth[i] = (int) Math.round(rel[i]);
            group[i] = test.get(i).group();
        }
        return new TestSet(task, k, rel, truth, group);
    }

    public int size() {
        return relevance.length;
    }
}
