package dev.sift.model;

import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;

/**
 * Training targets derived from labels: a class index for graded and binary tasks, the label scaled to [0, 1]
 * for regression.
 */
public record Targets(TaskSpec task, int[] classes, float[] values) {
    public static Targets of(TaskSpec task, double[] labels) {
        int[] cls = new int[labels.length];
        float[] val = new float[labels.length];
        double range = task.maxLabel() - task.minLabel();
        for (int i = 0; i < labels.length; i++) {
            if (task.type() == TaskType.REGRESSION) {
                val[i] = (float) ((labels[i] - task.minLabel()) / range);
            } else {
                cls[i] = (int) Math.round(labels[i] - task.minLabel());
                val[i] = cls[i];
            }
        }
        return new Targets(task, cls, val);
    }

    public int outputs() {
        return task.classes();
    }

    public boolean regression() {
        return task.type() == TaskType.REGRESSION;
    }
}
