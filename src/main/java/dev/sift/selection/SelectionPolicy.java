package dev.sift.selection;

/** Turns per-sample scores into the positions of the samples to keep. */
public interface SelectionPolicy {
    /** Sorted positions (into {@code scores}) of the kept samples. */
    int[] select(double[] scores);
}
