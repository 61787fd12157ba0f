package dev.sift.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * DJL's native AdamW kernel ({@code adamUpdate}, what {@link FlatAdamW} calls otherwise) as loops in Java over
 * the parameter's memory, for one CPU parameter. The kernel runs thirteen PyTorch passes over the tensor and makes
 * seven temporaries of its size: a gradient clone, {@code w*lr}, {@code *wd}, {@code m*lr'}, {@code sqrt(v)},
 * {@code +eps} and the quotient. On a small model it takes the largest share of a step (the hashed model at its
 * defaults: the 262,144 tower weights, about a third of a training step; README, "the hashed model's training
 * speed"). Here the moments live in Java arrays, the weight and gradient are read (and the weight written) through
 * PyTorch's own memory by bulk copies of a direct buffer, and the arithmetic is two passes in Java (decay and
 * moments, then the step) around one native one, the square root, with no temporaries but the root.
 *
 * <p>Same floats, element for element, as the kernel's passes: {@code w -= (w*lr)*wd}, {@code m = m*b1} then
 * {@code m + (1-b1)*g} as one fused multiply-add (PyTorch's vectorised {@code add_} with alpha is {@code fmadd}),
 * {@code v = v*b2} then {@code v + ((1-b2)*g)*g} (its {@code addcmul_}; here one fused multiply-add of the
 * product and {@code v}, which matched it on every element tested), {@code w -= (m*lr')/(sqrt(v)+eps)} with
 * PyTorch's own square root; the gradient scaled first only when {@code rescale}
 * is not 1 (the kernel's {@code mul_}), no clipping. {@code FlatAdamWTest} checks it bit for bit against DJL's
 * {@code AdamW} on this machine's PyTorch, tails of the vector loops included. A CPU without FMA (PyTorch's scalar
 * fallback rounds twice) would differ in the last bit, not in the maths.
 */
final class AdamWLoop {
    private final PtNDArray weight;
    private final FloatBuffer weights;
    /** The second moments' copy PyTorch takes the square root of. */
    private final PtNDArray variance;
    private final FloatBuffer variances;
    private final float[] w;
    private final float[] m;
    private final float[] v;
    /** What the square root is taken of: {@link #v}, raised to {@link #negligibleVariance} where it is below. */
    private final float[] r;

    /**
     * @param weight a detached alias of the parameter (same storage), contiguous, float32, on the CPU
     * @param manager where the native copy of the second moments lives
     */
    AdamWLoop(PtNDArray weight, NDManager manager) {
        this.weight = weight;
        this.weights = floats(weight);
        int n = Math.toIntExact(weight.size());
        this.variance = (PtNDArray) manager.zeros(new Shape(n));
        this.variances = floats(variance);
        this.w = new float[n];
        this.m = new float[n];
        this.v = new float[n];
        this.r = new float[n];
    }

    private static FloatBuffer floats(PtNDArray a) {
        return JniUtils.getByteBuffer(a, true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** One update from {@code gradient}, read in {@code scratch} (at least the parameter's size). */
    void update(PtNDArray gradient, float[] scratch, float lr, float lrCorrected, float weightDecay, float rescale,
            float beta1, float beta2, float epsilon) {
        int n = w.length;
        FloatBuffer grads = floats(gradient);
        if (grads.remaining() < n) {
            throw new IllegalStateException("gradient of " + grads.remaining() + " elements for " + n + " weights");
        }
        grads.get(0, scratch, 0, n);
        weights.get(0, w, 0, n);
        float tiny = negligibleVariance(epsilon);
        moments(scratch, n, rescale, lr, weightDecay, beta1, beta2, tiny);
        // PyTorch's float sqrt (MKL's) is not always the correctly rounded one Java's is: 1 ulp apart on about one
        // element in six; so the root is PyTorch's, one native pass
        variances.put(0, r, 0, n);
        try (PtNDArray root = (PtNDArray) variance.sqrt()) {
            floats(root).get(0, scratch, 0, n);
        }
        float[] w = this.w;
        float[] m = this.m;
        float[] v = this.v;
        for (int i = 0; i < n; i++) {
            // sqrt(max(v, tiny)) + epsilon: below tiny, the root of tiny added to epsilon rounds to epsilon
            w[i] = w[i] - m[i] * lrCorrected / (scratch[i] + epsilon);
        }
        weights.put(0, w, 0, n);
    }

    /**
     * Below this second moment, {@code sqrt(v) + epsilon} rounds to {@code epsilon} however the root is rounded:
     * the root is under an eighth of epsilon's ulp, so the exact sum is nearer to epsilon than to any other float.
     * Such moments are common (zero for every weight whose gradient has always been zero, such as the columns of
     * hashed buckets no batch has had yet) and are the slow inputs of MKL's vectorised square root: over 262,144
     * floats, 0.37 ms when all are 1, 1.4 ms when all are 0, 9.5 ms when all are subnormal (PyTorch 2.13 on this
     * machine, one thread). So they reach it raised to this bound, a normal float whose root added to epsilon rounds
     * to epsilon: the same denominator as the moment's own root gives, at the root's fast path.
     */
    static float negligibleVariance(float epsilon) {
        double root = Math.ulp(epsilon) / 8.0;
        return (float) (root * root);
    }

    /**
     * Weight decay into {@link #w}, the moment estimates into {@link #m} and {@link #v}, the square root's input into
     * {@link #r}.
     */
    private void moments(float[] g, int n, float rescale, float lr, float weightDecay, float beta1, float beta2,
            float tiny) {
        float a1 = 1 - beta1;
        float a2 = 1 - beta2;
        float[] w = this.w;
        float[] m = this.m;
        float[] v = this.v;
        float[] r = this.r;
        for (int i = 0; i < n; i++) {
            float gi = g[i] * rescale; // the kernel's mul_ of the gradient (times 1 is the same float)
            w[i] = w[i] - w[i] * lr * weightDecay;
            m[i] = Math.fma(gi, a1, m[i] * beta1);
            float vi = Math.fma(a2 * gi, gi, v[i] * beta2);
            v[i] = vi;
            r[i] = Math.max(vi, tiny); // no branch: C2 vectorises this loop (with a conditional it did not)
        }
    }
}
