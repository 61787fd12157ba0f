package dev.sift.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SelectionTest {
    @Test
    void topFractionKeepsEitherEndWithTiesByPosition() {
        double[] s = {0.5, 0.9, 0.1, 0.9, 0.3};
        assertArrayEquals(new int[] {1, 3}, new TopFraction(0.4, true).select(s));
        assertArrayEquals(new int[] {2, 4}, new TopFraction(0.4, false).select(s));
        assertArrayEquals(new int[] {0, 1, 3}, new TopFraction(0.5, true).select(s)); // ceil(2.5) = 3
        assertEquals(5, new TopFraction(1.0, true).select(s).length);
        assertThrows(IllegalArgumentException.class, () -> new TopFraction(1.5, true));
    }

    @Test
    void randomSubsetIsSeededSortedAndWithoutRepeats() {
        int[] a = new RandomSubset(30, 5).select(100);
        assertArrayEquals(a, new RandomSubset(30, 5).select(100));
        assertEquals(30, Arrays.stream(a).distinct().count());
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, a);
    }
}
