package dev.sift.importance;

/** Which end of a method's scores marks the samples worth keeping. */
public enum Orientation {
    /** Higher = more helpful or cleaner: keep the highest. */
    HIGHER_IS_KEEP,
    /** Higher = harder for the model or more likely mislabelled: the lowest are the safe ones to keep. */
    HIGHER_IS_REMOVE;

    /** Scores turned so that higher = keep, for weights and rank ensembles. */
    public double[] toKeep(double[] scores) {
        if (this == HIGHER_IS_KEEP) {
            return scores.clone();
        }
        double[] out = new double[scores.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = -scores[i];
        }
        return out;
    }

    /** Scores turned so that higher = remove (more likely noise): the noise end of the ranking first. */
    public double[] toRemove(double[] scores) {
        return (this == HIGHER_IS_KEEP ? HIGHER_IS_REMOVE : HIGHER_IS_KEEP).toKeep(scores);
    }

    /** The kept end in {@code filter.order}'s words: {@code highest} or {@code lowest}. */
    public String keepEnd() {
        return this == HIGHER_IS_KEEP ? "highest" : "lowest";
    }

    /** In words, for listings. */
    public String describe() {
        return this == HIGHER_IS_KEEP ? "higher = keep" : "higher = remove";
    }
}
