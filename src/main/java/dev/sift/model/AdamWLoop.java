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
 * speed"). Here the weight, gradient and moments are read (and the weight and moments written) through PyTorch's
 * own memory by bulk copies of direct buffers, a chunk of {@link #DEFAULT_CHUNK} elements at a time into arrays
 * that stay in cache, and the arithmetic is two passes in Java (decay and moments, then the step) around one native
 * one, the square root, with no temporaries but the root.
 *
 * <p>One thread: split between two, MiniLM's update took 90-120 ms a step against 100-135 ms on one, but the
 * second thread's square roots (MKL's, which ATen splits in parts of 2,048 elements) started an OpenMP team of its
 * own, and with more OpenMP threads than cores libgomp stops spinning early for all of them: whole training steps
 * (batch 32) took 930-1,100 ms in that process, 720-740 ms without the second thread (README, "bench model").
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
    /**
     * Elements a pass handles at a time: five scratch arrays of this size (320 KiB) stay in a core's cache. On
     * MiniLM's parameters (measured with the update split between two threads), 2^14 to 2^15 took 90-120 ms a step,
     * 2^13 160 ms.
     */
    static final int DEFAULT_CHUNK = 1 << 14;

    private final FloatBuffer weights;
    private final FloatBuffer means;
    private final FloatBuffer variances;
    private final int size;

    /**
     * @param weight a detached alias of the parameter (same storage), contiguous, float32, on the CPU
     * @param manager where the moment estimates live (native memory, zeroed)
     */
    AdamWLoop(PtNDArray weight, NDManager manager) {
        this.weights = floats(weight);
        this.size = Math.toIntExact(weight.size());
        this.means = floats((PtNDArray) manager.zeros(new Shape(size)));
        this.variances = floats((PtNDArray) manager.zeros(new Shape(size)));
    }

    private static FloatBuffer floats(PtNDArray a) {
        return JniUtils.getByteBuffer(a, true).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /**
     * The arrays a pass works in, a chunk of elements at a time, and the native array PyTorch takes the square root
     * of; one per optimiser, shared by its parameters.
     */
    static final class Scratch {
        final float[] g;
        final float[] w;
        final float[] m;
        final float[] v;
        final float[] r;
        private final PtNDArray roots;
        private final FloatBuffer rootInput;

        Scratch(int chunk, NDManager manager) {
            g = new float[chunk];
            w = new float[chunk];
            m = new float[chunk];
            v = new float[chunk];
            r = new float[chunk];
            roots = (PtNDArray) manager.zeros(new Shape(chunk));
            rootInput = floats(roots);
        }

        /** PyTorch's square roots of {@link #r}'s first {@code n} into {@link #g}. */
        void sqrt(int n) {
            rootInput.put(0, r, 0, n); // a shorter last chunk leaves earlier moments after n: roots of those, unread
            try (PtNDArray root = (PtNDArray) roots.sqrt()) {
                floats(root).get(0, g, 0, n);
            }
        }
    }

    /** One update from {@code gradient}, chunk by chunk through {@code s}. */
    void update(PtNDArray gradient, Scratch s, float lr, float lrCorrected, float weightDecay, float rescale,
            float beta1, float beta2, float epsilon) {
        FloatBuffer grads = floats(gradient);
        if (grads.remaining() < size) {
            throw new IllegalStateException("gradient of " + grads.remaining() + " elements for " + size + " weights");
        }
        float tiny = negligibleVariance(epsilon);
        int chunk = s.g.length;
        for (int off = 0; off < size; off += chunk) {
            int n = Math.min(chunk, size - off);
            grads.get(off, s.g, 0, n);
            weights.get(off, s.w, 0, n);
            means.get(off, s.m, 0, n);
            variances.get(off, s.v, 0, n);
            moments(s, n, rescale, lr, weightDecay, beta1, beta2, tiny);
            means.put(off, s.m, 0, n);
            variances.put(off, s.v, 0, n);
            // PyTorch's float sqrt (MKL's) is not always the correctly rounded one Java's is: 1 ulp apart on about
            // one element in six; so the root is PyTorch's, one native pass
            s.sqrt(n);
            float[] w = s.w;
            float[] m = s.m;
            float[] root = s.g;
            for (int i = 0; i < n; i++) {
                // sqrt(max(v, tiny)) + epsilon: below tiny, the root of tiny added to epsilon rounds to epsilon
                w[i] = w[i] - m[i] * lrCorrected / (root[i] + epsilon);
            }
            weights.put(off, w, 0, n);
        }
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
     * Weight decay into {@code s.w}, the moment estimates into {@code s.m} and {@code s.v}, the square root's input
     * into {@code s.r}, for the chunk's first {@code n} elements, from the gradient in {@code s.g}.
     */
    private static void moments(Scratch s, int n, float rescale, float lr, float weightDecay, float beta1,
            float beta2, float tiny) {
        float a1 = 1 - beta1;
        float a2 = 1 - beta2;
        float[] g = s.g;
        float[] w = s.w;
        float[] m = s.m;
        float[] v = s.v;
        float[] r = s.r;
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
