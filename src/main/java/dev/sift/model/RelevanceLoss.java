package dev.sift.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
}
