package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The advice when a split would get no query names only settings that can help. */
class IngestSummaryTest {
    @Test
    void anEmptyTestSplitIsNotToldToSetValidationToZero() {
        String finer = "map dataset.columns.group to a finer column (a session or a user) that the splits can divide";
        assertEquals("Use data with more queries, " + finer + ", or give the held-out rows as files "
                + "(dataset.validation and dataset.test)", IngestSummary.splitAdvice(List.of("validation", "test")));
        assertEquals("Use data with more queries, " + finer + ", or set split.validation and split.utility to 0",
                IngestSummary.splitAdvice(List.of("validation", "utility")));
        assertEquals("Use data with more queries or " + finer, IngestSummary.splitAdvice(List.of("train")));
    }
}
