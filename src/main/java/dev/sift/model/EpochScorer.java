package dev.sift.model;

/**
 * Scores every training sample at the checkpoint that ends an epoch; the trainer records the scores, weighted
 * by the learning rate of the epoch's last step, as the per-epoch column of the training dynamics (TracIn sums
 * that column over checkpoints). It is an interface of the model package so that training knows nothing of
 * the importance methods: whoever builds the trainer supplies one. Called only for classification, and only
 * when there is a validation split.
 */
@FunctionalInterface
public interface EpochScorer {
    /**
     * @param train predictions on the training samples at the checkpoint, in training order
     * @param trainClasses the training samples' classes, in the same order
     * @param validation predictions on the validation samples at the checkpoint
     * @param validationClasses the validation samples' classes
     * @return one value per training sample, in training order
     */
    double[] score(Predictions train, int[] trainClasses, Predictions validation, int[] validationClasses);
}
