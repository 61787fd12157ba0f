package dev.sift.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;

/**
 * Mean softmax cross-entropy against one-hot targets (classification) or mean squared error (regression).
 * Reads only the first prediction (the model also returns its hidden activations).
 */
public final class RelevanceLoss extends Loss {
    private final boolean regression;

    public RelevanceLoss(boolean regression) {
        super(regression ? "mse" : "cross_entropy");
        this.regression = regression;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray out = predictions.get(0);
        NDArray target = labels.singletonOrThrow();
        if (regression) {
            return out.reshape(-1).sub(target).square().mean();
        }
        return out.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
    }

    /** Per-sample loss [n] against {@link #targets}: cross-entropy, or squared error for regression. */
    static NDArray perSample(NDArray out, NDArray target, boolean regression) {
        if (regression) {
            return out.reshape(-1).sub(target).square();
        }
        return out.logSoftmax(1).mul(target).sum(new int[] {1}).neg();
    }

    /** Targets of the samples {@code sel}: one-hot [n, outputs], or the scaled values [n] for regression. */
    static NDArray targets(NDManager m, Targets targets, int outputs, boolean regression, int[] sel) {
        if (regression) {
            float[] y = new float[sel.length];
            for (int i = 0; i < sel.length; i++) {
                y[i] = targets.values()[sel[i]];
            }
            return m.create(y);
        }
        float[] oneHot = new float[sel.length * outputs];
        for (int i = 0; i < sel.length; i++) {
            oneHot[i * outputs + targets.classes()[sel[i]]] = 1f;
        }
        return m.create(oneHot, new Shape(sel.length, outputs));
    }
}
