package dev.sift.model;

import java.util.function.Supplier;

/**
 * Stops training when the validation loss has not improved for {@code patience} epochs and keeps the weights
 * of the best epoch. Off without a validation split or with patience 0.
 */
final class EarlyStopping {
    private static final double MIN_IMPROVEMENT = 1e-6;

    private final boolean on;
    private final int patience;
    private final int epochs;
    private byte[] best;
    private double bestLoss = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int sinceBest;

    EarlyStopping(TrainSpec spec, boolean validation) {
        this.on = validation && spec.patience() > 0;
        this.patience = spec.patience();
        this.epochs = spec.epochs();
    }

    /** Notes the validation loss after {@code epoch}; true when training should stop now. */
    boolean stop(int epoch, double validationLoss, Supplier<byte[]> weights) {
        if (!on) {
            return false;
        }
        if (validationLoss < bestLoss - MIN_IMPROVEMENT) {
            bestLoss = validationLoss;
            bestEpoch = epoch;
            sinceBest = 0;
            // after the last epoch the current weights are the best ones: no copy needed
            best = epoch < epochs ? weights.get() : null;
            return false;
        }
        return ++sinceBest >= patience;
    }

    /** The weights to keep after {@code epochsRun} epochs: the best epoch's, or {@code current}. */
    byte[] weights(int epochsRun, Supplier<byte[]> current) {
        return keptEarlier(epochsRun) ? best : current.get();
    }

    /** The epoch whose weights {@link #weights} keeps. */
    int keptEpoch(int epochsRun) {
        return keptEarlier(epochsRun) ? bestEpoch : epochsRun;
    }

    private boolean keptEarlier(int epochsRun) {
        return best != null && bestEpoch < epochsRun;
    }
}
