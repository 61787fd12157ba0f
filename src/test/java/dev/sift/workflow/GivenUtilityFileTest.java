package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.importance.Need;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dataset.utility}: a utility split from a file of its own (a curated set the value methods measure against),
 * beside a given test file, with or without a validation file.
 */
class GivenUtilityFileTest {
    @TempDir
    Path dir;

    private String yaml(String dataset, String rest) throws IOException {
        for (String f : List.of("train.csv", "valid.csv", "utility.csv", "test.csv")) {
            Files.writeString(dir.resolve(f), "query,title,label\nlamp,Red lamp,1\nmug,Mug,0\n");
        }
        return """
                name: curated
                dataset:
                  path: train.csv
                """ + dataset + """
                  columns: {query: query, title: title, label: label}
                task: {type: binary}
                """ + rest;
    }

    private WorkflowSpec parse(String text) {
        return WorkflowParser.parse("w.yaml", text, dir, Map.of(), true).spec();
    }

    private List<String> errors(String text) {
        return assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", text, dir, Map.of(), true))
                .errors();
    }

    @Test
    void aUtilityFileGivesTheUtilitySplitAndNothingIsDrawnForIt() throws IOException {
        WorkflowSpec s = parse(yaml("  utility: utility.csv\n  test: test.csv\n",
                "score: {methods: [tracin, loss]}\n"));
        assertEquals(dir.resolve("utility.csv").toString(), s.dataset().given().utility());
        assertNull(s.dataset().given().validation());
        assertEquals(0.0, s.split().utility(), "no utility share is drawn from the training file");
        assertEquals(0.1, s.split().validation(), "validation is still drawn from the training file's queries");
        assertTrue(s.scoringProvides().contains(Need.UTILITY_SPLIT));
        // without score.methods the methods that value against a utility split are among the defaults
        WorkflowSpec defaults = parse(yaml("  validation: valid.csv\n  utility: utility.csv\n  test: test.csv\n",
                ""));
        assertTrue(defaults.score().methods().containsAll(List.of("tracin", "knn_shapley")),
                defaults.score().methods().toString());
        assertEquals(0.0, defaults.split().validation());
    }

    @Test
    void theUtilityShareCannotBeSetBesideAFileAndAFileAloneDrawsTheOtherSplits() throws IOException {
        List<String> set = errors(yaml("  validation: valid.csv\n  utility: utility.csv\n  test: test.csv\n",
                "split: {utility: 0.1}\nscore: {methods: [tracin]}\n"));
        assertEquals(1, set.size(), set.toString());
        assertTrue(set.get(0).contains("split.utility: cannot be set: dataset.validation, dataset.utility and "
                + "dataset.test give the split"), set.toString());
        // a shop's one log and a curated set: validation and test are drawn from the log by query
        WorkflowSpec alone = parse(yaml("  utility: utility.csv\n", "split: {test: 0.3}\nscore: {methods: "
                + "[tracin]}\n"));
        assertNull(alone.dataset().given().test());
        assertEquals(0.3, alone.split().test());
        assertEquals(0.1, alone.split().validation());
        assertEquals(0.0, alone.split().utility());
        List<String> both = errors(yaml("  utility: utility.csv\n", "split: {utility: 0.1}\nscore: {methods: "
                + "[tracin]}\n"));
        assertEquals(List.of("w.yaml:7: split.utility: cannot be set: dataset.utility gives the utility split"), both);
        List<String> validation = errors(yaml("  validation: valid.csv\n  utility: utility.csv\n",
                "score: {methods: [tracin]}\n"));
        assertEquals(1, validation.size(), validation.toString());
        assertTrue(validation.get(0).contains("dataset.test: is required with dataset.validation"), validation
                .toString());
    }

    @Test
    void aUtilityFileNoMethodReadsIsRefusedAtItsLine() throws IOException {
        List<String> e = errors(yaml("  utility: utility.csv\n  test: test.csv\n", "score: {methods: [loss]}\n"));
        assertEquals(1, e.size(), e.toString());
        assertEquals("w.yaml:4: dataset.utility: no method in score.methods values samples against a utility split "
                + "(knn_shapley, tracin, or an ensemble with one): add one, or leave dataset.utility out", e.get(0));
        parse(yaml("  utility: utility.csv\n  test: test.csv\n", "score: {methods: [ensemble], ensemble: [loss, "
                + "knn_shapley]}\n"));
    }

