package dev.sift.model;

/** A float32 tensor from a checkpoint file: its name (HuggingFace naming), shape and row-major values. */
public record NamedTensor(String name, long[] shape, float[] values) {
}
