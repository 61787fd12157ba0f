package dev.sift.recommend;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Users' histories as a padded index matrix for the user tower: {@code ids [B, L]} item indexes, {@code mask [B, L]}
 * 1 for a real item and 0 for padding, {@code count [B, 1]} the real items (at least 1, so an empty history gives a
 * zero vector rather than a division by zero).
 */
record Batch(NDArray ids, NDArray mask, NDArray count) {
    /**
     * For training rows: each row's user's history with the row's own item left out (it is what is predicted),
     * the last {@code max} items of it.
     */
    static Batch of(NDManager m, Interactions data, int[][] histories, int[] rows, int max) {
        int[][] h = new int[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            int[] all = histories[data.user(rows[i])];
            int target = data.item(rows[i]);
            h[i] = java.util.Arrays.stream(all).filter(x -> x != target).toArray();
        }
        return ofHistories(m, h, max);
    }

    /** For histories as they are (item indexes in time order), the last {@code max} of each. */
    static Batch ofHistories(NDManager m, int[][] histories, int max) {
        int l = 1;
        for (int[] h : histories) {
            l = Math.max(l, Math.min(max, h.length));
        }
        long[] ids = new long[histories.length * l];
        float[] mask = new float[histories.length * l];
        float[] count = new float[histories.length];
        for (int i = 0; i < histories.length; i++) {
            int[] h = histories[i];
            int from = Math.max(0, h.length - max);
            for (int j = from; j < h.length; j++) {
                ids[i * l + j - from] = h[j];
                mask[i * l + j - from] = 1f;
            }
            count[i] = Math.max(1, h.length - from);
        }
        return new Batch(m.create(ids, new Shape(histories.length, l)), m.create(mask, new Shape(histories.length,
                l)), m.create(count, new Shape(histories.length, 1)));
    }
}
