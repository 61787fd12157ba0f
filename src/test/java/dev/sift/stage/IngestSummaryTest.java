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
                + "(dataset.test, and dataset.validation if you have one)", IngestSummary.splitAdvice(List.of("validation", "test")));
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
                row.apply("a", 1.0)), false), "the same label twice is no conflict");
        List<dev.sift.data.Sample> many = new java.util.ArrayList<>(List.of(row.apply("a", 1.0), row.apply("a", 2.0)));
        for (int i = 0; i < 100; i++) {
            many.add(row.apply("t" + i, 1.0));
        }
        assertEquals(null, IngestSummary.conflictingLabels(many, false), "1 pair in 101: under 1%, no warning");
        assertEquals("warning: 1 of 2 (query, product) pairs come with different labels, e.g. 'red shoes' / 'a': "
                + "0, 1, 3; no model fits both, and kappa and accuracy on them measure the disagreement: aggregate "
                + "them (a median grade, a click rate) before ingest, or keep them if the spread is what the model "
                + "should learn", IngestSummary.conflictingLabels(List.of(row.apply("a", 1.0), row.apply("b", 0.0),
                        row.apply("a", 3.0), row.apply("a", 0.0)), false));
        dev.sift.data.Sample shouted = new dev.sift.data.Sample(0, "  RED   Shoes ", "b", "", 2.0, "red shoes", null,
                false, dev.sift.data.Split.TRAIN, 2, null);
        assertTrue(IngestSummary.conflictingLabels(List.of(row.apply("b", 0.0), shouted), false)
                .startsWith("warning: 1 of 1 "), "the query matched as the split matches it");
        dev.sift.data.Sample otherGroup = new dev.sift.data.Sample(0, "red shoes", "b", "", 2.0, "session 9", null,
                false, dev.sift.data.Split.TRAIN, 2, null);
        assertTrue(IngestSummary.conflictingLabels(List.of(row.apply("b", 0.0), otherGroup), false).startsWith(
                "warning: 1 of 1 "), "a group column mapped: the model reads the texts, a click in one session and a "
                        + "skip in another conflict");
        assertTrue(IngestSummary.conflictingLabels(List.of(row.apply("a", 1.0), row.apply("a", 0.5)), true)
                .contains("RMSE on them measures the disagreement: aggregate them (a mean) before ingest"));
    }

    @Test
    void aRegressionWhoseLabelsFillLittleOfTheDeclaredRangeIsWarnedNamingTheLooseBound() {
        java.util.function.DoubleFunction<dev.sift.data.Sample> row = label -> new dev.sift.data.Sample(0, "q", "t",
                "", label, "q", null, false, dev.sift.data.Split.TRAIN, 2, null);
        List<dev.sift.data.Sample> labels = List.of(row.apply(0), row.apply(0.4), row.apply(1.5));
        var regression = (java.util.function.BiFunction<Double, Double, dev.sift.data.TaskSpec>) (lo, hi) ->
                new dev.sift.data.TaskSpec(dev.sift.data.TaskType.REGRESSION, lo, hi);
        assertEquals("warning: the training labels lie in 0 to 1.5, 15.0% of the declared range 0 to 10; the model "
                + "predicts on the declared range, so a loose bound squeezes its predictions and costs RMSE: set "
                + "task.max_label (now 10) to the highest label the data can take", IngestSummary.looseRange(labels,
                        regression.apply(0.0, 10.0)));
        assertEquals(null, IngestSummary.looseRange(labels, regression.apply(0.0, 2.0)), "75% of the range: fine");
        assertTrue(IngestSummary.looseRange(labels, regression.apply(-1e308, 1e308)).contains("set task.min_label "
                + "(now -1.0E308) to the lowest and task.max_label (now 1.0E308) to the highest label"),
                "a span past the largest double warns, naming both");
        assertTrue(IngestSummary.looseRange(List.of(row.apply(0), row.apply(0)), regression.apply(0.0, 1e-9))
                .startsWith("warning: every training label is 0, so the model has nothing to learn"));
        assertEquals(null, IngestSummary.looseRange(List.of(), regression.apply(0.0, 10.0)));
    }
}
