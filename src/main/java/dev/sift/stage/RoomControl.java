package dev.sift.stage;

import dev.sift.recommend.TwoTower;
import dev.sift.stage.StageOutputs.FilterOutput;

/**
 * Which random control can be held against the full training split to say how much room a subset of the kept size
 * has ({@link dev.sift.store.Headroom}): only a plain random subset smaller than the training split, never a control
 * that changes weights or labels or keeps every row.
 */
final class RoomControl {
    private RoomControl() {
    }

    /**
     * A relevance iteration's: from iteration 2 the draw from the whole training split ({@code random-train}), else
     * the kept set's own random control ({@code random}) where it is a plain subset; either only where the kept set
     * is smaller than the training split of {@code train} samples (a {@code weighted} or {@code relabel} control
     * changes weights or labels instead, and their kept set is the whole pool). Null where there is none.
     */
    static String search(FilterOutput filter, Subsets.Training random, int train) {
        if (filter.kept() >= train) {
            return null;
        }
        if (filter.randomTrainKey() != null) {
            return "random-train";
        }
        boolean plain = random.weights() == null && random.labels() == null;
        return plain && random.indices().length < train ? "random" : null;
    }

    /**
     * Whether recommendation's random control is a subset of fewer than the {@code full} training rows with no
     * weights and no truncated loss: truncation's (a random draw at the kept size that keeps each user's last rows,
     * as the policy does), not reweighting's (every row, the weights shuffled) or ADT's (every row, a random drop in
     * training).
     */
    static boolean recommendation(Subsets.Training random, int full, String policy, double keep) {
        return random.weights() == null && random.indices().length < full
                && TwoTower.Truncation.NONE.equals(RecFilterStage.truncation(policy, keep, true));
    }
}
