package dev.sift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DeepMatcher/Ditto line parser, its quarantine, and a split given as three files. */
class DittoRowsTest {
    private static final TaskSpec TASK = new TaskSpec(TaskType.BINARY, 0, 1);
    private static final KeyedHasher HASHER = new KeyedHasher("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));
    private static final DatasetSpec.Columns COLS = new DatasetSpec.Columns(DittoRows.LEFT, DittoRows.RIGHT, null,
            DittoRows.LABEL, null, null, null);

    private static DatasetSpec spec() {
        return new DatasetSpec("train.txt", null, "ditto", ',', COLS, null, Encoding.UTF_8, true, null,
                new DatasetSpec.Given("valid.txt", "test.txt"));
    }

    @Test
    void aLineBecomesLeftAndRightTextsAndALabel() {
        DittoRows.Line l = DittoRows.parse("COL title VAL microsoft visio 2007 COL manufacturer VAL microsoft "
                + "COL price VAL 129.95 \tCOL title VAL visio std 2007 COL manufacturer VAL  COL price VAL 99.0 \t1");
        assertNull(l.malformed());
        assertEquals(Map.of("left", "title: microsoft visio 2007 manufacturer: microsoft price: 129.95",
                "right", "title: visio std 2007 price: 99.0", "label", "1"), l.values());
        // a value may hold several words and a record may hold one attribute
        assertEquals("name: a b c", DittoRows.record("COL name VAL a b c"));
        assertEquals("", DittoRows.record("COL title VAL  COL price VAL "));
    }

    @Test
    void malformedLinesNameTheirField() {
        DittoRows.Line missingLabel = DittoRows.parse("COL title VAL a\tCOL title VAL b");
        assertEquals(new DittoRows.Malformed("label", Quarantined.COLUMNS,
                "expected 3 tab-separated fields (left record, right record, label), got 2"),
                missingLabel.malformed());
        DittoRows.Line notARecord = DittoRows.parse("COL title VAL a\ttitle b\t0");
        assertEquals("right", notARecord.malformed().field());
        assertEquals("expected 'COL name VAL value ...', got 'title b'", notARecord.malformed().reason());
        assertEquals("left", DittoRows.parse("junk COL title VAL a\tCOL title VAL b\t0").malformed().field());
    }

    @Test
    void badLinesAreQuarantinedWithFileLineAndFieldAndTheFilesGiveTheSplit() throws IOException {
        String train = "COL title VAL a COL price VAL 1\tCOL title VAL a2 COL price VAL 1\t1\n"
                + "COL title VAL b\tCOL title VAL c\t0\n"
                + "COL title VAL b\tCOL title VAL c\t0\n" // an exact duplicate: dropped from training
                + "COL title VAL d\tCOL title VAL e\n" // no label
                + "COL title VAL f\tCOL title VAL g\t2\n"; // not 0 or 1
        String valid = "COL title VAL h\tCOL title VAL i\t1\n";
        String test = "COL title VAL j\tCOL title VAL k\t0\nCOL title VAL j\tCOL title VAL k\t0\n"
                + "COL title VAL l\tnope\t1\n";
        Ingestor ingestor = new Ingestor(spec(), TASK, new SplitSpec(0, 0, 0, 1), HASHER);
        Ingestor.Result r = ingestor.readGiven(List.of(part(train, "train.txt", Split.TRAIN),
                part(valid, "valid.txt", Split.VALIDATION), part(test, "test.txt", Split.TEST)));
        assertEquals(List.of("train.txt:4: field 'label': expected 3 tab-separated fields (left record, right "
                + "record, label), got 2", "train.txt:5: field 'label': label 2 is out of range: the task expects an "
                + "integer from 0 to 1", "test.txt:3: field 'right': expected 'COL name VAL value ...', got 'nope'"),
                r.quarantined().stream().map(q -> q.describe("dataset")).toList());
        assertEquals(2, r.count(Split.TRAIN));
        assertEquals(1, r.count(Split.VALIDATION));
        assertEquals(2, r.count(Split.TEST), "the test file is measured as given, duplicates included");
        assertEquals(1, r.duplicates());
        Sample first = r.samples().get(0);
        assertEquals("title: a price: 1", first.query());
        assertEquals("title: a2 price: 1", first.title());
        assertEquals(1.0, first.label());
        assertEquals(List.of(0, 1, 2, 3, 4), r.samples().stream().map(Sample::index).toList());
    }

    @Test
    void aByteOrderMarkBeforeTheFirstLineIsNotPartOfIt() throws IOException {
        String train = "\uFEFFCOL title VAL a\tCOL title VAL b\t1\nCOL title VAL c\tCOL title VAL d\t0\n";
        Ingestor ingestor = new Ingestor(spec(), TASK, new SplitSpec(0, 0, 0, 1), HASHER);
        Ingestor.Result r = ingestor.readGiven(List.of(part(train, "train.txt", Split.TRAIN),
                part("COL title VAL h\tCOL title VAL i\t1\n", "valid.txt", Split.VALIDATION),
                part("\uFEFFCOL title VAL j\tCOL title VAL k\t0\n", "test.txt", Split.TEST)));
        assertEquals(List.of(), r.quarantined().stream().map(q -> q.describe("dataset")).toList());
        assertEquals("title: a", r.samples().get(0).query());
        assertEquals(1, r.count(Split.TEST));
    }

    /** A test file alone: validation is drawn from the training file's queries, by query, at split.validation. */
    @Test
    void aTestFileAloneGetsItsValidationSplitFromTheTrainingQueries() throws IOException {
        StringBuilder train = new StringBuilder();
        for (int q = 0; q < 20; q++) {
            for (int i = 0; i < 3; i++) {
                train.append("COL title VAL q").append(q).append("\tCOL title VAL p").append(i).append('\t')
                        .append(i % 2).append('\n');
            }
        }
        String test = "COL title VAL j\tCOL title VAL k\t0\n";
        Ingestor ingestor = new Ingestor(spec(), TASK, new SplitSpec(0.25, 0, 0, 1), HASHER);
        Ingestor.Result r = ingestor.readGiven(List.of(part(train.toString(), "train.txt", Split.TRAIN),
                part(test, "test.txt", Split.TEST)));
        assertEquals(15, r.count(Split.VALIDATION), "5 of the 20 training queries, 3 pairs each");
        assertEquals(45, r.count(Split.TRAIN));
        assertEquals(1, r.count(Split.TEST));
        java.util.Set<String> validationQueries = new java.util.HashSet<>();
        r.samples().stream().filter(s -> s.split() == Split.VALIDATION).forEach(s -> validationQueries.add(s.group()));
        assertTrue(r.samples().stream().noneMatch(s -> s.split() == Split.TRAIN
                && validationQueries.contains(s.group())), "no query in both");
    }

    private static Ingestor.Part part(String text, String name, Split split) {
        InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
        return new Ingestor.Part(in, name, split);
    }
}
