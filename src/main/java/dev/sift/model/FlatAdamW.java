package dev.sift.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.tracker.ParameterTracker;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW over all trainable parameters with DJL's maths, element for element, in fewer and cache-sized
 * operations. The moment estimates of all parameters are two flat buffers (one allocation each, a view per
 * parameter); the update runs DJL's own native AdamW kernel ({@code JniUtils.adamUpdate}, what DJL's {@code AdamW}
 * calls per parameter) over chunks of at most {@link #DEFAULT_CHUNK} elements: row ranges of a parameter, its
 * gradient and its two moment views.
 *
 * <p>Why chunks and not one call over one flat buffer: the kernel makes seven temporaries the size of its input
 * (a gradient clone, {@code w*lr*wd}, {@code m*lr'}, {@code sqrt(v)}, {@code +eps}, the quotient). Per parameter,
 * the word embeddings' temporaries are 47 MB each, above glibc's mmap threshold, so every step maps and
 * page-faults them afresh, and each of the kernel's ~12 passes streams the tensor through memory; over one flat
 * buffer of all 22.7 M MiniLM parameters that is worse (kernel alone: 430-450 ms a step against 280-370 ms per
 * parameter). In chunks of 2^17 elements (512 KiB) the temporaries are reused by malloc and the passes run in
 * cache (100-140 ms). Whole optimiser step over MiniLM-L6's parameters, alternating in one JVM on the shared
 * 2-core machine (load 2.6): DJL's AdamW 249-271 ms, this one 160-162 ms (2^15: 188-211, 2^19: 153-173, 2^20:
 * 185-210, 2^21: 201-239). A flat gradient buffer is not to be had: DJL 0.36 cannot point a parameter's gradient
 * into another tensor (only {@code set(ByteBuffer)}, CPU only, after the first backward), and the kernel clones
 * the gradient anyway.
 *
 * <p>Same maths: DJL's update count (the same for every parameter: all are updated each step), learning rate
 * from the tracker per parameter id, bias correction {@code lr * sqrt(1 - beta2^t) / (1 - beta1^t)} in double
 * then float, no rescaling and no clipping in the kernel (DJL's defaults 1 and -1), the same kernel, and the
 * gradient zeroed after the update (training hands it the gradients of {@link StepLeaves} instead, which start
 * each step from none and need no zeroing). Splitting a tensor into row ranges does not change any element's
 * result (the kernel is element-wise; {@code FlatAdamWTest} checks it bit for bit against DJL's AdamW). PyTorch
 * engine only.
 *
 * <p>On the CPU, {@link AdamWLoop}s update instead, whatever the model's size: the kernel's maths in Java over
 * cache-sized chunks on the calling thread, plus PyTorch's square root, bit for bit the same
 * (tested the same way), at a fraction of the kernel's thirteen passes and seven temporaries. First for small
 * models only (the hashed model and heads, where the loops held whole-parameter copies in Java arrays); since
 * they work in chunks through native memory they are faster on MiniLM's 22.7 M parameters too: alternating in one
 * JVM on the 2-core machine, the optimiser step 89 and 123 ms against the kernel's 101 and 151 ms in two runs, whole
 * training steps of batch 32 720 against 742 ms (README, "bench model"). The kernel path stays for other devices.
 */
final class FlatAdamW implements AutoCloseable {
    /** System property naming the AdamW training uses ({@link AdamWChoice}). */
    static final String PROPERTY = AdamWChoice.PROPERTY;
    static final long DEFAULT_CHUNK = 1L << 17;
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final ParameterTracker learningRate;
    private final float weightDecay;
    private final float epsilon;
    private final NDManager manager;
    private final List<Slot> slots = new ArrayList<>();
    /** What {@link AdamWLoop}s work in, or null when the native kernel updates. */
    private final AdamWLoop.Scratch scratch;
    private int updates;

    /**
     * One parameter: its id, its array, and the row ranges its chunks cover with their weight and moment views; or
     * the {@link AdamWLoop} that updates it (then no ranges or views).
     */
    private record Slot(String id, NDArray weight, long[] bounds, PtNDArray[] weights, PtNDArray[] means,
            PtNDArray[] variances, AdamWLoop loop) {
    }

    /** The AdamW of training: {@link AdamWLoop}s for CPU parameters, else the kernel. */
    FlatAdamW(List<Parameter> params, ParameterTracker learningRate, float weightDecay) {
        this(params, learningRate, weightDecay, loops(params) && !kernelAsked());
    }

    private FlatAdamW(List<Parameter> params, ParameterTracker learningRate, float weightDecay, boolean loop) {
        this(params, learningRate, weightDecay, EPSILON, loop ? AdamWLoop.DEFAULT_CHUNK : onCpu(params) ? DEFAULT_CHUNK
                : WHOLE, loop);
    }

    /**
     * Off the CPU, a chunk is a whole parameter: the chunks exist for the CPU's caches, and on a GPU each chunk is a
     * handful of kernel launches (MiniLM's word embeddings alone were 90 chunks). The same maths either way.
     */
    static final long WHOLE = 1L << 40;

    private static boolean onCpu(List<Parameter> params) {
        return params.isEmpty() || params.get(0).getArray().getDevice().equals(ai.djl.Device.cpu());
    }

    /**
     * @param chunk the most elements one kernel call updates (whole rows; a row is never split), or one pass of an
     *     {@link AdamWLoop}
     */
    FlatAdamW(List<Parameter> params, ParameterTracker learningRate, float weightDecay, float epsilon, long chunk) {
        this(params, learningRate, weightDecay, epsilon, chunk, false);
    }

    /** @param loop whether {@link AdamWLoop}s update (CPU only) instead of DJL's native kernel */
    FlatAdamW(List<Parameter> params, ParameterTracker learningRate, float weightDecay, float epsilon, long chunk,
            boolean loop) {
        if (!supports(params)) {
            throw new IllegalArgumentException("FlatAdamW needs float32 PyTorch parameters on one device");
        }
        this.learningRate = learningRate;
        this.weightDecay = weightDecay;
        this.epsilon = epsilon;
        NDArray first = params.get(0).getArray();
        this.manager = first.getManager().newSubManager(first.getDevice());
        if (loop) {
            for (Parameter p : params) {
                PtNDArray detached = JniUtils.detachGradient((PtNDArray) p.getArray());
                detached.attach(manager);
                slots.add(new Slot(p.getId(), p.getArray(), null, null, null, null, new AdamWLoop(detached, manager)));
            }
            this.scratch = new AdamWLoop.Scratch(Math.toIntExact(chunk), manager);
            return;
        }
        this.scratch = null;
        long total = params.stream().mapToLong(p -> p.getArray().size()).sum();
        NDArray means = manager.zeros(new Shape(total));
        NDArray variances = manager.zeros(new Shape(total));
        long offset = 0;
        for (Parameter p : params) {
            NDArray w = p.getArray();
            slots.add(slot(p.getId(), w, view(means, offset, w.getShape()), view(variances, offset, w.getShape()),
                    chunk));
            offset += w.size();
        }
    }

    /** Whether {@code params} suit this optimiser: PyTorch float32 arrays on one device, at least one. */
    static boolean supports(List<Parameter> params) {
        return !params.isEmpty() && params.stream().map(Parameter::getArray).allMatch(a -> a instanceof PtNDArray
                && a.getDataType() == DataType.FLOAT32 && a.getShape().dimension() > 0
                && a.getDevice().equals(params.get(0).getArray().getDevice()));
    }

    /** Whether {@link AdamWLoop}s suit {@code params}: on the CPU. */
    static boolean loops(List<Parameter> params) {
        return supports(params) && params.get(0).getArray().getDevice().equals(ai.djl.Device.cpu());
    }

    /** Whether {@link AdamWChoice} says {@code kernel}: the native kernel on the CPU too. */
    static boolean kernelAsked() {
        return AdamWChoice.current() == AdamWChoice.KERNEL;
    }

    /** Whether training uses this optimiser: unless {@link AdamWChoice} says {@code djl}. */
    static boolean selected() {
        return AdamWChoice.current() != AdamWChoice.DJL;
    }

    private PtNDArray view(NDArray flat, long offset, Shape shape) {
        PtNDArray v = JniUtils.slice((PtNDArray) flat, 0, offset, offset + shape.size(), 1);
        v.attach(manager);
        NDArray shaped = v.reshape(shape);
        shaped.attach(manager);
        return (PtNDArray) shaped;
    }

    private Slot slot(String id, NDArray weight, PtNDArray mean, PtNDArray variance, long chunk) {
        long rows = weight.getShape().get(0);
        long rowSize = weight.size() / Math.max(1, rows);
        long step = Math.max(1, chunk / Math.max(1, rowSize));
        int n = (int) ((rows + step - 1) / step);
        long[] bounds = new long[n + 1];
        for (int i = 0; i <= n; i++) {
            bounds[i] = Math.min(rows, i * step);
        }
        // the weight's chunks are views of a detached alias: same storage, no autograd history
        PtNDArray detached = JniUtils.detachGradient((PtNDArray) weight);
        detached.attach(manager);
        return new Slot(id, weight, bounds, rows(detached, bounds, manager), rows(mean, bounds, manager),
                rows(variance, bounds, manager), null);
    }

    /** One AdamW step of every parameter from its gradient, as DJL's {@code AdamW.update}; zeroes the gradients. */
    void step() {
        step(1f);
    }

    /**
     * {@link #step()} from the gradients times {@code rescale} (the kernel's own rescaling: the same products as
     * scaling the gradients first, without a pass of its own).
     */
    void step(float rescale) {
        step(rescale, null);
    }

    /**
     * {@link #step(float)} from the gradients of {@code leaves} instead: the step's leaves of the parameters
     * ({@link StepLeaves}), in the order the parameters were given, whose gradients are freed with them and so are
     * not zeroed here. Null: the parameters' own gradients, zeroed after the update.
     */
    void step(float rescale, NDArray[] leaves) {
        if (leaves != null && leaves.length != slots.size()) {
            throw new IllegalArgumentException(leaves.length + " leaves for " + slots.size() + " parameters");
        }
        int t = ++updates;
        double coef1 = 1.0 - Math.pow(BETA1, t);
        double coef2 = 1.0 - Math.pow(BETA2, t);
        try (NDManager handles = manager.newSubManager()) {
            for (int i = 0; i < slots.size(); i++) {
                Slot s = slots.get(i);
                float lr = learningRate.getNewValue(s.id(), t);
                float lrCorrected = (float) (lr * Math.sqrt(coef2) / coef1);
                if (!Float.isFinite(lr) || !Float.isFinite(weightDecay)) {
                    throw new IllegalArgumentException("learning rate or weight decay is nan or infinite");
                }
                PtNDArray grad = (PtNDArray) (leaves == null ? s.weight() : leaves[i]).getGradient();
                grad.attach(handles);
                if (s.loop() != null) {
                    s.loop().update(grad, scratch, lr, lrCorrected, weightDecay, rescale, BETA1, BETA2, epsilon);
                } else {
                    PtNDArray[] grads = rows(grad, s.bounds(), handles);
                    for (int c = 0; c < grads.length; c++) {
                        JniUtils.adamUpdate(s.weights()[c], grads[c], s.means()[c], s.variances()[c], lr,
                                lrCorrected, weightDecay, rescale, -1f, BETA1, BETA2, epsilon, true);
                    }
                }
                if (leaves == null) {
                    JniUtils.zeroGrad((PtNDArray) s.weight());
                }
            }
        }
    }

    /** Views of the row ranges {@code bounds} of {@code a}, or {@code a} itself for one range, in {@code owner}. */
    private static PtNDArray[] rows(PtNDArray a, long[] bounds, NDManager owner) {
        PtNDArray[] out = new PtNDArray[bounds.length - 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = out.length == 1 ? a : JniUtils.slice(a, 0, bounds[i], bounds[i + 1], 1);
            out[i].attach(owner);
        }
        return out;
    }

    /** Frees the moment buffers and views; the parameters stay. */
    @Override
    public void close() {
        manager.close();
    }
}
