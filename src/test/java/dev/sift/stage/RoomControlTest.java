package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.stage.StageOutputs.FilterOutput;
import org.junit.jupiter.api.Test;

/**
 * Which random control may be held against the full set ({@code dev.sift.store.Headroom}): a plain subset smaller
 * than the training split, never a control that changes weights or labels or keeps every row.
 */
class RoomControlTest {
    private static final Subsets.Training SUBSET = new Subsets.Training(new int[] {1, 2, 3}, null, null);
    private static final Subsets.Training EVERY_ROW = new Subsets.Training(new int[] {0, 1, 2, 3, 4}, null, null);
    private static final Subsets.Training WEIGHTED = new Subsets.Training(new int[] {0, 1, 2, 3, 4},
            new double[] {1, 1, 1, 1, 1}, null);

    @Test
    void recommendationHoldsOnlyTruncationsControlAgainstFull() {
        assertTrue(RoomControl.recommendation(SUBSET, 5, "truncated", 0.6));
        assertFalse(RoomControl.recommendation(WEIGHTED, 5, "reweighted", 0.9), "weights shuffled over every row");
        assertFalse(RoomControl.recommendation(EVERY_ROW, 5, "adt", 0.9), "every row, dropped in training");
        assertFalse(RoomControl.recommendation(SUBSET, 5, "adt", 0.9), "a truncated loss is not a subset");
    }

    @Test
    void searchHoldsAPlainSmallerControlOrTheDrawFromTheTrainingSplit() {
        assertEquals("random", RoomControl.search(filter(3, null), SUBSET, 5));
        assertNull(RoomControl.search(filter(5, null), WEIGHTED, 5), "weighted keeps the whole pool");
        assertNull(RoomControl.search(filter(3, null), new Subsets.Training(new int[] {1, 2, 3}, null,
                new int[] {0, 1, 2}), 5), "relabel's control changes labels");
        assertEquals("random-train", RoomControl.search(filter(3, "train.json"), SUBSET, 5));
        // iteration 2 of a policy that kept everything: the draw from the training split would be all of it
        assertNull(RoomControl.search(filter(5, "train.json"), EVERY_ROW, 5));
    }

    private static FilterOutput filter(int kept, String randomTrainKey) {
        return new FilterOutput("loss", "lowest", 5, kept, "s", "r", "s3://s", "s3://r", null, null, null,
                randomTrainKey, "top_fraction", null);
    }
}
