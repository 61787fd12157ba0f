package dev.sift.model;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * Hands memory back to the operating system between the trainings of a large model, so that one run's resident peak
 * does not grow from training to training (README, "Memory: the MiniLM `full` fine-tune of CrowdFlower"). Measured
 * on the MiniLM `full` workflow over a 1,600-row slice of CrowdFlower, 3 evaluation seeds, {@code -Xmx2g}: the heap
 * G1 had committed grew from 0.72 to 1.49 GiB over the run's trainings while the heap in use stayed at 0.24-0.67 GiB,
 * and the resident peak came last, when the zero-shot baseline's encoder started on top of it. After a training of a
 * model of at least {@link #LARGE_MODEL_BYTES}: a full collection (G1 then shrinks the committed heap to the launcher's
 * {@code -XX:MaxHeapFreeRatio}), and glibc's {@code malloc_trim(0)}, which returns the free pages libtorch's freed
 * tensors left in malloc's arenas. Both cost well under a second against minutes of training; neither changes a
 * result. Small models (the hashed model, heads) train many times a run and are skipped.
 */
final class MemoryRelief {
    /** Models whose stored weights are at least this large get the relief after training (MiniLM: 90 MB). */
    static final long LARGE_MODEL_BYTES = 32L << 20;
    private static final Function TRIM = trimFunction();

    private MemoryRelief() {
    }

    /** After a training of a model whose weights were {@code weightBytes} long; returns whether it ran. */
    static boolean afterTraining(long weightBytes) {
        if (weightBytes < LARGE_MODEL_BYTES) {
            return false;
        }
        System.gc();
        trim();
        return true;
    }

    /**
     * After inference with a model whose weights were {@code weightBytes} long (test, validation and scoring passes,
     * embeddings), and before a training starts: a full collection when closed models' weights may still hold
     * native memory (at least {@code weightBytes} in direct buffers), then glibc's {@code malloc_trim(0)}. DJL copies
     * weights it creates from Java arrays (every decoded checkpoint, every pretrained tensor) into direct buffers
     * that the tensors alias, and such a buffer's memory goes back only when a collection finds the buffer
     * unreachable; closing the model does not free it. The passes' activations, freed by libtorch, stay resident in
     * malloc's arenas until the trim. On the 2,000-record CrowdFlower slice (README, "Memory and speed"), without
     * this the test passes of three kept models raised the process from 1.46 to 1.98 GiB resident and the training
     * after them took it to 3.01 GiB, 0.88 GiB above every training before; with the trim alone the trainings stayed
     * at 2.46 GiB and below, but the full models' test passes and the zero-shot embeddings at the end still climbed
     * to 2.75 GiB, then fell to 1.54 GiB at the next collection; with both, the run peaked at 2.23 GiB. Returns
     * whether it ran.
     */
    static boolean afterInference(long weightBytes) {
        if (weightBytes < LARGE_MODEL_BYTES) {
            return false;
        }
        if (directBytes() >= weightBytes) {
            System.gc();
        }
        trim();
        return true;
    }

    /** Bytes in the JVM's direct buffers now, collectable or not (0 when the JVM does not say). */
    static long directBytes() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return Math.max(0, pool.getMemoryUsed());
            }
        }
        return 0;
    }

    /** Whether this C library has {@code malloc_trim} (glibc); elsewhere only the collection runs. */
    static boolean canTrim() {
        return TRIM != null;
    }

    /** glibc's {@code malloc_trim(0)}: 1 when it released memory, 0 when none, -1 when there is no such function. */
    static int trim() {
        if (TRIM == null) {
            return -1;
        }
        try {
            return TRIM.invokeInt(new Object[] {0});
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }

    private static Function trimFunction() {
        if (!Platform.isLinux()) {
            return null;
        }
        try {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("malloc_trim");
        } catch (RuntimeException | LinkageError e) {
            return null; // not glibc (musl has no malloc_trim)
        }
    }
}
