package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `sift validate` says about a workflow a user got wrong: one line per problem, at the line that causes it. */
class WorkflowMessagesTest {
    private static final String GOOD = """
            name: t
            dataset:
              generate: {rows: 100, noise: 0.1, seed: 1}
            fine_tune:
              epochs: 4
              learning_rate: 0.01
            """;

    private static List<String> errors(String yaml, Map<String, String> overrides) {
        return assertThrows(WorkflowException.class,
                () -> WorkflowParser.parse("w.yaml", yaml, Path.of("."), overrides, true)).errors();
    }

    @Test
    void anUnknownKeyGetsTheNearestKnownOneOrTheKnownKeys() {
        assertEquals(List.of("w.yaml:3: model.encodr: unknown key (did you mean 'encoder'?)"),
                errors("name: t\nmodel:\n  encodr: hashed-bow\ndataset:\n  generate: {rows: 100}\n", Map.of()));
        assertEquals(" (did you mean 'learning_rate'?)", SpecBinder.suggestion("learnig_rate", Set.of("epochs",
                "learning_rate")));
        assertEquals(" (did you mean 'epochs'?)", SpecBinder.suggestion("epcohs", Set.of("epochs", "seed")),
                "a swap of two letters is one edit");
        assertEquals("; known here: epochs, seed", SpecBinder.suggestion("colour", Set.of("seed", "epochs")));
        assertEquals("", SpecBinder.suggestion("x", Set.of()));
        assertEquals(3, SpecBinder.distance("kitten", "sitting"));
    }

