package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.SiftException;
import dev.sift.data.DatasetSpec;
import dev.sift.data.Ingestor;
import dev.sift.data.KeyedHasher;
import dev.sift.data.LabelNoise;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.data.SplitSpec;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A utility file is read as the utility split, with its labels as given, and its checks name the file. */
class GivenUtilityIngestTest {
    private static final KeyedHasher HASHER = new KeyedHasher("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));
    private static final DatasetSpec.Columns COLS = new DatasetSpec.Columns("query", "title", null, "label", null,
            null, null);

    private static Ingestor.Part part(String text, String name, Split split) {
        return new Ingestor.Part(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), name, split);
    }

    private static String rows(String prefix, int queries, int label) {
        StringBuilder b = new StringBuilder("query,title,label\n");
        for (int q = 0; q < queries; q++) {
            for (int i = 0; i < 3; i++) {
                b.append(prefix).append(q).append(",item ").append(i).append(',').append((q + i + label) % 2)
                        .append('\n');
            }
        }
        return b.toString();
    }

    @Test
    void utilityRowsComeFromTheirFileUntouchedByNoiseAndValidationIsStillDrawn() throws IOException {
        DatasetSpec spec = new DatasetSpec("train.csv", null, "csv", ',', COLS,
                new LabelNoise.Spec(0.5, LabelNoise.Kind.UNIFORM, 3));
        // validation drawn at 0.25 of the training file's queries, no utility share: the file gives it
        Ingestor ingestor = new Ingestor(spec, new TaskSpec(TaskType.BINARY, 0, 1), new SplitSpec(0.25, 0, 0, 1),
                HASHER);
        String utility = rows("u", 4, 0);
        Ingestor.Result r = ingestor.readGiven(List.of(part(rows("t", 20, 0), "train.csv", Split.TRAIN),
                part(utility, "utility.csv", Split.UTILITY), part(rows("x", 5, 0), "test.csv", Split.TEST)));
        assertEquals(12, r.count(Split.UTILITY), "every row of the utility file, none drawn from training");
        assertEquals(15, r.count(Split.VALIDATION), "5 of the 20 training queries, 3 pairs each");
        assertEquals(45, r.count(Split.TRAIN));
        Set<String> utilityQueries = new HashSet<>();
        for (Sample s : r.samples()) {
            if (s.split() == Split.UTILITY) {
                utilityQueries.add(s.group());
                assertEquals((Integer.parseInt(s.query().substring(1)) + Integer.parseInt(s.title().substring(5))) % 2,
                        (int) s.label(), "a utility label is as the file gives it: noise flips training labels only");
            }
        }
        assertEquals(Set.of("u0", "u1", "u2", "u3"), utilityQueries);
        assertTrue(r.samples().stream().filter(s -> s.split() == Split.TRAIN).filter(Sample::noisy).count() > 15,
                "half of the training labels are flipped (a flip is flagged noisy)");
        assertTrue(r.samples().stream().filter(s -> s.split() != Split.TRAIN).noneMatch(Sample::noisy));
    }

    /** A utility file alone: validation and test are drawn from the training file by query, nothing for utility. */
    @Test
    void aUtilityFileAloneDrawsValidationAndTestFromTheTrainingFile() throws IOException {
        DatasetSpec spec = new DatasetSpec("train.csv", null, "csv", ',', COLS);
        Ingestor ingestor = new Ingestor(spec, new TaskSpec(TaskType.BINARY, 0, 1), new SplitSpec(0.25, 0, 0.25, 1),
                HASHER);
        Ingestor.Result r = ingestor.readGiven(List.of(part(rows("t", 20, 0), "train.csv", Split.TRAIN),
                part(rows("u", 4, 0), "utility.csv", Split.UTILITY)));
        assertEquals(12, r.count(Split.UTILITY));
        assertEquals(15, r.count(Split.VALIDATION), "5 of the 20 training queries, 3 pairs each");
        assertEquals(15, r.count(Split.TEST));
        assertEquals(30, r.count(Split.TRAIN));
        assertTrue(r.samples().stream().filter(s -> s.split() == Split.TEST).allMatch(s -> s.group().startsWith("t")),
                "the test split is drawn from the training file's queries");
    }

