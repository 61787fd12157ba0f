package dev.sift.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Model inputs for any subset of the samples, built batch by batch. */
public interface FeatureSource {
    /** Input shapes with batch size 1 (sequence length 1 for token inputs), to initialise a block. */
    Shape[] shapes();

    /** Inputs for the samples {@code sel} (indices into the dataset). */
    NDList batch(NDManager manager, int[] sel);

    /** Number of samples. */
    int size();

    /**
     * How long the sample's inputs are once padded alone (tokens for text); batches pad to their longest, so
     * inference orders samples by it. Sources of one fixed length return 1.
     */
    default int length(int sample) {
        return 1;
    }

    /**
     * Samples per inference batch when the caller does not choose. Fixed-size features take 256; token sequences
     * fewer, since a Transformer's activations grow with batch x length (and its attention scores with batch x
     * length squared).
     */
    default int inferenceBatch() {
        return 256;
    }
}
