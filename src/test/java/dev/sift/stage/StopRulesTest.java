package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The stop rule's reason names its settings as written, by Text.plain (a floor of 0.999 read "floor of 1.00"). */
class StopRulesTest {
    @Test
    void settingsArePrintedAsWritten() {
        assertEquals("0.999", dev.sift.data.Text.plain(0.999));
        assertEquals("0.0001", dev.sift.data.Text.plain(1e-4));
        assertEquals("0.97", dev.sift.data.Text.plain(0.97));
        assertEquals("2", dev.sift.data.Text.plain(2.0));
    }
}