    /**
     * A utility file over the training file's queries: validation and test are drawn from the other queries, so the
     * queries that value samples neither pick the epochs nor are measured; the shares are of all the queries.
     */
    @Test
    void aUtilityFileAlonesQueriesStayInTrainingAndTooFewOthersAreRefused() throws IOException {
        DatasetSpec spec = new DatasetSpec("train.csv", null, "csv", ',', COLS);
        Ingestor ingestor = new Ingestor(spec, new TaskSpec(TaskType.BINARY, 0, 1), new SplitSpec(0.25, 0, 0.25, 1),
                HASHER);
        for (int seed = 1; seed <= 5; seed++) {
            Ingestor.Result r = new Ingestor(spec, new TaskSpec(TaskType.BINARY, 0, 1), new SplitSpec(0.25, 0, 0.25,
                    seed), HASHER).readGiven(List.of(part(rows("t", 20, 0), "train.csv", Split.TRAIN),
                            part(rows("t", 8, 1), "utility.csv", Split.UTILITY))); // queries t0-t7 of the 20
            assertEquals(15, r.count(Split.VALIDATION), "5 of all 20 training queries");
            assertEquals(15, r.count(Split.TEST));
            for (Sample s : r.samples()) {
                if (s.split() == Split.VALIDATION || s.split() == Split.TEST) {
                    assertTrue(Integer.parseInt(s.query().substring(1)) >= 8, seed + ": " + s);
                }
            }
            assertEquals(8 * 3, r.samples().stream().filter(s -> s.split() == Split.TRAIN
                    && Integer.parseInt(s.query().substring(1)) < 8).count(), "the utility queries train");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ingestor.readGiven(List.of(
                part(rows("t", 20, 0), "train.csv", Split.TRAIN), part(rows("t", 12, 1), "utility.csv",
                        Split.UTILITY))));
        assertEquals("only 8 of the training file's 20 queries hold no query of dataset.utility; drawing validation "
                + "(0.25) and test (0.25) needs 10 of them (the utility file's queries stay in training, kept apart from "
                + "the queries that pick epochs and are measured): give dataset.test (and dataset.validation) files, "
                + "lower split.validation and split.test, or give a utility file of fewer of the training file's "
                + "queries", e.getMessage());
        // beside a test file only validation is drawn, and the advice is to give or shrink that
        Ingestor validationOnly = new Ingestor(spec, new TaskSpec(TaskType.BINARY, 0, 1), new SplitSpec(0.5, 0, 0, 1),
                HASHER);
        e = assertThrows(IllegalArgumentException.class, () -> validationOnly.readGiven(List.of(part(rows("t", 20, 0),
                "train.csv", Split.TRAIN), part(rows("t", 12, 1), "utility.csv", Split.UTILITY), part(rows("x", 3, 0),
                        "test.csv", Split.TEST))));
        assertTrue(e.getMessage().startsWith("only 8 of the training file's 20 queries hold no query of "
                + "dataset.utility; drawing validation (0.5) needs 10 of them") && e.getMessage().contains(": give a "
                + "dataset.validation file, lower split.validation, or give a utility file"), e.getMessage());
    }

    /**
     * Split by sessions, a utility file's queries stay in training too: every session that holds one of them, so no
     * drawn validation or test session has a utility query (the session ids of the two files mean nothing together).
     */
    @Test
    void bySessionEverySessionWithAUtilityQueryStaysInTraining() throws IOException {
        DatasetSpec.Columns bySession = new DatasetSpec.Columns("query", "title", null, "label", "session", null, null);
        DatasetSpec spec = new DatasetSpec("train.csv", null, "csv", ',', bySession);
        StringBuilder train = new StringBuilder("query,title,label,session\n");
        for (int i = 0; i < 60; i++) { // session s<i> searches query q<i % 20>, then q<(i + 7) % 20>
            train.append("Q").append(i % 20).append(",item a,1,s").append(i).append('\n');
            train.append("q").append((i + 7) % 20).append(",item b,0,s").append(i).append('\n');
        }
        String utility = "query,title,label,session\nq0,item c,1,s0\nq1,item d,0,s1\nq1,item e,1,s1\n";
        for (int seed = 1; seed <= 5; seed++) {
            Ingestor.Result r = new Ingestor(spec, new TaskSpec(TaskType.BINARY, 0, 1), new SplitSpec(0.2, 0, 0.2,
                    seed), HASHER).readGiven(List.of(part(train.toString(), "train.csv", Split.TRAIN),
                            part(utility, "utility.csv", Split.UTILITY)));
            assertEquals(24, r.count(Split.TEST), "12 of the 60 sessions, 2 pairs each");
            for (Sample s : r.samples()) {
                if (s.split() == Split.VALIDATION || s.split() == Split.TEST) {
                    assertTrue(!s.query().equalsIgnoreCase("q0") && !s.query().equalsIgnoreCase("q1"), seed + ": " + s);
                }
            }
        }
    }

