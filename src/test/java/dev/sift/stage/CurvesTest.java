package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sift.SiftException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CurvesTest {
    @Test
    void aPointMustKeepAtLeastTenSamples() {
        assertDoesNotThrow(() -> Curves.check(List.of(0.3, 0.5, 0.7), 100));
        assertDoesNotThrow(() -> Curves.check(List.of(), 3));
        // 0.0066 of 1,440 keeps round(9.504) = 10, 0.0065 keeps 9
        assertDoesNotThrow(() -> Curves.check(List.of(0.0066), 1440));
        SiftException e = assertThrows(SiftException.class, () -> Curves.check(List.of(0.5, 0.0065), 1440));
        assertEquals("evaluate.curve: 0.0065 keeps 9 of the 1440 training samples; a point needs at least 10 (a "
                + "fraction of at least 0.0066 here)", e.getMessage());
        assertEquals(2, e.exitCode());
        // a vanishing fraction still keeps one sample, and is refused
        e = assertThrows(SiftException.class, () -> Curves.check(List.of(1e-9), 1440));
        assertEquals("evaluate.curve: 0.000000001 keeps 1 of the 1440 training samples; a point needs at least 10 (a "
                + "fraction of at least 0.0066 here)", e.getMessage());
        e = assertThrows(SiftException.class, () -> Curves.check(List.of(0.9), 8));
        assertEquals("evaluate.curve: the training split has 8 samples, too few for a curve (a point needs at least "
                + "10); remove evaluate.curve", e.getMessage());
    }

    @Test
    void sizesRoundToTheNearestSampleAndKeepAtLeastOne() {
        assertEquals(50, Curves.size(0.5, 100));
        assertEquals(1, Curves.size(1e-9, 1_000_000));
        assertEquals(10, Curves.size(0.0066, 1440));
    }
}
