package dev.sift.importance;

import static java.util.Objects.requireNonNull;

import dev.sift.model.Predictions;

/**
 * What the importance methods read: model outputs for each pool sample and its target (class index, or the
 * scaled value for regression). Position i refers to the i-th pool sample.
 */
public record ScoringInput(Predictions predictions, int[] classes, float[] values) {
    public ScoringInput {
        requireNonNull(predictions, "predictions is null");
        requireNonNull(classes, "classes is null");
        requireNonNull(values, "values is null");
        if (classes.length != predictions.size() || values.length != predictions.size()) {
            throw new IllegalArgumentException("targets and predictions differ in length");
        }
    }

    public int size() {
        return predictions.size();
    }

    public boolean regression() {
        return predictions.regression();
    }

    /** Output error e = p - onehot(y) (classification) or prediction - y (regression). */
    public double[] error(int i) {
        float[] p = predictions.probs()[i];
        double[] e = new double[p.length];
        if (regression()) {
            e[0] = p[0] - values[i];
            return e;
        }
        for (int k = 0; k < p.length; k++) {
            e[k] = p[k] - (k == classes[i] ? 1.0 : 0.0);
        }
        return e;
    }
}
