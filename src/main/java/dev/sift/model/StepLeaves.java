package dev.sift.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter store of a training step whose gradients start from none, as PyTorch's
 * {@code optimizer.zero_grad()} leaves them (its default since 2.0), instead of from zeros.
 *
 * <p>For each step, every trainable parameter gets a fresh leaf: a detached alias of its tensor (the same storage,
 * no gradient yet) that needs a gradient, and the blocks' forward pass reads the leaf instead of the parameter. The
 * backward pass then hands each leaf its gradient as computed, where a parameter that kept a zeroed gradient from
 * the step before has the new one added into it: libtorch's gradient accumulation runs {@code grad += new} over
 * every weight (two reads and a write of all 22.7 M floats of MiniLM), after the optimiser's zeroing pass wrote
 * them all. The leaves and their gradients are freed with the step's manager; the update writes the weights through
 * the parameters' storage, which the leaves share. DJL 0.36 has no call that sets a gradient back to none, hence the
 * aliases.
 *
 * <p>The same floats: zero plus a gradient is that gradient (a negative zero may become a positive one, which no
 * product or sum of AdamW tells apart). {@code FlatAdamWTest} trains with either and compares the weights bit for
 * bit. Frozen parameters come from the store as before.
 */
final class StepLeaves extends ParameterStore {
    private final List<Parameter> params;
    private final Map<String, NDArray> leaves = new HashMap<>();

    StepLeaves(NDManager manager, List<Parameter> params) {
        super(manager, false);
        this.params = params;
    }

    /** Fresh leaves of the parameters for one step, freed with {@code step}; returns them in parameter order. */
    NDArray[] begin(NDManager step) {
        NDArray[] out = new NDArray[params.size()];
        for (int i = 0; i < out.length; i++) {
            Parameter p = params.get(i);
            PtNDArray leaf = JniUtils.detachGradient((PtNDArray) p.getArray());
            leaf.attach(step);
            leaf.setRequiresGradient(true);
            leaves.put(p.getId(), leaf);
            out[i] = leaf;
        }
        return out;
    }

    /** Forgets the step's leaves: the forward passes after it read the parameters themselves. */
    void end() {
        leaves.clear();
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        NDArray leaf = parameter == null ? null : leaves.get(parameter.getId());
        return leaf != null && leaf.getDevice().equals(device) ? leaf : super.getValue(parameter, device, training);
    }
}
