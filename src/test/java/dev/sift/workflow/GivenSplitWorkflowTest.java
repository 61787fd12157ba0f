package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.DittoRows;
import dev.sift.data.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dataset.format: ditto} with its fixed columns, and a split given as validation and test files. */
class GivenSplitWorkflowTest {
    @TempDir
    Path dir;

    private String yaml(String extra) throws IOException {
        for (String f : List.of("train.txt", "valid.txt", "test.txt")) {
            Files.writeString(dir.resolve(f), "COL title VAL a\tCOL title VAL b\t1\n");
        }
        return """
                name: match
                dataset:
                  format: ditto
                  path: train.txt
                  validation: valid.txt
                  test: test.txt
                task: {type: binary}
                score: {methods: [loss]}
                filter: {by: loss}
                """ + extra;
    }

    @Test
    void dittoFilesGiveTheSplit() throws IOException {
        WorkflowSpec s = WorkflowParser.parse("w.yaml", yaml(""), dir, Map.of(), true).spec();
        assertEquals("ditto", s.dataset().format());
        assertEquals(DittoRows.LEFT, s.dataset().columns().query());
        assertEquals(DittoRows.RIGHT, s.dataset().columns().title());
        assertEquals(dir.resolve("valid.txt").toString(), s.dataset().given().validation());
        assertEquals(dir.resolve("test.txt").toString(), s.dataset().given().test());
        assertEquals(0.0, s.split().validation());
        assertEquals(0.0, s.split().test());
        assertEquals(TaskType.BINARY, s.task().type());
        WorkflowSpec plain = WorkflowParser.parse("w.yaml", GivenSplitWorkflowTest.plain(), dir, Map.of(), true)
                .spec();
        assertNull(plain.dataset().given());
    }

    @Test
    void aGivenSplitRefusesSplitFractionsAndColumnsAndNeedsBothFiles() throws IOException {
        List<String> errors = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml",
                yaml("split: {test: 0.2}\n").replace("  format: ditto\n", "  format: ditto\n  columns: {query: q}\n"),
                dir, Map.of(), true)).errors();
        assertEquals(2, errors.size(), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("split.test") && e.contains("dataset.validation and "
                + "dataset.test give the split")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("dataset.columns") && e.contains("format ditto")),
                errors.toString());
        List<String> one = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml",
                yaml("").replace("  test: test.txt\n", ""), dir, Map.of(), true)).errors();
        assertEquals(1, one.size(), one.toString());
        assertTrue(one.get(0).contains("dataset.test") && one.get(0).contains("is required with dataset.validation"),
                one.toString());
    }

    @Test
    void aTestFileAloneDrawsValidationFromTheTrainingQueries() throws IOException {
        String testOnly = yaml("").replace("  validation: valid.txt\n", "");
        WorkflowSpec s = WorkflowParser.parse("w.yaml", testOnly, dir, Map.of(), true).spec();
        assertNull(s.dataset().given().validation());
        assertEquals(dir.resolve("test.txt").toString(), s.dataset().given().test());
        assertEquals(0.1, s.split().validation(), "the default share, drawn by query from the training file");
        assertEquals(0.0, s.split().test());
        assertEquals(0.3, WorkflowParser.parse("w.yaml", testOnly + "split: {validation: 0.3}\n", dir, Map.of(),
                true).spec().split().validation());
        List<String> e = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", testOnly
                + "split: {test: 0.2}\n", dir, Map.of(), true)).errors();
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).contains("split.test: cannot be set: dataset.test gives the test split"), e.toString());
    }

    /** The validation and test files of a CSV split are checked like the training file, and must differ from it. */
    @Test
    void givenCsvFilesAreCheckedBeforeARunAndMayNotRepeatTheTrainingFile() throws IOException {
        Files.writeString(dir.resolve("train.csv"), "query,title,label\nlamp,Red lamp,1\n");
        Files.writeString(dir.resolve("valid.csv"), "query,title,label\nmug,Mug,0\n");
        Files.writeString(dir.resolve("test.tsv"), "query\ttitle\tlabel\nmug\tMug\t0\n");
        String csv = """
                name: given
                dataset:
                  path: train.csv
                  validation: valid.csv
                  test: test.tsv
                  columns: {query: query, title: title, label: label}
                task: {type: binary}
                """;
        // a file's separator follows its own name: test.tsv has tabs beside train.csv's commas (GivenFileFormatsTest)
        assertEquals('\t', WorkflowParser.parse("w.yaml", csv, dir, Map.of(), true).spec().dataset()
                .separatorOf(dev.sift.data.Split.TEST));
        Files.writeString(dir.resolve("test.tsv"), "query,title,label\nmug,Mug,0\n"); // named .tsv, commas inside
        List<String> e = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", csv, dir,
                Map.of(), true)).errors();
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).contains("dataset.test: columns 'query', 'title', 'label' are not in the header of "
                + dir.resolve("test.tsv") + " (has: query,title,label); the header looks ','-separated: name the "
                + "file .csv (a file's separator follows its name while dataset.separator is unset), or set "
                + "dataset.separator: \",\" (it applies to "
                + "every file of the data set)"), e.toString());
        List<String> same = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml",
                csv.replace("test.tsv", "./train.csv"), dir, Map.of(), true)).errors();
        assertEquals(1, same.size(), same.toString());
        assertTrue(same.get(0).startsWith("w.yaml:5: dataset.test: is the same file as dataset.path"), same.toString());
        // through a symbolic or a hard link too (a probe's symbolic link passed)
        Files.createSymbolicLink(dir.resolve("linked.csv"), dir.resolve("train.csv"));
        Files.createLink(dir.resolve("hard.csv"), dir.resolve("train.csv"));
        for (String link : List.of("linked.csv", "hard.csv")) {
            List<String> linked = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml",
                    csv.replace("test.tsv", link), dir, Map.of(), true)).errors();
            assertTrue(linked.get(0).contains("dataset.test: is the same file as dataset.path (")
                    && linked.get(0).contains(link + ")"), linked.toString());
        }
        Files.writeString(dir.resolve("test.csv"), "query,title,label\nmug,Mug,0\n");
        WorkflowParser.parse("w.yaml", csv.replace("test.tsv", "valid.csv"), dir, Map.of(), true);
        WorkflowParser.parse("w.yaml", csv.replace("test.tsv", "test.csv"), dir, Map.of(), true);
    }

    private static String plain() {
        return """
                name: plain
                dataset:
                  generate: {rows: 100, seed: 1}
                """;
    }
}
