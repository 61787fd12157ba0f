package dev.sift.importance;

/** What a method reads beyond the pool's predictions, hidden activations and targets. */
public enum Need {
    /** The scoring model's outputs on held-out queries it did not train on (today the validation split). */
    UTILITY_SPLIT,
    /** Per-epoch training dynamics of the model trained on the pool. */
    TRAINING_DYNAMICS,
    /** Per-sample gradient norms over all parameters (only models with ghost norms provide them). */
    FULL_GRADIENTS,
    /**
     * Per-sample alignments g . dM(x_i)/dtheta of the training loss gradient with the output gradient, over the
     * trainable parameters (every model provides them).
     */
    OUTPUT_ALIGNMENT,
    /** Other methods' scores (an ensemble of them). */
    OTHER_METHODS,
    /**
     * Out-of-fold predictions for every pool sample: K models trained on query-grouped folds of the pool
     * ({@code score.cross_fit: K}, K >= 2), each predicting the fold it did not see.
     */
    CROSS_FIT
}