    @Test
    void anEmptyFileIsOneLineNotFiveRequiredKeys() {
        assertEquals(1, errors("", Map.of()).size());
        List<String> e = errors("# only a comment\n", Map.of());
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("w.yaml:1: the workflow is empty"), e.get(0));
    }

    @Test
    void tooManyAliasesNameTheLineOfTheOneOverTheLimit() {
        StringBuilder y = new StringBuilder("name: t\nx-a: &a {k: 1}\n");
        for (int i = 0; i < 60; i++) {
            y.append("x-b").append(i).append(": *a\n");
        }
        List<String> e = errors(y.toString(), Map.of());
        assertEquals(1, e.size(), e.toString());
        // 50 aliases of a mapping are allowed; the 51st is on line 2 + 51
        assertTrue(e.get(0).startsWith("w.yaml:53: invalid YAML: "), e.get(0));
    }

    @Test
    void setTakesAFlowMappingAndKeepsTheSectionsOtherKeys() {
        WorkflowParser.Parsed p = WorkflowParser.parse("w.yaml", GOOD, Path.of("."),
                Map.of("fine_tune", "{epochs: 2, batch_size: 8}"), true);
        assertEquals(2, p.spec().fineTune().epochs());
        assertEquals(8, p.spec().fineTune().batchSize());
        assertEquals(0.01, p.spec().fineTune().learningRate(), 1e-12, "a key the mapping does not name stays");
        assertEquals(List.of("w.yaml: --set fine_tune.epochs: must be an integer, got 'two'"),
                errors(GOOD, Map.of("fine_tune", "{epochs: two}")).stream().map(s -> s.replaceAll(" \\(.*", ""))
                        .toList());
        List<String> bad = errors(GOOD, Map.of("fine_tune", "{epochs: [}"));
        assertTrue(bad.get(0).startsWith("w.yaml: --set fine_tune: '{epochs: [}' is not a YAML flow mapping"),
                bad.toString());
    }

    @Test
    void aQuotedSetValueIsTheTextInsideItsQuotesAsInTheFile() {
        WorkflowParser.Parsed p = WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of("name", "\"my run\"",
                "fine_tune.epochs", "'3'", "score.methods", "[loss, 'el2n']", "filter.by", "'el2n'"), true);
        assertEquals("my run", p.spec().name());
        assertEquals(3, p.spec().fineTune().epochs());
        assertEquals(List.of("loss", "el2n"), p.spec().score().methods());
        assertEquals("el2n", p.spec().filter().by());
        assertEquals("[1, 2]", WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of("name", "'[1, 2]'"), true)
                .spec().name(), "a quoted list is text");
        assertEquals("\"q\"", WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of("name", "'\"q\"'"), true)
                .spec().name(), "quotes inside the quotes stay");
        assertEquals(List.of("w.yaml: --set name: needs a value (an empty one, null or ~ would be read as the "
                + "default)"), errors(GOOD, Map.of("name", "''")));
        List<String> bad = errors(GOOD, Map.of("score.methods", "[loss, [el2n]"));
        assertTrue(bad.get(0).startsWith("w.yaml: --set score.methods: '[loss, [el2n]' is not a YAML flow list"),
                bad.toString());
    }

    @Test
    void aColumnMissingFromTheHeaderIsNamedAtTheLineThatMapsIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("d.csv"), "query,title,grade\nshoes,red shoes,3\n");
        String yaml = """
                name: t
                dataset:
                  path: d.csv
                  columns:
                    query: query
                    title: product_title
                    label: grade
                """;
        List<String> e = assertThrows(WorkflowException.class,
                () -> WorkflowParser.parse("w.yaml", yaml, dir, Map.of(), true)).errors();
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("w.yaml:6: dataset.columns.title: column 'product_title' is not in the header"
                + " of "), e.get(0));
        assertTrue(e.get(0).contains("(has: query, title, grade)"), e.get(0));
    }

    @Test
    void aTsvFileIsReadWithTabsAndAWrongSeparatorIsOneLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("d.tsv"), "query\ttitle\tgrade\nshoes\tred shoes\t3\n");
        String yaml = """
                name: t
                dataset:
                  path: d.tsv
                  columns: {query: query, title: title, label: grade}
                """;
        assertEquals('\t', WorkflowParser.parse("w.yaml", yaml, dir, Map.of(), true).spec().dataset().separator());
        Files.writeString(dir.resolve("d.csv"), "query;title;grade\nshoes;red shoes;3\n");
        List<String> e = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml",
                yaml.replace("d.tsv", "d.csv"), dir, Map.of(), true)).errors();
        assertEquals(1, e.size(), "none of the three columns is there: one line with the hint, not three: " + e);
        assertTrue(e.get(0).contains("columns 'query', 'title', 'grade' are not in the header"), e.get(0));
    }

    @Test
    void aColumnInAnotherCaseIsSuggested(@TempDir Path dir) throws Exception {
        // a probe's: a header's Query is not the workflow's query, and the error did not say which it meant
        Files.writeString(dir.resolve("d.csv"), "Query,Title,grade\nshoes,red shoes,3\n");
        String yaml = """
                name: t
                dataset:
                  path: d.csv
                  columns: {query: query, title: Title, label: grade}
                """;
        List<String> e = assertThrows(WorkflowException.class,
                () -> WorkflowParser.parse("w.yaml", yaml, dir, Map.of(), true)).errors();
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).endsWith("(has: Query, Title, grade); names match case exactly: did you mean "
                + "'Query' for 'query'?"), e.get(0));
        Files.writeString(dir.resolve("d.csv"), "QUERY,TITLE,GRADE\nshoes,red shoes,3\n");
        List<String> all = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml",
                yaml.replace("Title", "title"), dir, Map.of(), true)).errors();
        assertEquals(1, all.size(), all.toString());
        assertTrue(all.get(0).endsWith("did you mean 'QUERY' for 'query', 'TITLE' for 'title', 'GRADE' for 'grade'?"),
                all.get(0));
        // at the line of columns:, not of dataset: (a probe's)
        assertTrue(all.get(0).startsWith("w.yaml:4: dataset.columns: columns 'query', 'title', 'grade' are not"),
                all.get(0));
    }

    @Test
    void aGzipFileCutShortIsSaidInWordsAtThePathLine(@TempDir Path dir) throws Exception {
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(raw)) {
            gz.write("query,title,grade\nshoes,red shoes,3\nlamp,oak lamp,2\n".repeat(20).getBytes());
        }
        String yaml = """
                name: t
                dataset:
                  path: d.csv.gz
                  columns: {query: query, title: title, label: grade}
                """;
        // cut inside the header (10 bytes: the gzip header alone) and further on: a probe's "EOFException" and
        // "Unexpected end of ZLIB input stream", said at the line of dataset: where the line of path: is meant
        for (int cut : new int[] {10, 30}) {
            Files.write(dir.resolve("d.csv.gz"), java.util.Arrays.copyOf(raw.toByteArray(), cut));
            List<String> e = assertThrows(WorkflowException.class,
                    () -> WorkflowParser.parse("w.yaml", yaml, dir, Map.of(), true)).errors();
            assertEquals(1, e.size(), e.toString());
            assertTrue(e.get(0).startsWith("w.yaml:3: dataset.path: cannot read "), e.get(0));
            assertTrue(e.get(0).endsWith("d.csv.gz: the data ends early: the file is cut short (copied or downloaded in "
                    + "part?)"), e.get(0));
        }
        // a path given by --set is still said as --set, resolved or not
        Files.write(dir.resolve("cut.csv.gz"), java.util.Arrays.copyOf(raw.toByteArray(), 10));
        List<String> set = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", yaml, dir,
                Map.of("dataset.path", "cut.csv.gz"), true)).errors();
        assertEquals(1, set.size(), set.toString());
        assertTrue(set.get(0).startsWith("w.yaml: --set dataset.path: cannot read "), set.get(0));
    }

    /** A key with a character no one sees is named by it (a probe's "epochs\u00a0" seemed to be "epochs"). */
    @Test
    void anInvisibleCharacterInAKeyIsNamed() {
        List<String> e = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", "name: w\n"
                + "dataset:\n  generate: {rows: 100}\nfine_tune:\n  epochs\u00a0: 2\n  epo\u200bchs: 3\n", null,
                Map.of(), false)).errors();
        assertEquals(List.of("w.yaml:5: fine_tune.epochs\u00a0: unknown key (it holds U+00A0, which shows as nothing or "
                + "a space) (did you mean 'epochs'?)", "w.yaml:6: fine_tune.epo\u200bchs: unknown key (it holds U+200B, "
                + "which shows as nothing or a space) (did you mean 'epochs'?)"), e);
        assertEquals("", SpecBinder.invisible("learning_rate"));
    }
}
