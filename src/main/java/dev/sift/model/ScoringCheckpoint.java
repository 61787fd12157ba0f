package dev.sift.model;

import java.util.Locale;

/**
 * Which weights of a trained model score the samples ({@code score.checkpoint}): {@code best}, the weights early
 * stopping kept (the last epoch's when nothing stopped it); {@code final}, the last epoch's; {@code epoch:K}, the
 * weights right after epoch K (early in training, before the model memorises flipped labels: Paul et al. 2021
 * score EL2N after a few epochs); {@code mean}, every epoch's weights, each scoring the pool, the scores averaged.
 * Methods that read training dynamics read the epochs up to the checkpoint ({@code epoch:K}: the first K).
 */
public record ScoringCheckpoint(Kind kind, int epoch) {
    public static final ScoringCheckpoint BEST = new ScoringCheckpoint(Kind.BEST, 0);

    public enum Kind {
        BEST, FINAL, EPOCH, MEAN
    }

    /** Parses {@code best | final | mean | epoch:K}; throws IllegalArgumentException with the accepted forms. */
    public static ScoringCheckpoint parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "best":
                return BEST;
            case "final":
                return new ScoringCheckpoint(Kind.FINAL, 0);
            case "mean":
                return new ScoringCheckpoint(Kind.MEAN, 0);
            default:
                if (t.startsWith("epoch:")) {
                    try {
                        int k = Integer.parseInt(t.substring("epoch:".length()).trim());
                        if (k >= 1) {
                            return new ScoringCheckpoint(Kind.EPOCH, k);
                        }
                    } catch (NumberFormatException e) {
                        // falls through to the message
                    }
                }
                throw new IllegalArgumentException("must be best, final, mean or epoch:K with K >= 1, got '" + text
                        + "'");
        }
    }

    /** Whether training must hand back weights besides the kept ones. */
    public boolean needsEpochWeights() {
        return kind != Kind.BEST;
    }

    /** The number of recorded epochs the dynamics-based methods read, of {@code recorded}. */
    public int dynamicsEpochs(int recorded) {
        return kind == Kind.EPOCH ? Math.min(epoch, recorded) : recorded;
    }

    @Override
    public String toString() {
        return kind == Kind.EPOCH ? "epoch:" + epoch : kind.name().toLowerCase(Locale.ROOT);
    }
}
