package dev.sift.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PopularityTest {
    @Test
    void countsInteractionsPerItemIncludingRepeats() {
        float[] c = Popularity.counts(5, new int[] {3, 1, 3, 0, 3, 1});
        assertArrayEquals(new float[] {1, 2, 0, 3, 0}, c);
        assertArrayEquals(new float[3], Popularity.counts(3, new int[0]));
    }

    @Test
    void anItemOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Popularity.counts(3, new int[] {0, 3}));
        assertThrows(IllegalArgumentException.class, () -> Popularity.counts(3, new int[] {-1}));
    }
}
