package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A model below a random order on validation is named; at or above it, or with no verdict (NaN), nothing is said. */
class RankCheckTest {
    @Test
    void onlyAModelBelowARandomOrderIsWarnedOf() {
        assertEquals("the selected model of evaluation seed 0 ranks the validation pairs worse than a random order "
                + "(NDCG@10 0.1170 against 0.5333): below chance it has learned nothing the labels tell, or learned "
                + "them the wrong way round, and its test numbers pull the selected mean down; look at what its "
                + "training set holds (sift runs export --subset)", RankCheck.warning("selected", 0, 10, 0.117,
                        0.5333));
        assertNull(RankCheck.warning("random", 1, 10, 0.5333, 0.5333));
        assertNull(RankCheck.warning("random", 1, 10, 0.9, 0.5333));
        assertNull(RankCheck.warning("selected", 2, 10, Double.NaN, Double.NaN));
    }
}
