package dev.sift.model;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * libtorch's grad mode belongs to a thread: on by default, turned off by DJL only on the thread that loads the PyTorch
 * engine, and a {@code GradientCollector} turns it on and, when closed, restores what it found. Code here writes
 * parameters in place outside a collector (central differences, copies between blocks), which PyTorch refuses while
 * grad mode is on for a parameter that requires gradients ("a leaf Variable that requires grad is being used in an
 * in-place operation"). Every model this package makes first turns it off on the calling thread, so a run on a
 * scheduler's worker thread behaves as one on the thread that loaded the engine.
 */
public final class Autograd {
    private Autograd() {
    }

    /** Grad mode off on this thread, as on the engine's; collectors turn it on for their own span. */
    public static void offOnThisThread() {
        Engine.getEngine("PyTorch"); // loads the native library before the JNI call
        JniUtils.setGradMode(false);
    }
}
