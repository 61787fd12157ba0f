package dev.sift.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Policies on cases where the right subset is known. */
class DenoisingTest {
    /** User a: rows 0-3 (time order), user b: rows 4-5; all training. */
    private static Interactions data() {
        List<Sample> s = new ArrayList<>();
        String[] users = {"a", "a", "a", "a", "b", "b"};
        for (int i = 0; i < users.length; i++) {
            s.add(new Sample(i, users[i], "t" + i, "", 1, users[i], users[i], false, Split.TRAIN, i + 1, "i" + i));
        }
        return Interactions.of(s);
    }

    @Test
    void truncatedDropsTheHighestValuedButNeverAUsersLastRows() {
        Interactions d = data();
        int[] pool = d.trainRows();
        double[] loss = {9, 1, 2, 8, 7, 3};
        // keep 4 of 6: drop the two highest droppable; rows 3 (a's last) and 5 (b's last) are protected
        assertArrayEquals(new int[] {1, 2, 3, 5}, Denoising.truncated(d, pool, loss, 4 / 6.0, true, 1));
        // keeping the highest end drops the lowest instead
        assertArrayEquals(new int[] {0, 3, 4, 5}, Denoising.truncated(d, pool, loss, 4 / 6.0, false, 1));
        // with two protected per user only rows 0 and 1 can go, so keeping 2 of 6 still keeps 4
        assertArrayEquals(new int[] {2, 3, 4, 5}, Denoising.truncated(d, pool, loss, 2 / 6.0, true, 2));
        assertArrayEquals(pool, Denoising.truncated(d, pool, loss, 1.0, true, 1));
    }

    @Test
    void randomAtSizeHasTheSizeAndKeepsTheProtectedRows() {
        Interactions d = data();
        int[] pool = d.trainRows();
        for (long seed = 0; seed < 20; seed++) {
            int[] r = Denoising.randomAtSize(d, pool, 4, 1, seed);
            assertEquals(4, r.length);
            assertTrue(Arrays.stream(r).anyMatch(x -> x == 3) && Arrays.stream(r).anyMatch(x -> x == 5));
        }
        assertTrue(!Arrays.equals(Denoising.randomAtSize(d, pool, 4, 1, 1), Denoising.randomAtSize(d, pool, 4, 1, 2))
                || !Arrays.equals(Denoising.randomAtSize(d, pool, 4, 1, 3), Denoising.randomAtSize(d, pool, 4, 1, 4)));
    }

    @Test
    void reweightedAveragesOneAndWeighsTheKeptEndMore() {
        double[] loss = {1, 2, 3, 4};
        float[] w = Denoising.reweighted(loss, 0.5, true);
        double mean = 0;
        for (float x : w) {
            mean += x / 4.0;
        }
        assertEquals(1.0, mean, 1e-6);
        assertTrue(w[0] > w[1] && w[1] > w[2] && w[2] > w[3]);
        // z = (s - 2.5) / sd, sd = sqrt(1.25): the ratio of the first two is exp(0.5 / sqrt(1.25))
        assertEquals(Math.exp(0.5 / Math.sqrt(1.25)), w[0] / w[1], 1e-5);
        float[] high = Denoising.reweighted(loss, 0.5, false);
        assertTrue(high[3] > high[0]);
        float[] shuffled = Denoising.shuffled(w, 3);
        float[] a = w.clone();
        float[] b = shuffled.clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertArrayEquals(a, b, "the random control has the same weights");
    }

    @Test
    void candidatesParseWithDefaults() {
        assertEquals(new Denoising.Candidate("truncated", "loss", 0.8), Denoising.Candidate.parse("truncated",
                "loss", 0.8));
        assertEquals(new Denoising.Candidate("truncated", "el2n", 0.9), Denoising.Candidate.parse("truncated/el2n/0.9",
                "loss", 0.8));
        assertEquals("truncated/el2n/0.9", Denoising.Candidate.parse("truncated/el2n/0.9", "loss", 0.8).label());
        assertEquals("reweighted/mean_loss", Denoising.Candidate.parse("reweighted/mean_loss", "loss", 0.8).label());
        Denoising.Candidate adt = Denoising.Candidate.parse("adt/0.2", "el2n", 0.9);
        assertTrue(adt.adt());
        assertEquals(0.8, adt.keep(), 1e-12);
        assertEquals("adt/0.2", adt.label());
        assertEquals("adt/0.1", Denoising.Candidate.parse("adt", "el2n", 0.9).label());
    }
}
