package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The stop rule's reason names its settings as written (an audit's floor 0.999 read "floor of 1.00"). */
class StopRulesTest {
    @Test
    void settingsArePrintedAsWritten() {
        assertEquals("0.999", StopRules.plain(0.999));
        assertEquals("0.0001", StopRules.plain(1e-4));
        assertEquals("0.97", StopRules.plain(0.97));
        assertEquals("2", StopRules.plain(2.0));
    }
}
