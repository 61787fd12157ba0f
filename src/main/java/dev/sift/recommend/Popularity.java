package dev.sift.recommend;

/**
 * The most-popular baseline: an item's score is how many training interactions it has, the same for every user.
 * Repeated (user, item) pairs count each time they occur.
 */
public final class Popularity {
    private Popularity() {
    }

    /**
     * Interactions per item, as float scores for {@link RankingMetrics#rank}.
     *
     * @param items number of items; the result has this length
     * @param item the item of each training interaction, each in {@code 0 .. items - 1}
     * @throws IllegalArgumentException when an item is out of range
     */
    public static float[] counts(int items, int[] item) {
        float[] c = new float[items];
        for (int j = 0; j < item.length; j++) {
            int i = item[j];
            if (i < 0 || i >= items) {
                throw new IllegalArgumentException("interaction " + j + ": item " + i + " out of range 0.."
                        + (items - 1));
            }
            c[i]++;
        }
        return c;
    }
}
