package dev.sift.model;

/**
 * Per-sample training dynamics recorded from the training forward passes themselves (no second pass): for each
 * epoch and each training sample, the loss, the probability of the true label and whether the prediction was
 * right. Arrays are [epoch][position in {@code samples}].
 */
public record TrainingDynamics(int[] samples, float[][] loss, float[][] pTrue, boolean[][] correct) {
    public int epochs() {
        return loss.length;
    }
}
