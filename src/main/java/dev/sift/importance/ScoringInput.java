package dev.sift.importance;

import static java.util.Objects.requireNonNull;

import dev.sift.model.Predictions;
import dev.sift.model.TrainingDynamics;

/**
 * What the importance methods read: model outputs for each pool sample and its target (class index, or the
 * scaled value for regression); the same model's last hidden activations and classes on the validation split
 * (the utility set of data valuation), or null; and the training dynamics of the model that was trained on
 * the pool, aligned with the pool order, or null; per-sample gradient norms over all parameters, or null; and
 * per-sample alignments g . dM(x_i)/dtheta of the training loss gradient with the output gradient, or null; and
 * out-of-fold predictions (each sample predicted by a cross-fitted model that did not train on it), or null.
 * Position i refers to the i-th pool sample.
 */
public record ScoringInput(Predictions predictions, int[] classes, float[] values, float[][] validationHidden,
        float[][] validationProbs, int[] validationClasses, TrainingDynamics dynamics, double[] fullGradientNorms,
        double[] outputAlignments, Predictions outOfFold) {
    public ScoringInput {
        requireNonNull(predictions, "predictions is null");
        requireNonNull(classes, "classes is null");
        requireNonNull(values, "values is null");
        if (classes.length != predictions.size() || values.length != predictions.size()) {
            throw new IllegalArgumentException("targets and predictions differ in length");
        }
        if (dynamics != null && dynamics.samples().length != predictions.size()) {
            throw new IllegalArgumentException("dynamics and predictions differ in length");
        }
        if (outputAlignments != null && outputAlignments.length != predictions.size()) {
            throw new IllegalArgumentException("output alignments and predictions differ in length");
        }
        if (outOfFold != null && outOfFold.size() != predictions.size()) {
            throw new IllegalArgumentException("out-of-fold predictions and predictions differ in length");
        }
    }

    /** Everything else, plus output alignments. */
    public ScoringInput(Predictions predictions, int[] classes, float[] values, float[][] validationHidden,
            float[][] validationProbs, int[] validationClasses, TrainingDynamics dynamics, double[] fullGradientNorms,
            double[] outputAlignments) {
        this(predictions, classes, values, validationHidden, validationProbs, validationClasses, dynamics,
                fullGradientNorms, outputAlignments, null);
    }

    /** The same input with out-of-fold predictions (or none). */
    public ScoringInput withOutOfFold(Predictions oof) {
        return new ScoringInput(predictions, classes, values, validationHidden, validationProbs, validationClasses,
                dynamics, fullGradientNorms, outputAlignments, oof);
    }

    /** The out-of-fold predictions; fails with a clear message for methods that need them when there are none. */
    public Predictions requireOutOfFold(String method) {
        if (outOfFold == null) {
            throw new IllegalStateException(method + " needs out-of-fold predictions (score.cross_fit >= 2)");
        }
        return outOfFold;
    }

    public ScoringInput(Predictions predictions, int[] classes, float[] values) {
        this(predictions, classes, values, null, null, null, null, null, null, null);
    }

    /** Without output alignments. */
    public ScoringInput(Predictions predictions, int[] classes, float[] values, float[][] validationHidden,
            float[][] validationProbs, int[] validationClasses, TrainingDynamics dynamics, double[] fullGradientNorms) {
        this(predictions, classes, values, validationHidden, validationProbs, validationClasses, dynamics,
                fullGradientNorms, null, null);
    }

    /** Without per-sample gradient norms over all parameters. */
    public ScoringInput(Predictions predictions, int[] classes, float[] values, float[][] validationHidden,
            float[][] validationProbs, int[] validationClasses, TrainingDynamics dynamics) {
        this(predictions, classes, values, validationHidden, validationProbs, validationClasses, dynamics, null, null,
                null);
    }

    /** The training dynamics; fails with a clear message for methods that need them when there are none. */
    public TrainingDynamics requireDynamics(String method) {
        if (dynamics == null || dynamics.epochs() == 0) {
            throw new IllegalStateException(method + " needs training dynamics of the model trained on the pool");
        }
        return dynamics;
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
