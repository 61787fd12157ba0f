package dev.sift.model;

/**
 * Scores every training sample at the checkpoint that ends an epoch, against a reference set (the utility
 * split); the trainer records the scores, weighted by the epoch's mean learning rate, as the per-epoch column of
 * the training dynamics (TracIn sums that column over checkpoints). It is an interface of the model package so
 * that training knows nothing of the importance methods: whoever builds the trainer supplies one. Called only
 * for classification, and only when the reference set is not empty.
 */
@FunctionalInterface
public interface EpochScorer {
    /**
     * @param train predictions on the training samples at the checkpoint, in training order
     * @param trainClasses the training samples' classes, in the same order
     * @param reference predictions on the reference samples at the checkpoint
     * @param referenceClasses the reference samples' classes
     * @return one value per training sample, in training order
     */
    double[] score(Predictions train, int[] trainClasses, Predictions reference, int[] referenceClasses);
}
