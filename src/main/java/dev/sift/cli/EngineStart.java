package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.model.AdamWChoice;
import dev.sift.model.Devices;

/**
 * The start-up checks of every entry point that may load DJL, in a class of their own: {@link ModelBenchMain} runs
 * on a thin class path without Quarkus, so it must not load {@link SiftMain}.
 */
final class EngineStart {
    private EngineStart() {
    }

    /**
     * What every entry point that may load DJL does first ({@code sift} and {@link ModelBenchMain}): DJL offline
     * unless set otherwise, a misspelt SIFT_ADAMW or SIFT_INFERENCE refused before a run reaches its first training, and a
     * PYTORCH_LIBRARY_PATH of another libtorch release refused before DJL loads it (it would fail or crash the JVM).
     * Returns the exit code of a refusal after printing its one line, or null.
     */
    static Integer refusal() {
        try {
            AdamWChoice.current();
            Devices.inference(System.getenv(Devices.INFERENCE));
        } catch (IllegalArgumentException e) {
            System.err.println("sift: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try {
            dev.sift.model.LibTorchCheck.check();
        } catch (IllegalArgumentException e) {
            System.err.println("sift: " + e.getMessage());
            return ExitCodes.ENVIRONMENT;
        }
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        return null;
    }
}
