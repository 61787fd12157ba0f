package dev.sift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * A quarantined row's line as ingest prints it: a probe's labels {@code 1 ESC]0;PWNED BEL}, {@code U+202E 1 2} and
 * {@code 3 CR LF ESC[2K CR FAKE LINE} set the terminal's title, reversed the text and forged a line.
 */
class QuarantinedTest {
    @Test
    void whatTheLineQuotesOfTheDataIsShownNotObeyed() {
        Quarantined q = new Quarantined(7, 2, "rel\u0007evance", Quarantined.NOT_A_NUMBER,
                "label is not a number: '3\r\n\u001b[2K\rFAKE LINE \u202e1'", "raw");
        assertEquals("d.csv:7: field 'rel\\u0007evance': label is not a number: '3\\r\\n\\u001B[2K\\rFAKE LINE "
                + "\\u202E1'", q.describe("d.csv"));
    }

    @Test
    void visibleLeavesPlainTextAloneAndEscapesLineSeparators() {
        String plain = "ümlaut, emoji \uD83D\uDE00 and a tab-free line";
        assertSame(plain, Text.visible(plain));
        assertEquals("a\\u2028b\\u2029c\\u0085d\\u007Fe\\tf", Text.visible("a\u2028b\u2029c\u0085d\u007Fe\tf"));
    }
}
