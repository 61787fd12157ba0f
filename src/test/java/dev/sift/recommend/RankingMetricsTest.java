package dev.sift.recommend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.recommend.RankingMetrics.Rank;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** 30 items with distinct scores 30, 29, ..., 1: item i is at rank i + 1 when nothing is excluded. */
    private static float[] descending() {
        float[] s = new float[30];
        for (int i = 0; i < s.length; i++) {
            s[i] = s.length - i;
        }
        return s;
    }

    @Test
    void targetAtRankOneTenAndElevenWithoutTies() {
        float[] s = descending();
        Rank r1 = RankingMetrics.rank(s, 0, new BitSet());
        Rank r10 = RankingMetrics.rank(s, 9, new BitSet());
        Rank r11 = RankingMetrics.rank(s, 10, new BitSet());
        assertEquals(new Rank(0, 0), r1);
        assertEquals(new Rank(9, 0), r10);
        assertEquals(new Rank(10, 0), r11);
        assertEquals(1.0, RankingMetrics.hit(r1, 10), 1e-12);
        assertEquals(1.0, RankingMetrics.hit(r10, 10), 1e-12);
        assertEquals(0.0, RankingMetrics.hit(r11, 10), 1e-12);
        assertEquals(1.0, RankingMetrics.ndcg(r1, 10), 1e-12);
        assertEquals(1 / log2(11), RankingMetrics.ndcg(r10, 10), 1e-12);
        assertEquals(0.0, RankingMetrics.ndcg(r11, 10), 1e-12);
        assertEquals(1.0, RankingMetrics.hit(r11, 20), 1e-12);
        assertEquals(1.0, RankingMetrics.reciprocal(r1), 1e-12);
        assertEquals(1.0 / 10, RankingMetrics.reciprocal(r10), 1e-12);
        assertEquals(1.0 / 11, RankingMetrics.reciprocal(r11), 1e-12);
    }

    @Test
    void ofNamesTheUsualSetInOrder() {
        Map<String, Double> m = RankingMetrics.of(new Rank(10, 0));
        assertEquals(List.of("hr@10", "ndcg@10", "recall@20", "mrr"), List.copyOf(m.keySet()));
        assertEquals(0.0, m.get("hr@10"), 1e-12);
        assertEquals(0.0, m.get("ndcg@10"), 1e-12);
        assertEquals(1.0, m.get("recall@20"), 1e-12);
        assertEquals(1.0 / 11, m.get("mrr"), 1e-12);
        Map<String, Double> top = RankingMetrics.of(new Rank(0, 0));
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0), List.copyOf(top.values()));
    }

    @Test
    void excludedItemsAboveOrTiedWithTheTargetDoNotCount() {
        float[] s = descending();
        s[20] = s[10]; // tied with the target
        BitSet excluded = new BitSet();
        excluded.set(0);
        excluded.set(3);
        excluded.set(7);
        excluded.set(20);
        excluded.set(25); // below the target: changes nothing either way
        Rank r = RankingMetrics.rank(s, 10, excluded);
        assertEquals(new Rank(7, 0), r); // 10 above, 3 of them excluded; the tie excluded
        assertEquals(1.0, RankingMetrics.hit(r, 10), 1e-12);
        assertEquals(1.0 / 8, RankingMetrics.reciprocal(r), 1e-12);
    }

    @Test
    void theTargetIsRankedEvenWhenItsOwnBitIsSet() {
        BitSet excluded = new BitSet();
        excluded.set(4);
        assertEquals(new Rank(4, 0), RankingMetrics.rank(descending(), 4, excluded));
        assertEquals(new Rank(4, 0), RankingMetrics.rank(descending(), 4, null));
    }

    @Test
    void targetTiedWithThreeOthersAtTheTop() {
        float[] s = {0.5f, 2, 1, 2, 2, 2, -1};
        Rank r = RankingMetrics.rank(s, 3, new BitSet());
        assertEquals(new Rank(0, 3), r);
        assertEquals(0.25, RankingMetrics.hit(r, 1), 1e-12);
        assertEquals(1.0, RankingMetrics.hit(r, 4), 1e-12);
        double ndcg = (1 + 1 / log2(3) + 1 / log2(4) + 1 / log2(5)) / 4;
        assertEquals(ndcg, RankingMetrics.ndcg(r, 10), 1e-12);
        assertEquals((1 + 1.0 / 2 + 1.0 / 3 + 1.0 / 4) / 4, RankingMetrics.reciprocal(r), 1e-12);
    }

    @Test
    void aTieStraddlingKCountsTheShareOfRanksInsideIt() {
        float[] s = new float[20];
        for (int i = 0; i < 8; i++) {
            s[i] = 10 + i;
        }
        for (int i = 8; i < 12; i++) {
            s[i] = 5; // ranks 9..12
        }
        Rank r = RankingMetrics.rank(s, 11, new BitSet());
        assertEquals(new Rank(8, 3), r);
        assertEquals(9, r.best());
        assertEquals(12, r.worst());
        assertEquals(2.0 / 4, RankingMetrics.hit(r, 10), 1e-12);
        assertEquals((1 / log2(10) + 1 / log2(11)) / 4, RankingMetrics.ndcg(r, 10), 1e-12);
        assertEquals((1.0 / 9 + 1.0 / 10 + 1.0 / 11 + 1.0 / 12) / 4, RankingMetrics.reciprocal(r), 1e-12);
        assertEquals(1.0, RankingMetrics.hit(r, 20), 1e-12);
    }

    @Test
    void allItemsScoredTheSameGivesTheRandomRankingsExpectation() {
        Rank r = RankingMetrics.rank(new float[100], 42, new BitSet());
        assertEquals(new Rank(0, 99), r);
        assertEquals(10.0 / 100, RankingMetrics.hit(r, 10), 1e-12);
    }

    @Test
    void nanScoresAndBadArgumentsAreRefused() {
        float[] s = descending();
        s[3] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RankingMetrics.rank(s, 0, new BitSet()));
        assertTrue(e.getMessage().contains("item 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.rank(descending(), 30, new BitSet()));
        assertThrows(IllegalArgumentException.class, () -> RankingMetrics.hit(new Rank(0, 0), 0));
        assertThrows(IllegalArgumentException.class, () -> new Rank(-1, 0));
    }
}