    @Test
    void aUtilityFileIsWarnedOfForCopiesOfTrainingPairsAndForFewQueriesByItsKey() {
        List<Sample> samples = List.of(s(0, "lamp", "Red lamp", Split.TRAIN), s(1, "mug", "Mug", Split.TRAIN),
                s(2, "lamp", "Red lamp", Split.UTILITY), s(3, "lamp", "Blue lamp", Split.UTILITY),
                s(4, "cup", "Cup", Split.TEST));
        Ingestor.Result r = new Ingestor.Result(samples, List.of(), 5, 0, null, null);
        assertEquals(List.of("utility: 1 of 2 pairs are the same query and title as a pair in the training file: "
                + "knn_shapley and tracin value those training pairs against their own copies"),
                SplitOverlap.givenWarnings(r, true), "a shared query alone is no warning for a utility file");
        // the same rows drawn from the training file: the utility split counts as training, the test file is apart
        assertEquals(List.of(), SplitOverlap.givenWarnings(r, false));
        // a utility file over the test split's queries would choose samples by what the test measures
        List<Sample> onTest = new java.util.ArrayList<>(samples);
        onTest.add(s(5, "cup", "Tea cup", Split.UTILITY));
        assertEquals(List.of("utility: 1 of 3 pairs (1 of 2 queries) have a query that is also in the test split: "
                + "knn_shapley and tracin would choose the kept samples by queries the test metrics are then measured "
                + "on", "utility: 1 of 3 pairs are the same query and title as a pair in the training file: "
                + "knn_shapley and tracin value those training pairs against their own copies"),
                SplitOverlap.givenWarnings(new Ingestor.Result(onTest, List.of(), 6, 0, null, null), true));
        assertEquals(List.of("warning: the utility split holds 1 query (2 pairs): knn_shapley and tracin value every "
                + "training sample against it alone; give a dataset.utility file with more queries",
                "warning: the test split holds 1 query (1 pairs): every test metric and its bootstrap interval rest "
                        + "on it alone; give a dataset.test file with more queries"),
                FewQueries.warnings(samples, new DatasetSpec.Given(null, "utility.csv", "test.csv"), false));
        SiftException e = assertThrows(SiftException.class, () -> IngestSummary.emptyGiven("train.csv",
                new Ingestor.Result(List.of(samples.get(0), samples.get(4)), List.of(), 2, 0, null, null),
                new DatasetSpec.Given(null, "utility.csv", "test.csv")));
        assertEquals("utility.csv (dataset.utility): no valid rows, so the utility split would be empty; give a file "
                + "with rows, or leave dataset.utility out", e.getMessage());
        // rows it had, all refused: the first refusal and the encoding they look like are said, not "no rows"
        List<dev.sift.data.Quarantined> refused = List.of(new dev.sift.data.Quarantined(2, "query", "encoding",
                "not valid UTF-8", "se\u00f1al").inFile("utility.csv"), new dev.sift.data.Quarantined(3, "query",
                "encoding", "not valid UTF-8", "na\u00efve").inFile("utility.csv"));
        e = assertThrows(SiftException.class, () -> IngestSummary.emptyGiven("train.csv", new Ingestor.Result(
                List.of(samples.get(0), samples.get(4)), refused, 4, 0, null, "the rows look latin-1: set "
                        + "dataset.encoding"), new DatasetSpec.Given(null, "utility.csv", "test.csv")));
        assertEquals("utility.csv (dataset.utility): none of its 2 rows is valid (the first: utility.csv:2: field "
                + "'query': not valid UTF-8; the rows look latin-1: set dataset.encoding), so the utility split would "
                + "be empty; give a file with rows, or leave dataset.utility out", e.getMessage());
    }

