package dev.sift.selection;

import java.util.Arrays;
import java.util.Random;

/**
 * The training set a policy builds from the pool: the positions trained on, and optionally a loss weight and a
 * replacement grade (class index) per position.
 *
 * @param positions sorted positions into the pool
 * @param weights loss weight per position (mean 1 over the positions), or null for weight 1 everywhere
 * @param labels the class index to train position {@code i} with, -1 to keep its own; or null for no change
 */
public record Selection(int[] positions, double[] weights, int[] labels) {
    public Selection {
        if ((weights != null && weights.length != positions.length)
                || (labels != null && labels.length != positions.length)) {
            throw new IllegalArgumentException("weights and labels need one entry per position");
        }
    }

    /** A plain subset: weight 1, labels as they are. */
    public static Selection subset(int[] positions) {
        return new Selection(positions, null, null);
    }

    /** Every position of a pool of {@code n}. */
    static int[] all(int n) {
        int[] out = new int[n];
        Arrays.setAll(out, i -> i);
        return out;
    }

    /**
     * A seeded random order of 0..n-1 (Fisher-Yates from the end): {@code a[p[i]]} is {@code a} shuffled, for the
     * controls that move a policy's weights or grades to random places.
     */
    static int[] permutation(int n, long seed) {
        int[] p = all(n);
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Whether the policy changes more than membership. */
    public boolean adjusted() {
        return weights != null || labels != null;
    }

    /** How many positions train with a replaced label. */
    public int relabelled() {
        return labels == null ? 0 : (int) Arrays.stream(labels).filter(l -> l >= 0).count();
    }
}
