package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The AdamW choice: the three names in any case, flat by default, and a one-line refusal of anything else. */
class AdamWChoiceTest {
    @AfterEach
    void clear() {
        System.clearProperty(AdamWChoice.PROPERTY);
    }

    @Test
    void namesInAnyCaseAndFlatByDefault() {
        if (System.getenv("SIFT_ADAMW") == null) {
            assertEquals(AdamWChoice.FLAT, AdamWChoice.current());
        }
        System.setProperty(AdamWChoice.PROPERTY, " Kernel ");
        assertEquals(AdamWChoice.KERNEL, AdamWChoice.current());
        System.setProperty(AdamWChoice.PROPERTY, "djl");
        assertEquals(AdamWChoice.DJL, AdamWChoice.current());
        assertEquals("djl", AdamWChoice.DJL.toString());
    }

    @Test
    void anythingElseIsRefusedByName() {
        System.setProperty(AdamWChoice.PROPERTY, "adam");
        var e = assertThrows(IllegalArgumentException.class, AdamWChoice::current);
        assertEquals("SIFT_ADAMW (or -Dsift.adamw) is 'adam': use flat, kernel or djl", e.getMessage());
        assertThrows(IllegalArgumentException.class, FlatAdamW::selected);
    }
}
