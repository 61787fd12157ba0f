package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.DatasetSpec;
import dev.sift.data.Ingestor;
import dev.sift.data.KeyedHasher;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each file of a data set given in several files is read in the format and with the separator its own name says,
 * unless the workflow sets {@code dataset.format} or {@code dataset.separator}, which then apply to every file (a
 * probe's {@code test.tsv} beside {@code train.csv} could not be read at all: the hint's setting broke the other file).
 */
class GivenFileFormatsTest {
    @TempDir
    Path dir;

    private static final String HEAD = "query,title,label\n";

    private String workflow(String train, String validation, String test, String extra) {
        return "name: formats\ndataset:\n  path: " + train + "\n  validation: " + validation + "\n  test: " + test
                + "\n" + extra + "  columns: {query: query, title: title, label: label}\ntask: {type: binary}\n";
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text);
    }

    private WorkflowSpec parse(String yaml) {
        return WorkflowParser.parse("w.yaml", yaml, dir, Map.of(), true).spec();
    }

    private List<String> errors(String yaml) {
        return assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", yaml, dir, Map.of(), true))
                .errors();
    }

    @Test
    void eachGivenFileIsReadAsItsNameSaysAndIngestReadsThemSo() throws IOException {
        write("train.csv", HEAD + "lamp,Red lamp,1\nlamp,Blue mug,0\nmug,Mug,1\nmug,Lamp,0\n");
        write("valid.jsonl", "{\"query\": \"desk\", \"title\": \"Oak desk\", \"label\": 1}\n"
                + "{\"query\": \"desk\", \"title\": \"Sofa\", \"label\": 0}\n");
        write("test.tsv", "query\ttitle\tlabel\nchair,red\tRed chair, wooden\t1\nchair,red\tTable\t0\n");
        WorkflowSpec s = parse(workflow("train.csv", "valid.jsonl", "test.tsv", ""));
        DatasetSpec d = s.dataset();
        assertEquals("csv", d.formatOf(Split.TRAIN));
        assertEquals(',', d.separatorOf(Split.TRAIN));
        assertEquals("jsonl", d.formatOf(Split.VALIDATION));
        assertEquals("csv", d.formatOf(Split.TEST));
        assertEquals('\t', d.separatorOf(Split.TEST));
        Ingestor.Result r = read(d);
        assertEquals(4, r.count(Split.TRAIN));
        assertEquals(2, r.count(Split.VALIDATION));
        assertEquals(2, r.count(Split.TEST));
        assertTrue(r.quarantined().isEmpty(), r.quarantined().toString());
        List<String> test = new ArrayList<>();
        r.samples().stream().filter(x -> x.split() == Split.TEST).map(x -> x.query() + "|" + x.title())
                .forEach(test::add);
        assertEquals(List.of("chair,red|Red chair, wooden", "chair,red|Table"), test, "tabs, not commas, cut the row");
        r.samples().stream().filter(x -> x.split() == Split.VALIDATION).map(Sample::query)
                .forEach(q -> assertEquals("desk", q));
        // the stored parameters name the files as the YAML does; how each is read follows from them, not stored
        java.util.SortedMap<String, Object> params = WorkflowParams.of(s);
        assertEquals(dir.resolve("test.tsv").toString(), params.get("dataset.test"));
        assertEquals(dir.resolve("valid.jsonl").toString(), params.get("dataset.validation"));
        assertTrue(params.keySet().stream().noneMatch(k -> k.startsWith("dataset.given")), params.toString());
    }

    @Test
    void aSetFormatOrSeparatorAppliesToEveryFileAndANameThatSaysNothingTakesTheTrainingFiles() throws IOException {
        write("train.tsv", "query\ttitle\tlabel\nlamp\tRed lamp\t1\n");
        write("valid.txt", "query\ttitle\tlabel\nmug\tMug\t0\n");
        write("test.csv", "query;title;label\nmug;Mug;0\n");
        DatasetSpec set = WorkflowParser.parse("w.yaml", workflow("train.tsv", "valid.txt", "test.csv",
                "  separator: \";\"\n  format: csv\n"), dir, Map.of(), false).spec().dataset();
        for (Split s : List.of(Split.TRAIN, Split.VALIDATION, Split.TEST)) {
            assertEquals(';', set.separatorOf(s), s.key());
            assertEquals("csv", set.formatOf(s), s.key());
        }
        // unset: valid.txt says nothing, so it is read as train.tsv is (tabs); test.csv with commas
        List<String> e = errors(workflow("train.tsv", "valid.txt", "test.csv", ""));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).contains("dataset.test: columns 'query', 'title', 'label' are not in the header of "
                + dir.resolve("test.csv") + " (has: query;title;label); the header looks ';'-separated: set "
                + "dataset.separator: \";\" (it applies to every file of the data set)"), e.toString());
        write("test.csv", "query,title,label\nmug,Mug,0\n");
        DatasetSpec unset = parse(workflow("train.tsv", "valid.txt", "test.csv", "")).dataset();
        assertEquals('\t', unset.separatorOf(Split.VALIDATION));
        assertEquals(',', unset.separatorOf(Split.TEST));
        // without a header every file must be CSV, a given one its name reads as JSON Lines too (a review's)
        write("test.jsonl", "{\"query\": \"mug\", \"title\": \"Mug\", \"label\": 0}\n");
        List<String> headerless = errors("name: h\ndataset:\n  path: train.tsv\n  test: test.jsonl\n  header: false\n"
                + "  columns: {query: 0, title: 1, label: 2}\ntask: {type: binary}\n");
        assertTrue(headerless.stream().anyMatch(x -> x.contains("dataset.header: false is for CSV files only "
                + "(dataset.test is jsonl by its name: " + dir.resolve("test.jsonl") + ")")), headerless.toString());
        // a separator set against a file's name: the hint says that the setting is what overrides the name
        List<String> tab = errors(workflow("train.tsv", "valid.txt", "test.csv", "  separator: tab\n"));
        assertEquals(1, tab.size(), tab.toString());
        assertTrue(tab.get(0).contains("(has: query,title,label); the header looks ','-separated, as its name says: "
                + "dataset.separator (tab) applies to every file of the data set; unset, each file's separator follows "
                + "its name (.tsv tab, .csv comma)"), tab.toString());
        // dataset.format: jsonl set for a CSV training file: said before a run, not by ingest after it is recorded
        write("test.jsonl", "{\"query\": \"mug\", \"title\": \"Mug\", \"label\": 0}\n");
        List<String> json = errors("name: j\ndataset:\n  path: train.tsv\n  test: test.jsonl\n  format: jsonl\n"
                + "  columns: {query: query, title: title, label: label}\ntask: {type: binary}\n");
        assertEquals(1, json.size(), json.toString());
        assertTrue(json.get(0).contains("dataset.path: " + dir.resolve("train.tsv") + ": no line of it is a JSON "
                + "object, so it is not JSON Lines: name the file for its format (.csv, .tsv, .parquet: a file's format "
                + "follows its name while dataset.format is unset), or set dataset.format (it applies to every file of "
                + "the data set)"), json.toString());
    }

    /** The readings' order is the splits' whatever the insertion order: the spec's digest keys the stage cache. */
    @Test
    void readingsKeepTheSplitsOrderSoTheSpecsDigestIsTheSameInEveryProcess() {
        var a = new java.util.LinkedHashMap<Split, DatasetSpec.Reading>();
        a.put(Split.TEST, new DatasetSpec.Reading("csv", '\t'));
        a.put(Split.VALIDATION, new DatasetSpec.Reading("jsonl", ','));
        var b = new java.util.LinkedHashMap<Split, DatasetSpec.Reading>();
        b.put(Split.VALIDATION, a.get(Split.VALIDATION));
        b.put(Split.TEST, a.get(Split.TEST));
        DatasetSpec.Given ga = new DatasetSpec.Given("v.jsonl", null, "t.tsv", a);
        DatasetSpec.Given gb = new DatasetSpec.Given("v.jsonl", null, "t.tsv", b);
        assertEquals(List.of(Split.VALIDATION, Split.TEST), List.copyOf(ga.readings().keySet()));
        assertEquals(StageJson.tree(ga).toString(), StageJson.tree(gb).toString());
    }

    @Test
    void excelsSeparatorLineIsNamedForWhatItIs() throws IOException {
        write("excel.csv", "sep=;\nquery;title;label\nlamp;Red lamp;1\n");
        String yaml = "name: x\ndataset:\n  path: excel.csv\n  columns: {query: query, title: title, label: label}\n"
                + "task: {type: binary}\n";
        for (String extra : List.of("", "  separator: \";\"\n")) {
            List<String> e = errors(yaml.replace("  columns", extra + "  columns"));
            assertEquals(1, e.size(), e.toString());
            assertTrue(e.get(0).endsWith("its first line is Excel's 'sep=;' line, not a header: delete that line and "
                    + "set dataset.separator: \";\""), e.toString());
        }
    }

    private Ingestor.Result read(DatasetSpec d) throws IOException {
        List<Ingestor.Part> parts = new ArrayList<>();
        List<InputStream> open = new ArrayList<>();
        try {
            for (var f : d.given().files(d.path()).entrySet()) {
                InputStream in = Files.newInputStream(Path.of(f.getValue()));
                open.add(in);
                parts.add(new Ingestor.Part(in, f.getValue(), f.getKey()));
            }
            return new Ingestor(d, new dev.sift.data.TaskSpec(dev.sift.data.TaskType.BINARY, 0, 1),
                    new dev.sift.data.SplitSpec(0, 0, 0, 1), new KeyedHasher("0123456789abcdef0123"
                            .getBytes(StandardCharsets.UTF_8))).readGiven(parts);
        } finally {
            for (InputStream in : open) {
                in.close();
            }
        }
    }
}
