package dev.sift.data;

import static java.util.Objects.requireNonNull;

/**
 * One prepared sample. {@code index} is its stable position in the prepared dataset; importance scores,
 * subsets and explanations refer to samples by it.
 *
 * @param group the ranking group (the query unless a group column is mapped); NDCG is computed per group
 * @param user keyed hash of the user id, or null
 * @param noisy whether the source marked the label as corrupted (synthetic data only), else false
 * @param item the item's key in the source (recommendation: what is ranked), or null
 */
public record Sample(int index, String query, String title, String description, double label, String group,
        String user, boolean noisy, Split split, long sourceLine, String item) {
    public Sample {
        requireNonNull(query, "query is null");
        requireNonNull(title, "title is null");
        requireNonNull(description, "description is null");
        requireNonNull(group, "group is null");
        requireNonNull(split, "split is null");
    }

    /** A sample without an item key. */
    public Sample(int index, String query, String title, String description, double label, String group,
            String user, boolean noisy, Split split, long sourceLine) {
        this(index, query, title, description, label, group, user, noisy, split, sourceLine, null);
    }

    public Sample withIndexAndSplit(int newIndex, Split newSplit) {
        return new Sample(newIndex, query, title, description, label, group, user, noisy, newSplit, sourceLine,
                item);
    }
}
