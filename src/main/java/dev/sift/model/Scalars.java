package dev.sift.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Numbers for arithmetic inside an autograd graph. DJL's {@code NDArray.mul(Number)} (and {@code div}, {@code
 * maximum}, {@code minimum}, {@code pow}) turns the number into a one-element tensor over a Java direct buffer (torch
 * {@code from_blob}), runs the tensor operation and closes that tensor at once. libtorch saves the number's tensor for
 * the backward pass (the gradient of {@code x * s} with respect to {@code x} is {@code s}), but it does not own the
 * buffer: once the garbage collector has freed it, the backward pass multiplies by whatever the freed memory holds.
 * Long MiniLM runs went to NaN that way (the attention's {@code 1/sqrt(d)}), at random and only now and then; with a
 * thread forcing collections during training it happens in the first steps ({@code RepeatedTrainingTest}). A tensor
 * made here is filled by libtorch ({@code torch::full}) in memory libtorch owns and counts references to, so autograd
 * keeps it as long as it needs it. {@code add} and {@code sub} save no operand and are safe with plain numbers.
 */
public final class Scalars {
    private Scalars() {
    }

    /** {@code value} as a zero-dimensional tensor of {@code like}'s type, in {@code like}'s manager. */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }
}
