package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A model below a random order on validation is named; at or above it, or with no verdict (NaN), nothing is said. */
class RankCheckTest {
    @Test
    void onlyAModelBelowARandomOrderIsWarnedOf() {
        assertEquals("the selected model of evaluation seed 0 ranks the validation pairs worse than a random order "
                + "(NDCG@10 0.1170 against 0.5333, on 15 queries); its test numbers are in the selected mean: look at "
                + "what its training set holds (sift runs export --subset)", RankCheck.warning("selected", 0, 10,
                        0.117, 0.5333, 15));
        assertNull(RankCheck.warning("selected", 1, 10, 0.5333, 0.5333, 15));
        assertNull(RankCheck.warning("selected", 1, 10, 0.9, 0.5333, 15));
        assertNull(RankCheck.warning("selected", 2, 10, Double.NaN, Double.NaN, 0));
    }
}