    /** A utility file that is the test (or validation) file would choose samples by the split that judges them. */
    @Test
    void theUtilityFileMayNotBeTheTestOrValidationFileNorLinkToThem() throws IOException {
        String text = yaml("  validation: valid.csv\n  utility: utility.csv\n  test: test.csv\n",
                "score: {methods: [tracin]}\n");
        List<String> e = errors(text.replace("utility: utility.csv", "utility: test.csv"));
        assertEquals(List.of("w.yaml:5: dataset.utility: is the same file as dataset.test (" + dir.resolve("test.csv")
                + "): samples would be chosen by their value on the pairs the test split then measures; give a file "
                + "of its own"), e);
        e = errors(text.replace("utility: utility.csv", "utility: ./valid.csv"));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).contains("dataset.utility: is the same file as dataset.validation (") && e.get(0)
                .contains("one split would both choose samples and pick epochs"), e.toString());
        Files.createSymbolicLink(dir.resolve("linked.csv"), dir.resolve("test.csv"));
        e = errors(text.replace("utility: utility.csv", "utility: linked.csv"));
        assertEquals(List.of("w.yaml:5: dataset.utility: is the same file as dataset.test (" + dir.resolve("linked.csv")
                + "): samples would be chosen by their value on the pairs the test split then measures; give a file "
                + "of its own"), e);
    }

    /**
     * What the refusal says fits the workflow: a regression task runs no method that reads a utility split (the
     * classification defaults include tracin and knn_shapley); recommendation refuses every given file.
     */
    @Test
    void theRefusalsSayWhatTheWorkflowCanDo() throws IOException {
        String files = "  utility: utility.csv\n  test: test.csv\n";
        List<String> regression = errors(yaml(files, "").replace("task: {type: binary}",
                "task: {type: regression, min_label: 0, max_label: 1}"));
        assertEquals(List.of("w.yaml:4: dataset.utility: no method that values samples against a utility split "
                + "(knn_shapley, tracin) runs on a regression task: leave dataset.utility out"), regression);
        String rec = """
                name: rec
                dataset:
                  path: train.csv
                  utility: utility.csv
                  columns: {user: query, item: title}
                task: {type: recommendation}
                """;
        List<String> r = errors(rec);
        assertTrue(r.stream().anyMatch(e -> e.contains("task.type recommendation reads a file of interactions")
                && e.contains("validation/utility/test")), r.toString());
        assertTrue(r.stream().noneMatch(e -> e.contains("is required with")), "no advice it could not follow: " + r);
    }

    @Test
    void theUtilityFileIsCheckedBeforeARunLikeTheOthers() throws IOException {
        String text = yaml("  utility: utility.csv\n  test: test.csv\n", "score: {methods: [knn_shapley]}\n");
        Files.writeString(dir.resolve("utility.csv"), "query,title\nlamp,Red lamp\n");
        List<String> e = errors(text);
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("w.yaml:4: dataset.utility: column 'label' is not in the header of "
                + dir.resolve("utility.csv")) || e.get(0).contains("dataset.utility: columns"), e.toString());
        List<String> same = errors(text.replace("utility.csv", "./train.csv"));
        assertEquals(1, same.size(), same.toString());
        assertTrue(same.get(0).startsWith("w.yaml:4: dataset.utility: is the same file as dataset.path"),
                same.toString());
    }

    /** Local given files beside a training file in S3 are checked too (before stop 56 nothing was, till ingest). */
    @Test
    void localGivenFilesBesideAnS3TrainingFileAreChecked() throws IOException {
        String text = yaml("  utility: utility.csv\n  test: test.csv\n", "score: {methods: [knn_shapley]}\n")
                .replace("path: train.csv", "path: s3://shop/train.csv");
        assertEquals("s3://shop/train.csv", parse(text).dataset().path(), "good local files pass");
        Files.writeString(dir.resolve("test.csv"), "query,title\nlamp,Red lamp\n");
        List<String> e = errors(text);
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("w.yaml:5: dataset.test: column 'label' is not in the header of "
                + dir.resolve("test.csv")) || e.get(0).startsWith("w.yaml:5: dataset.test: columns"), e.toString());
    }
}
