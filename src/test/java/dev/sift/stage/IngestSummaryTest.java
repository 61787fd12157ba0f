package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aPairWithTwoLabelsIsNamedOnce() {
        java.util.function.BiFunction<String, Double, dev.sift.data.Sample> row = (title, label) ->
                new dev.sift.data.Sample(0, "red shoes", title, "", label, "red shoes", null, false,
                        dev.sift.data.Split.TRAIN, 2, null);
        assertEquals(null, IngestSummary.conflictingLabels(List.of(row.apply("a", 1.0), row.apply("b", 0.0),
                row.apply("a", 1.0))), "the same label twice is no conflict");
        List<dev.sift.data.Sample> many = new java.util.ArrayList<>(List.of(row.apply("a", 1.0), row.apply("a", 2.0)));
        for (int i = 0; i < 100; i++) {
            many.add(row.apply("t" + i, 1.0));
        }
        assertEquals(null, IngestSummary.conflictingLabels(many), "1 pair in 101: under 1%, no warning");
        assertEquals("warning: 1 of 2 (query, product) pairs come with different labels, e.g. 'red shoes' / 'a': "
                + "0, 1, 3; no model fits both, and kappa and accuracy on them measure the disagreement: aggregate "
                + "them (a median grade, a click rate) before ingest, or keep them if the spread is what the model "
                + "should learn", IngestSummary.conflictingLabels(List.of(row.apply("a", 1.0), row.apply("b", 0.0),
                        row.apply("a", 3.0), row.apply("a", 0.0))));
        dev.sift.data.Sample shouted = new dev.sift.data.Sample(0, "  RED   Shoes ", "b", "", 2.0, "red shoes", null,
                false, dev.sift.data.Split.TRAIN, 2, null);
        assertTrue(IngestSummary.conflictingLabels(List.of(row.apply("b", 0.0), shouted)).startsWith("warning: 1 of 1 "),
                "the query matched as the split matches it");
    }
}
