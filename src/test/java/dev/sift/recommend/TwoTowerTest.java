package dev.sift.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.model.TrainSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The two-tower on two clusters of users and items: it learns them; same seed, same weights. */
class TwoTowerTest {
    /** Users 0-9 like items 0-9, users 10-19 items 10-19: 6 training items each, then validation, then test. */
    static Interactions clusters() {
        List<Sample> s = new ArrayList<>();
        Random r = new Random(3);
        for (int u = 0; u < 20; u++) {
            List<Integer> liked = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                liked.add((u < 10 ? 0 : 10) + i);
            }
            java.util.Collections.shuffle(liked, r);
            for (int j = 0; j < 8; j++) {
                Split split = j == 7 ? Split.TEST : j == 6 ? Split.VALIDATION : Split.TRAIN;
                String item = "i" + liked.get(j);
                s.add(new Sample(s.size(), "u" + u, "title " + item, "", 1, "u" + u, "u" + u, false, split, s.size(),
                        item));
            }
        }
        return Interactions.of(s);
    }

    static float[][] text(int items, long seed) {
        Random r = new Random(seed);
        float[][] t = new float[items][16];
        for (float[] v : t) {
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) r.nextGaussian();
            }
        }
        return t;
    }

    static TwoTower.Spec spec(int epochs, long seed) {
        return new TwoTower.Spec(8, 10, 1000, 0.1, true, new TrainSpec(epochs, 16, 0.02, seed, 0.0, 0.0, 0, 0,
                TrainSpec.DeviceChoice.CPU));
    }

    private static double meanHit(Interactions d, float[][] scores, int k) {
        BitSet[] known = d.known(Split.TEST);
        double sum = 0;
        int[] users = d.usersWith(Split.TEST);
        for (int u : users) {
            sum += RankingMetrics.hit(RankingMetrics.rank(scores[u], d.item(d.target(u, Split.TEST)), known[u]), k);
        }
        return sum / users.length;
    }

    @Test
    void learnsTheClustersThatPopularityCannotSee() {
        Interactions d = clusters();
        assertEquals(20, d.items());
        float[][] text = text(d.items(), 5);
        int[] rows = d.trainRows();
        TwoTower.Trained t = TwoTower.train(d, text, rows, null, spec(30, 1), true, (e, l, s) -> { });
        float[][] scores = TwoTower.scores(t.weights(), text, d.histories(rows, true), spec(30, 1));
        int[] items = Arrays.stream(rows).map(d::item).toArray();
        float[] pop = Popularity.counts(d.items(), items);
        float[][] popScores = new float[d.users()][];
        Arrays.fill(popScores, pop);
        // 13 items are ranked per user (20 minus 6 training and 1 validation): 3 of them in the user's cluster
        double twoTower = meanHit(d, scores, 3);
        double popularity = meanHit(d, popScores, 3);
        assertTrue(twoTower > 0.8, "two-tower hit@3 " + twoTower);
        assertTrue(popularity < 0.5, "popularity hit@3 " + popularity);
        float[][] byEpoch = t.dynamics().lossByEpoch();
        assertEquals(30, byEpoch.length);
        assertEquals(rows.length, byEpoch[0].length);
        assertTrue(mean(byEpoch[29]) < 0.7 * mean(byEpoch[0]), mean(byEpoch[0]) + " -> " + mean(byEpoch[29]));
        assertEquals(rows.length, t.dynamics().el2n().length);
        for (float e : t.dynamics().el2n()) {
            assertTrue(e >= 0 && e <= Math.sqrt(2) + 1e-5, "EL2N of a softmax against a one-hot is in [0, sqrt 2]");
        }
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        Interactions d = clusters();
        float[][] text = text(d.items(), 5);
        int[] rows = d.trainRows();
        var a = TwoTower.train(d, text, rows, null, spec(3, 7), false, (e, l, s) -> { }).weights();
        var b = TwoTower.train(d, text, rows, null, spec(3, 7), false, (e, l, s) -> { }).weights();
        var c = TwoTower.train(d, text, rows, null, spec(3, 8), false, (e, l, s) -> { }).weights();
        assertArrayEquals(a.get("W").values(), b.get("W").values());
        assertArrayEquals(a.get("E").values(), b.get("E").values());
        assertTrue(!Arrays.equals(a.get("W").values(), c.get("W").values()));
    }

    @Test
    void unitWeightsTrainAsNoWeightsAndOtherWeightsOtherwise() {
        Interactions d = clusters();
        float[][] text = text(d.items(), 5);
        int[] rows = d.trainRows();
        float[] ones = new float[rows.length];
        Arrays.fill(ones, 1f);
        float[] half = ones.clone();
        for (int i = 0; i < half.length; i += 2) {
            half[i] = 0f;
        }
        var plain = TwoTower.train(d, text, rows, null, spec(2, 7), false, (e, l, s) -> { }).weights();
        var unit = TwoTower.train(d, text, rows, ones, spec(2, 7), false, (e, l, s) -> { }).weights();
        var weighted = TwoTower.train(d, text, rows, half, spec(2, 7), false, (e, l, s) -> { }).weights();
        assertArrayEquals(plain.get("W").values(), unit.get("W").values());
        assertTrue(!Arrays.equals(weighted.get("W").values(), plain.get("W").values()));
    }

    @Test
    void adtLeavesOutTheHighestLossesAtARisingRate() {
        // max 0.2, ramp over 30% of 100 steps: 0 at step 0, 0.1 at step 15, 0.2 from step 30 on
        TwoTower.Truncation t = new TwoTower.Truncation(0.2, false);
        assertEquals(0, t.dropped(0, 100, 10));
        assertEquals(1, t.dropped(15, 100, 10));
        assertEquals(2, t.dropped(30, 100, 10));
        assertEquals(2, t.dropped(99, 100, 10));
        assertEquals(0, TwoTower.Truncation.NONE.dropped(99, 100, 10));
        assertArrayEquals(new float[] {1, 0, 1, 0, 1}, TwoTower.kept(new float[] {1, 9, 2, 7, 3}, 2, false,
                new Random(1)));
        float[] random = TwoTower.kept(new float[] {1, 9, 2, 7, 3}, 2, true, new Random(1));
        double sum = 0;
        for (float f : random) {
            sum += f;
        }
        assertEquals(3.0, sum, "two of five left out at random");
        Interactions d = clusters();
        float[][] text = text(d.items(), 5);
        int[] rows = d.trainRows();
        var plain = TwoTower.train(d, text, rows, null, spec(3, 7), false, (e, l, x) -> { }).weights();
        var none = TwoTower.train(d, text, rows, null, spec(3, 7).withTruncation(TwoTower.Truncation.NONE), false,
                (e, l, x) -> { }).weights();
        var adt = TwoTower.train(d, text, rows, null, spec(3, 7).withTruncation(t), false, (e, l, x) -> { })
                .weights();
        assertArrayEquals(plain.get("W").values(), none.get("W").values());
        assertTrue(!Arrays.equals(plain.get("W").values(), adt.get("W").values()));
    }

    @Test
    void candidatesHoldEveryTargetOnceAndAllItemsWhenNegativesCoverThem() {
        int[] c = TwoTower.candidates(new int[] {3, 3, 5}, 100, 10, new Random(1));
        assertEquals(3, c[0]);
        assertEquals(5, c[1]);
        assertEquals(c.length, Arrays.stream(c).distinct().count());
        assertTrue(c.length <= 12);
        assertEquals(100, TwoTower.candidates(new int[] {3}, 100, 100, new Random(1)).length);
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }
}
