package dev.sift.importance;

import java.util.List;

/** The registry of methods by workflow name. */
public final class ImportanceMethods {
    /** Names accepted in {@code score.methods}, in the default order. */
    public static final List<String> NAMES = List.of("loss", "el2n", "grad_norm");

    private ImportanceMethods() {
    }

    public static ImportanceMethod byName(String name) {
        return switch (name) {
            case "loss" -> new PerSampleLoss();
            case "el2n" -> new El2n();
            case "grad_norm" -> new LastLayerGradNorm();
            default -> throw new IllegalArgumentException("unknown importance method: " + name);
        };
    }
}
