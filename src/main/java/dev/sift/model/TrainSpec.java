package dev.sift.model;

import java.util.Locale;

/**
 * Optimisation: AdamW with {@code warmup} (fraction of all steps) linear warm-up then linear decay,
 * gradient clipping at global norm {@code clipNorm} (0 = off), early stopping after {@code patience}
 * epochs without a better validation loss (0 = off).
 */
public record TrainSpec(int epochs, int batchSize, double learningRate, long seed, double weightDecay,
        double warmup, double clipNorm, int patience, DeviceChoice device) {

    /** The same settings with another seed (initialisation, sample order, dropout). */
    public TrainSpec withSeed(long other) {
        return new TrainSpec(epochs, batchSize, learningRate, other, weightDecay, warmup, clipNorm, patience, device);
    }

    /** Where training runs: a GPU when DJL sees one ({@code auto}), or as told. */
    public enum DeviceChoice {
        AUTO, CPU, GPU;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
