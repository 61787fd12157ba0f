package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.SiftException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurvesTest {
    @Test
    void aPointMustKeepAtLeastTenSamples() {
        assertDoesNotThrow(() -> Curves.check(List.of(0.3, 0.5, 0.7), 100));
        assertDoesNotThrow(() -> Curves.check(List.of(), 3));
        // 0.0063 of 1,440 keeps ceil(9.072) = 10, 0.0062 keeps ceil(8.928) = 9
        assertDoesNotThrow(() -> Curves.check(List.of(0.0063), 1440));
        SiftException e = assertThrows(SiftException.class, () -> Curves.check(List.of(0.5, 0.0062), 1440));
        assertEquals("evaluate.curve: 0.0062 keeps 9 of the 1440 training samples; a point needs at least 10 (a "
                + "fraction of at least 0.0063 here)", e.getMessage());
        assertEquals(2, e.exitCode());
        // a vanishing fraction still keeps one sample, and is refused
        e = assertThrows(SiftException.class, () -> Curves.check(List.of(1e-9), 1440));
        assertEquals("evaluate.curve: 0.000000001 keeps 1 of the 1440 training samples; a point needs at least 10 (a "
                + "fraction of at least 0.0063 here)", e.getMessage());
        // a fraction whose count is whole: 0.01 of 900 keeps 9, so the least is 0.0101
        e = assertThrows(SiftException.class, () -> Curves.check(List.of(0.01), 900));
        assertEquals("evaluate.curve: 0.01 keeps 9 of the 900 training samples; a point needs at least 10 (a "
                + "fraction of at least 0.0101 here)", e.getMessage());
        assertDoesNotThrow(() -> Curves.check(List.of(0.0101), 900));
        // 9 / 1875 is 0.0048 and a hair less in floating point: the least is 0.0049 (a review's), for every pool
        assertEquals(0.0049, Curves.leastFraction(1875));
        for (int pool = 10; pool < 40_000; pool++) {
            double least = Curves.leastFraction(pool);
            assertTrue(Curves.size(least, pool) >= 10 && Curves.size(least - 1e-4, pool) < 10, "pool " + pool);
        }
        e = assertThrows(SiftException.class, () -> Curves.check(List.of(0.9), 8));
        assertEquals("evaluate.curve: the training split has 8 samples, too few for a curve (a point needs at least "
                + "10); remove evaluate.curve", e.getMessage());
    }

    @Test
    void sizesAreThePoliciesCountsAndKeepAtLeastOne() {
        assertEquals(50, Curves.size(0.5, 100));
        assertEquals(1, Curves.size(1e-9, 1_000_000));
        assertEquals(10, Curves.size(0.0066, 1440));
        // a probe's pool: the methods kept 538 and 941 of 1,343 at 0.4 and 0.7, random 537 and 940
        for (double f : new double[] {0.1, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9}) {
            assertEquals(dev.sift.selection.TopFraction.keptCount(1343, f), Curves.size(f, 1343), "at " + f);
        }
        assertEquals(538, Curves.size(0.4, 1343));
    }
}
