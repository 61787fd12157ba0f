package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.data.DatasetSpec;
import dev.sift.data.Ingestor;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A given split whose test file shares queries with the training file is warned about, with the counts. */
class GivenOverlapTest {
    private static Sample s(int i, String group, String title, Split split) {
        return new Sample(i, group, title, "", 1, group, null, false, split, i + 2L);
    }

    @Test
    void sharedQueriesAndCopiedPairsAreCounted() {
        List<Sample> samples = List.of(s(0, "lamp", "Red lamp", Split.TRAIN), s(1, "mug", "Mug", Split.TRAIN),
                s(2, "lamp", "Red lamp", Split.TEST), s(3, "lamp", "Blue lamp", Split.TEST),
                s(4, "sofa", "Oak sofa", Split.TEST), s(5, "pen", "Pen", Split.VALIDATION),
                s(6, "cup", "Cup", Split.UTILITY), s(7, "cup", "Blue cup", Split.VALIDATION));
        Ingestor.Result r = new Ingestor.Result(samples, List.of(), 8, 0, null, null);
        assertEquals(List.of("validation: 1 of 2 pairs (1 of 2 queries) have a query that is also in the training "
                + "file, 0 of them the same query and title: on those the metrics measure memory, not how the model "
                + "does on new queries", "test: 2 of 3 pairs (1 of 2 queries) have a query that is also in the training file, 1 "
                + "of them the same query and title: on those the metrics measure memory, not how the model does on "
                + "new queries"), SplitOverlap.givenWarnings(r, false));
        Ingestor.Result apart = new Ingestor.Result(samples.subList(0, 2), List.of(), 2, 0, null, null);
        assertEquals(List.of(), SplitOverlap.givenWarnings(apart, false));
    }

    /** Split by sessions, the same query and pair land in training and test: a probe's 183 of 297 pairs did. */
    @Test
    void splitsByAnotherGroupColumnCountSharedQueriesNotGroups() {
        List<Sample> samples = List.of(new Sample(0, "lamp", "Red lamp", "", 1, "s1", null, false, Split.TRAIN, 2),
                new Sample(1, "lamp", "Red lamp", "", 0, "s2", null, false, Split.TEST, 3),
                new Sample(2, "mug", "Mug", "", 1, "s2", null, false, Split.TEST, 4));
        Ingestor.Result r = new Ingestor.Result(samples, List.of(), 3, 0, null, null);
        assertEquals(List.of(), SplitOverlap.givenWarnings(r, false), "no session is in two splits");
        assertEquals(List.of("test: 1 of 2 pairs (1 of 2 queries) have a query that is also in the training split, 1 "
                + "of them the same query and title: on those the metrics measure memory, not how the model does on "
                + "new queries"), SplitOverlap.warnings(r, true, "the training split", false));
    }

    @Test
    void aGivenFileWithNoValidRowStopsIngestNamingIt() {
        DatasetSpec.Given both = new DatasetSpec.Given("valid.csv", "test.csv");
        List<Sample> trainOnly = List.of(s(0, "lamp", "Red lamp", Split.TRAIN), s(1, "mug", "Mug", Split.VALIDATION));
        SiftException e = assertThrows(SiftException.class, () -> IngestSummary.emptyGiven("train.csv",
                new Ingestor.Result(trainOnly, List.of(), 2, 0, null, null), both));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals("test.csv (dataset.test): no valid rows, so the test split would be empty; give a file with rows",
                e.getMessage());
        List<Sample> noValidation = List.of(s(0, "lamp", "Red lamp", Split.TRAIN), s(1, "mug", "Mug", Split.TEST));
        assertTrue(assertThrows(SiftException.class, () -> IngestSummary.emptyGiven("train.csv", new Ingestor.Result(
                noValidation, List.of(), 2, 0, null, null), both)).getMessage().startsWith("valid.csv "
                        + "(dataset.validation): no valid rows"));
        // a given split without a validation file is not asked to have one
        IngestSummary.emptyGiven("train.csv", new Ingestor.Result(noValidation, List.of(), 2, 0, null, null),
                new DatasetSpec.Given(null, "test.csv"));
    }

    @Test
    void withBothFilesGivenAnEmptyUtilitySplitStopsIngest() {
        List<Sample> oneQuery = List.of(s(0, "lamp", "Red lamp", Split.TRAIN), s(1, "lamp", "Lamp", Split.TRAIN),
                s(2, "mug", "Mug", Split.VALIDATION), s(3, "cup", "Cup", Split.TEST), s(4, "pen", "Pen", Split.TEST));
        Ingestor.Result r = new Ingestor.Result(oneQuery, List.of(), 5, 0, null, null);
        SiftException e = assertThrows(SiftException.class, () -> IngestSummary.emptyUtility("train.csv", r,
                new dev.sift.data.SplitSpec(0, 0.1, 0, 13)));
        assertTrue(e.getMessage().startsWith("train.csv: only 1 distinct query among 2 valid rows"), e.getMessage());
        assertTrue(e.getMessage().contains("too few to split by query into train and utility (0.1); utility would be "
                + "empty"), "the given files' splits are not drawn: " + e.getMessage());
        IngestSummary.emptyUtility("train.csv", r, new dev.sift.data.SplitSpec(0, 0, 0, 13)); // none asked
    }
}