    /**
     * A utility file alone with a group column other than the query (sessions): validation and test are drawn by
     * session, so they can share queries with training, and that is still said (it was not when the file came in).
     */
    @Test
    void aUtilityFileAloneKeepsTheOverlapWarningOfSplitsDrawnByGroup() {
        DatasetSpec.Columns bySession = new DatasetSpec.Columns("query", "title", null, "label", "session", null, null);
        DatasetSpec ds = new DatasetSpec("train.csv", null, "csv", ',', bySession, null, dev.sift.data.Encoding.UTF_8,
                true, null, new DatasetSpec.Given(null, "utility.csv", null));
        List<Sample> samples = List.of(new Sample(0, "lamp", "Red lamp", "", 1, "s1", null, false, Split.TRAIN, 2),
                new Sample(1, "lamp", "Red lamp", "", 0, "s2", null, false, Split.TEST, 3),
                new Sample(2, "mug", "Mug", "", 1, "s3", null, false, Split.TEST, 4),
                new Sample(3, "cup", "Cup", "", 1, "cup", null, false, Split.UTILITY, 2));
        assertEquals(List.of("test: 1 of 2 pairs (1 of 2 queries) have a query that is also in the training split (the "
                + "splits keep dataset.columns.group 'session' apart, not queries), 1 of them the same query and title: "
                + "on those the metrics measure memory, not how the model does on new queries"),
                SplitOverlap.lines(new Ingestor.Result(samples, List.of(), 4, 0, null, null), ds));
        // no group column: validation and test drawn by query share none; the utility file's own lines only
        DatasetSpec byQuery = new DatasetSpec("train.csv", null, "csv", ',', COLS, null, dev.sift.data.Encoding.UTF_8,
                true, null, new DatasetSpec.Given(null, "utility.csv", null));
        assertEquals(List.of(), SplitOverlap.lines(new Ingestor.Result(samples.subList(0, 1), List.of(), 1, 0, null,
                null), byQuery));
    }

    /** A split of one label from a file is widened by another file, not by a split seed that does not draw it. */
    @Test
    void aOneLabelUtilityFileIsToldToGiveAnotherFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws IOException {
        for (String f : List.of("train.csv", "utility.csv", "test.csv")) {
            java.nio.file.Files.writeString(dir.resolve(f), "query,title,label\nlamp,Red lamp,1\nmug,Mug,0\n");
        }
        dev.sift.workflow.WorkflowSpec spec = dev.sift.workflow.WorkflowParser.parse("w.yaml", """
                name: curated
                dataset:
                  path: train.csv
                  utility: utility.csv
                  test: test.csv
                  columns: {query: query, title: title, label: label}
                task: {type: binary}
                score: {methods: [tracin]}
                """, dir, java.util.Map.of(), true).spec();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        dev.sift.workflow.StageContext ctx = dev.sift.workflow.StageContext.standalone(1, spec, 0,
                new dev.sift.workflow.Console(new java.io.PrintStream(out, true, StandardCharsets.UTF_8), false));
        List<Sample> samples = List.of(s(0, "lamp", "Red lamp", Split.TRAIN), new Sample(1, "mug", "Mug", "", 0,
                "mug", null, false, Split.TRAIN, 3), s(2, "cup", "Cup", Split.UTILITY), s(3, "pen", "Pen",
                Split.UTILITY), s(4, "sofa", "Sofa", Split.TEST), new Sample(5, "sofa", "Oak sofa", "", 0, "sofa",
                null, false, Split.TEST, 7));
        IngestSummary.oneLabelSplits(ctx, new Ingestor.Result(samples, List.of(), 6, 0, null, null));
        assertEquals("warning: every one of the 2 utility pairs has label 1: the methods that value samples against "
                + "it (knn_shapley, tracin) measure every sample against that one label; give a dataset.utility file "
                + "with pairs of more than one label", out.toString(StandardCharsets.UTF_8).strip().replace("\r", ""));
    }

    private static Sample s(int i, String group, String title, Split split) {
        return new Sample(i, group, title, "", 1, group, null, false, split, i + 2L);
    }
}
