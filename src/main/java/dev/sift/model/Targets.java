package dev.sift.model;

import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;

/**
 * Training targets derived from labels: a class index for graded and binary tasks, the label scaled to [0, 1]
 * for regression; and optionally a loss weight per sample (null: every sample weighs 1).
 */
public record Targets(TaskSpec task, int[] classes, float[] values, float[] weights) {
    public Targets(TaskSpec task, int[] classes, float[] values) {
        this(task, classes, values, null);
    }

    /**
     * The same targets with sample {@code samples[i]} trained on class {@code labels[i]} (when {@code labels} is
     * non-null and the entry is >= 0) and with loss weight {@code weights[i]} (when {@code weights} is non-null;
     * samples not listed weigh 1). Relabelling is for classification tasks.
     */
    public Targets adjusted(int[] samples, double[] weights, int[] labels) {
        int[] cls = classes;
        float[] val = values;
        if (labels != null) {
            if (regression()) {
                throw new IllegalArgumentException("relabelling needs a classification task");
            }
            cls = classes.clone();
            val = values.clone();
            for (int i = 0; i < samples.length; i++) {
                if (labels[i] >= 0) {
                    cls[samples[i]] = labels[i];
                    val[samples[i]] = labels[i];
                }
            }
        }
        float[] w = this.weights;
        if (weights != null) {
            w = new float[classes.length];
            java.util.Arrays.fill(w, 1f);
            for (int i = 0; i < samples.length; i++) {
                w[samples[i]] = (float) weights[i];
            }
        }
        return new Targets(task, cls, val, w);
    }

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
