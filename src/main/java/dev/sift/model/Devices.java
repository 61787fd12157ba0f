package dev.sift.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Where training and inference run. */
public final class Devices {
    private Devices() {
    }

    /** {@code auto}: a GPU when PyTorch sees one, else the CPU; {@code gpu} fails at once when there is none. */
    public static Device select(TrainSpec.DeviceChoice choice) {
        Engine engine = Engine.getEngine("PyTorch");
        return switch (choice) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (engine.getGpuCount() == 0) {
                    throw new IllegalArgumentException("fine_tune.device is gpu, but PyTorch sees no GPU (the "
                            + "pytorch-native-cpu library has no CUDA; see README, GPU)");
                }
                yield Device.gpu();
            }
            case AUTO -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        };
    }
}
