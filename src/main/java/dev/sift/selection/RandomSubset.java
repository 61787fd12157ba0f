package dev.sift.selection;

import java.util.Arrays;
import java.util.Random;

/** The baseline: k positions out of n drawn uniformly without replacement with a seed. */
public record RandomSubset(int k, long seed) {
    public int[] select(int n) {
        if (k > n || k < 0) {
            throw new IllegalArgumentException("cannot draw " + k + " of " + n);
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Random r = new Random(seed);
        for (int i = 0; i < k; i++) {
            int j = i + r.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] out = Arrays.copyOf(idx, k);
        Arrays.sort(out);
        return out;
    }
}
