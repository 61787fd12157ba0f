package dev.sift.data;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.DatasetSpec.Columns;
import dev.sift.data.DatasetSpec;
import dev.sift.data.SplitSpec;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class IngestorTest {
    private static final Columns COLS = new Columns("query", "title", "description", "label", null, "user", null);
    private static final TaskSpec TASK = new TaskSpec(TaskType.GRADED, 1, 4);

    private static Ingestor ingestor(String format) {
        return ingestor(new DatasetSpec("/x", null, format, ',', COLS), null);
    }

    private static Ingestor ingestor(DatasetSpec d, ItemCatalog items) {
        return new Ingestor(d, TASK, new SplitSpec(0.2, 0.0, 0.2, 1),
                new KeyedHasher("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8)), items);
    }

    /** JSON Lines text read by the standard columns' ingestor, as x.jsonl. */
    private static Ingestor.Result jsonl(String text) throws Exception {
        return ingestor("jsonl").read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "x.jsonl");
    }

    /** A CSV with good rows and the five kinds of bad rows, one of them with invalid UTF-8 bytes. */
    static byte[] csvWithBadRows() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("query,title,description,label,user\n"
                + "red lamp,Acme red lamp,\"A lamp,\nwith a newline\",4,u1\n" // line 2-3, good
                + "blue sofa,Oak sofa,,3,u2\n" // line 4, good
                + "blue sofa,Oak sofa,,3,u2\n" // line 5, exact duplicate
                + "kettle,Steel kettle,desc,2\n" // line 6, wrong column count
                + ",Steel kettle,desc,2,u3\n" // line 7, empty query
                + "kettle,,desc,2,u3\n" // line 8, empty title
                + "kettle,Steel kettle,desc,high,u3\n" // line 9, label not a number
                + "kettle,Steel kettle,desc,7,u3\n").getBytes(StandardCharsets.UTF_8)); // line 10, out of range
        out.write("kettle,Steel kettle \u00e9".getBytes(StandardCharsets.UTF_8));
        out.write(new byte[] {(byte) 0xC3, (byte) 0x28}); // line 11, invalid UTF-8
        out.write(",desc,2,u3\nmug,White mug,desc,1,u4\nmug,Black mug,desc,2,u5\ntoy,Robot toy,d,3,u6\n"
                .getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void quarantinesEveryBadRowWithLineAndReason() throws Exception {
        Ingestor.Result r = ingestor("csv").read(new ByteArrayInputStream(csvWithBadRows()), "bad.csv");
        assertEquals(5, r.samples().size(), "good rows");
        assertEquals(1, r.duplicates());
        Map<Long, Quarantined> byLine = r.quarantined().stream()
                .collect(Collectors.toMap(Quarantined::line, q -> q));
        assertEquals(Set.of(6L, 7L, 8L, 9L, 10L, 11L), byLine.keySet());
        assertEquals(Quarantined.COLUMNS, byLine.get(6L).kind());
        assertEquals(Quarantined.EMPTY, byLine.get(7L).kind());
        assertEquals("query", byLine.get(7L).field());
        assertEquals(Quarantined.EMPTY, byLine.get(8L).kind());
        assertEquals(Quarantined.NOT_A_NUMBER, byLine.get(9L).kind());
        assertEquals(Quarantined.OUT_OF_RANGE, byLine.get(10L).kind());
        assertEquals("label", byLine.get(10L).field());
        assertEquals(Quarantined.UTF8, byLine.get(11L).kind());
        assertEquals("title", byLine.get(11L).field());
        assertTrue(byLine.get(9L).describe("bad.csv").startsWith("bad.csv:9: field 'label': "));
        // the quoted newline is kept inside the field and the record keeps its first line
        Sample first = r.samples().get(0);
        assertEquals("A lamp,\nwith a newline", first.description());
        assertEquals(2, first.sourceLine());
        // user ids never stored in the clear
        assertNotNull(first.user());
        assertTrue(!first.user().contains("u1") && first.user().length() == 32);
    }

    @Test
    void aDecimalCommaLabelSaysSo() throws Exception {
        String text = "query;title;description;label;user\nlamp;red lamp;;2,5;u1\nlamp;blue lamp;;x,y;u1\n";
        Ingestor.Result r = ingestor(new DatasetSpec("/x", null, "csv", ';', COLS), null).read(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "eu.csv");
        assertEquals("eu.csv:2: field 'label': label is not a number: '2,5' (a decimal comma: write labels with a "
                + "point, 2.5 not 2,5)", r.quarantined().get(0).describe("eu.csv"));
        assertEquals("eu.csv:3: field 'label': label is not a number: 'x,y'", r.quarantined().get(1).describe("eu.csv"));
    }

    /** Windows (CRLF) and old Mac (CR) line ends count one line each, in quarantine lines and stored source lines. */
    @Test
    void crlfAndCrLineEndsCountOneLineEach() throws Exception {
        for (String eol : List.of("\r\n", "\r")) {
            String text = String.join(eol, "query;title;description;label;user", "lamp;red lamp;;2;u1",
                    "lamp;blue lamp;;x;u1", "mug;\"big" + eol + "mug\";;3;u2", "mug;cup;;9;u2", "");
            Ingestor.Result r = ingestor(new DatasetSpec("/x", null, "csv", ';', COLS), null).read(
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "eol.csv");
            assertEquals(List.of(2L, 4L), r.samples().stream().map(Sample::sourceLine).toList(), eol);
            assertEquals(List.of(3L, 6L), r.quarantined().stream().map(Quarantined::line).toList(), eol);
        }
    }

    /** Equal texts of different rows are one string after ingest: the rows share their query, title and group. */
    @Test
    void equalTextsOfDifferentRowsAreOneString() throws Exception {
        String text = "query;title;description;label;user\nlamp;red lamp;;2;u1\nlamp;red lamp;;3;u2\n";
        List<Sample> s = ingestor(new DatasetSpec("/x", null, "csv", ';', COLS), null).read(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "same.csv").samples();
        assertEquals(2, s.size());
        assertSame(s.get(0).query(), s.get(1).query());
        assertSame(s.get(0).title(), s.get(1).title());
        assertSame(s.get(0).group(), s.get(1).group());
        assertEquals("lamp", s.get(1).group());
    }

    @Test
    void aLineOfSpacesIsBlankNotARowWithTooFewColumns() throws Exception {
        String text = "query;title;description;label;user\n   \nlamp;red lamp;;2;u1\n\t \n";
        Ingestor.Result r = ingestor(new DatasetSpec("/x", null, "csv", ';', COLS), null).read(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "spaces.csv");
        assertEquals(1, r.samples().size());
        assertEquals(List.of(), r.quarantined());
        assertEquals(1, r.rowsRead());
    }

    @Test
    void splitsByQuerySoNoQueryIsInTwoSplits() throws Exception {
        StringBuilder sb = new StringBuilder("query,title,description,label,user\n");
        for (int q = 0; q < 40; q++) {
            for (int i = 0; i < 5; i++) {
                sb.append("query ").append(q).append(",title ").append(i).append(",d,").append(1 + i % 4)
                        .append(",u\n");
            }
        }
        Ingestor.Result r = ingestor("csv").read(new ByteArrayInputStream(sb.toString().getBytes()), "x.csv");
        Map<String, Set<Split>> splitsOfQuery = new HashMap<>();
        for (Sample s : r.samples()) {
            splitsOfQuery.computeIfAbsent(s.group(), g -> new java.util.HashSet<>()).add(s.split());
        }
        assertTrue(splitsOfQuery.values().stream().allMatch(s -> s.size() == 1));
        assertEquals(8 * 5, r.count(Split.TEST));
        assertEquals(8 * 5, r.count(Split.VALIDATION));
        // same groups and seed -> same assignment
        Ingestor.Result again = ingestor("csv").read(new ByteArrayInputStream(sb.toString().getBytes()), "x.csv");
        assertEquals(r.samples(), again.samples());
    }

    @Test
    void injectedNoiseFlipsTrainingLabelsAfterTheSplitAndJoinsTheSourceFlag() throws Exception {
        StringBuilder sb = new StringBuilder("query,title,description,label,user,bad\n");
        for (int q = 0; q < 40; q++) {
            for (int i = 0; i < 5; i++) {
                sb.append("query ").append(q).append(",title ").append(i).append(",d,").append(1 + i % 4)
                        .append(",u,").append(q == 1 && i == 0 ? 1 : 0).append('\n');
            }
        }
        byte[] csv = sb.toString().getBytes(StandardCharsets.UTF_8);
        Columns flagged = new Columns("query", "title", "description", "label", null, "user", "bad");
        DatasetSpec clean = new DatasetSpec("/x", null, "csv", ',', flagged);
        KeyedHasher h = new KeyedHasher("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));
        SplitSpec split = new SplitSpec(0.2, 0.0, 0.2, 1);
        Ingestor.Result before = new Ingestor(clean, TASK, split, h).read(new ByteArrayInputStream(csv), "x.csv");
        Ingestor.Result after = new Ingestor(clean.withNoise(new LabelNoise.Spec(0.25, LabelNoise.Kind.FAR, 4)),
                TASK, split, h).read(new ByteArrayInputStream(csv), "x.csv");
        assertEquals(0, before.flipped());
        assertEquals(Math.round(0.25 * before.count(Split.TRAIN)), after.flipped());
        int changed = 0;
        for (int i = 0; i < before.samples().size(); i++) {
            Sample b = before.samples().get(i);
            Sample a = after.samples().get(i);
            assertEquals(b.split(), a.split(), "the split is made before the noise");
            if (b.label() != a.label()) {
                changed++;
                assertEquals(Split.TRAIN, b.split());
                assertTrue(a.noisy());
            }
            assertTrue(!b.noisy() || a.noisy(), "the source's own flag stays");
        }
        assertEquals(after.flipped(), changed, "a far flip always changes a grade");
    }

    @Test
    void readsJsonLinesAndQuarantinesMalformedLines() throws Exception {
        String jsonl = "{\"query\":\"lamp\",\"title\":\"Red lamp\",\"label\":4}\n"
                + "{not json}\n"
                + "{\"query\":\"sofa\",\"title\":\"Oak sofa\",\"label\":0}\n"
                + "{\"query\":\"mug\",\"title\":\"White mug\",\"label\":\"2\",\"user\":\"u9\"}\n"
                + "{\"query\":\"toy\",\"title\":\"Robot\",\"label\":3}\n"
                + "{\"query\":\"pen\",\"title\":\"Blue pen\",\"label\":1}\n";
        Ingestor.Result r = ingestor("jsonl").read(new ByteArrayInputStream(jsonl.getBytes()), "x.jsonl");
        assertEquals(4, r.samples().size());
        List<Long> lines = r.quarantined().stream().map(Quarantined::line).toList();
        assertEquals(List.of(2L, 3L), lines);
    }

    @Test
    void missingColumnFailsTheWholeFile() {
        byte[] csv = "query,name,label\nlamp,Red lamp,4\n".getBytes();
        var e = assertThrows(Ingestor.SchemaException.class,
                () -> ingestor("csv").read(new ByteArrayInputStream(csv), "x.csv"));
        assertTrue(e.getMessage().startsWith("x.csv:1: column 'title'"), e.getMessage());
        // a blank first line (an S3 file is not checked before the run): said as such, not "(has: )"
        byte[] blank = " \nquery,title,label\nlamp,Red lamp,4\n".getBytes();
        var b = assertThrows(Ingestor.SchemaException.class,
                () -> ingestor("csv").read(new ByteArrayInputStream(blank), "b.csv"));
        assertTrue(b.getMessage().startsWith("b.csv:1: the header row names no column"), b.getMessage());
    }

    @Test
    void preparedDatasetRoundTripsByteForByte() throws Exception {
        Ingestor.Result r = ingestor("csv").read(new ByteArrayInputStream(csvWithBadRows()), "bad.csv");
        byte[] bytes = PreparedDataset.write(r.samples());
        assertEquals(r.samples(), PreparedDataset.read(bytes));
        assertTrue(java.util.Arrays.equals(bytes, PreparedDataset.write(PreparedDataset.read(bytes))));
    }

    /** 401 lines: the header and 400 rows; the title of the row on line 51 opens a quote that never closes. */
    private static String csvWithUnterminatedQuoteAtLine51() {
        StringBuilder sb = new StringBuilder("query,title,description,label,user\n");
        for (int line = 2; line <= 401; line++) {
            String title = line == 51 ? "\"Oak sofa, 2 m" : "title " + line;
            sb.append("query ").append(line % 40).append(',').append(title).append(",d,").append(1 + line % 4)
                    .append(",u").append(line).append('\n');
        }
        return sb.toString();
    }

    @Test
    void anUnterminatedQuoteFailsIngestNamingTheLineWhereItOpened() {
        byte[] csv = csvWithUnterminatedQuoteAtLine51().getBytes(StandardCharsets.UTF_8);
        assertEquals(401, new String(csv, StandardCharsets.UTF_8).lines().count());
        dev.sift.SiftException e = assertThrows(dev.sift.SiftException.class,
                () -> ingestor("csv").read(new ByteArrayInputStream(csv), "shop.csv"));
        assertEquals(dev.sift.ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("shop.csv:51: "), e.getMessage());
        assertTrue(e.getMessage().contains("quote"), e.getMessage());
    }

    @Test
    void aQuotedFieldSpanningTooManyLinesFailsIngestButAFewLinesAreFine() throws Exception {
        StringBuilder sb = new StringBuilder("query,title,description,label,user\nlamp,Red lamp,\"");
        sb.append("line\n".repeat(CsvReader.MAX_QUOTED_LINES + 50)).append("\",2,u1\n");
        dev.sift.SiftException e = assertThrows(dev.sift.SiftException.class, () -> ingestor("csv").read(
                new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)), "long.csv"));
        assertTrue(e.getMessage().startsWith("long.csv:2: "), e.getMessage());
        // a description spanning 800 lines (real data has 780) is one good row
        String longButFine = "query,title,description,label,user\nlamp,Red lamp,\"" + "line\n".repeat(800)
                + "\",2,u1\n";
        assertEquals(1, ingestor("csv").read(new ByteArrayInputStream(longButFine.getBytes(StandardCharsets.UTF_8)),
                "ok.csv").samples().size());
        // a bad row whose quoted field spans 3 physical lines counts 3 lost lines
        String csv = "query,title,description,label,user\nlamp,Red lamp,\"a\nb\nc\",9,u1\nmug,Mug,d,2,u2\n";
        Ingestor.Result r = ingestor("csv").read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                "x.csv");
        assertEquals(1, r.quarantined().size());
        assertEquals(3, r.quarantined().get(0).lines());
        assertEquals(3, r.quarantinedLines());
        assertEquals(1, r.samples().size());
    }

    @Test
    void quarantinedRowsNeverKeepRawUserIds() throws Exception {
        Ingestor.Result csv = ingestor("csv").read(new ByteArrayInputStream(csvWithBadRows()), "bad.csv");
        assertEquals(6, csv.quarantined().size());
        KeyedHasher hasher = new KeyedHasher("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));
        for (Quarantined q : csv.quarantined()) {
            assertTrue(!q.raw().contains("u3"), q.raw());
        }
        assertTrue(csv.quarantined().get(1).raw().endsWith("," + hasher.hash("u3")), csv.quarantined().get(1).raw());
        String jsonl = "{\"query\":\"lamp\",\"title\":\"\",\"label\":4,\"user\":\"alice@example.com\"}\n"
                + "{\"query\":\"lamp\",\"title\":\"Red lamp\",\"label\":9,\"user\":12345}\n"
                + "{\"query\":\"lamp\", \"user\" : \"bob@example.com\", broken\n"
                + "{\"query\":\"lamp\",\"title\":\"Red lamp\",\"label\":2,\"user\":\"carol\"}\n";
        Ingestor.Result j = ingestor("jsonl").read(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)),
                "x.jsonl");
        assertEquals(3, j.quarantined().size());
        for (Quarantined q : j.quarantined()) {
            assertTrue(!q.raw().contains("alice") && !q.raw().contains("12345") && !q.raw().contains("bob"), q.raw());
        }
        assertTrue(j.quarantined().get(0).raw().contains(hasher.hash("alice@example.com")));
    }

    @Test
    void binaryLabelsReadTrueFalseYesNoAndAMissingLabelIsEmptyNotANumber() throws Exception {
        Ingestor binary = new Ingestor(new DatasetSpec("/x", null, "csv", ',', COLS), new TaskSpec(TaskType.BINARY, 0,
                1), new SplitSpec(0.0, 0.0, 0.0, 1), new KeyedHasher("0123456789abcdef0123".getBytes(
                StandardCharsets.UTF_8)));
        byte[] csv = ("query,title,description,label,user\na,t1,d,TRUE,u\na,t2,d,no,u\na,t3,d,Yes,u\na,t4,d,false,u\n"
                + "a,t5,d,1,u\na,t6,d,maybe,u\na,t7,d, ,u\n").getBytes(StandardCharsets.UTF_8);
        Ingestor.Result r = binary.read(new ByteArrayInputStream(csv), "c.csv");
        assertEquals(List.of(1.0, 0.0, 1.0, 0.0, 1.0), r.samples().stream().map(Sample::label).toList());
        assertEquals(List.of(Quarantined.NOT_A_NUMBER, Quarantined.EMPTY), r.quarantined().stream()
                .map(Quarantined::kind).toList());
        assertEquals("c.csv:7: field 'label': label is not a number: 'maybe': the task expects an integer from 0 to 1, "
                + "true/false or yes/no", r.quarantined().get(0).describe("c.csv"));
        // a graded task reads numbers only
        byte[] graded = "query,title,description,label,user\na,t1,d,true,u\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(Quarantined.NOT_A_NUMBER, ingestor("csv").read(new ByteArrayInputStream(graded), "g.csv")
                .quarantined().get(0).kind());
    }

    @Test
    void aCsvHeaderWithAColumnTwiceFailsTheFile() {
        byte[] csv = "query,title,description,label,title\nlamp,Red lamp,d,4,x\n".getBytes(StandardCharsets.UTF_8);
        var e = assertThrows(Ingestor.SchemaException.class,
                () -> ingestor("csv").read(new ByteArrayInputStream(csv), "x.csv"));
        assertEquals("x.csv:1: column 'title' appears twice in the header", e.getMessage());
        String longName = "t".repeat(45);
        byte[] twiceLong = ("query,title,label," + longName + "," + longName + "\nlamp,Red lamp,4,x,y\n")
                .getBytes(StandardCharsets.UTF_8);
        var cut = assertThrows(Ingestor.SchemaException.class,
                () -> ingestor("csv").read(new ByteArrayInputStream(twiceLong), "x.csv"));
        assertEquals("x.csv:1: column '" + "t".repeat(37) + "...' appears twice in the header", cut.getMessage());
        // a spreadsheet's trailing unnamed columns are no clash, and a header name is read without its spaces
        byte[] excel = "query, title ,description,label,user,,\nlamp,Red lamp,d,4,u1,,\n".getBytes(StandardCharsets.UTF_8);
        assertDoesNotThrow(() -> ingestor("csv").read(new ByteArrayInputStream(excel), "x.csv"));
    }

    @Test
    void jsonLinesSkipAByteOrderMarkAndQuarantineKeysWrittenTwice() throws Exception {
        String jsonl = "\ufeff{\"query\":\"lamp\",\"title\":\"Red lamp\",\"label\":4}\n"
                + "{\"query\":\"mug\",\"title\":\"Mug\",\"label\":1,\"label\":4}\n"
                + "{\"query\":\"pen\",\"title\":\"Pen\",\"label\":2} {\"query\":\"x\"}\n"
                + "{\"query\":\"cup\",\"title\":{\"name\":\"Cup\"},\"label\":2}\n"
                + "{\"query\":\"box\",\"title\":\"Box\\u001b[2J\",\"label\":2}\n";
        Ingestor.Result r = jsonl(jsonl);
        assertEquals(1, r.samples().size(), "the first line, after the byte order mark");
        Map<Long, Quarantined> byLine = r.quarantined().stream()
                .collect(Collectors.toMap(Quarantined::line, q -> q));
        assertEquals(Set.of(2L, 3L, 4L, 5L), byLine.keySet());
        assertEquals("invalid JSON: key 'label' twice (column 47)", byLine.get(2L).reason());
        assertEquals("invalid JSON: text after the object (one object per line) (column 41)",
                byLine.get(3L).reason());
        assertEquals("title", byLine.get(4L).field());
        assertEquals("control character", byLine.get(5L).kind());
    }

    /** JSON numbers reach the fields as written: 1e400 is not read as Infinity, 3.50 not as 3.5. */
    @Test
    void jsonNumbersKeepTheirWrittenForm() throws Exception {
        Ingestor.Result r = jsonl("{\"query\":3.50,\"title\":\"Red lamp\",\"label\":2.0}\n"
                + "{\"query\":\"lamp\",\"title\":\"Red\",\"label\":1e400}\n"
                + "{\"query\":\"desk\",\"title\":\"Oak\",\"label\":1e0}\n");
        assertEquals(List.of("3.50", "desk"), r.samples().stream().map(Sample::query).toList());
        assertEquals(List.of(2.0, 1.0), r.samples().stream().map(Sample::label).toList());
        assertEquals("label 1E+400 is beyond the range of a number (about 1.8e308)", r.quarantined().get(0).reason());
    }

    /** What the JSON parser objects to, in plain words with a column; no parser feature names. */
    @Test
    void jsonLinesSayWhatIsWrongInPlainWords() throws Exception {
        String jsonl = "{\"query\":\"lamp\",\"title\":\"Red lamp\",\"label\":4}\n"
                + "{\"query\":\"lamp\",\"title\":\"Red\"\n"
                + "{\"query\":\"lamp\",\"title\":\"Red\",\"label\":NaN}\n"
                + "{\"query\":\"lamp\", /* note */ \"title\":\"Red\",\"label\":1}\n"
                + "{'query':'lamp','title':'Red','label':1}\n"
                + "{\"query\":\"\\ud800\",\"title\":\"Red\",\"label\":1}\n"
                + "{\"query\":\"\\ud83d\\ude00\",\"title\":\"Red\",\"label\":1}\n"
                + "{\"query\":\"lamp\",\"title\":\"Red\",\"label\":1,}\n"
                + "{\"query\":\"lamp\",\"title\":\"Red\",\"label\":1,\"tags\":[1,]}\n"
                + "{\"query\":\"lamp\",\"title\":\"Red\",\"label\":1,\"new\":True}\n"
                + "hunter2Zq9xKey\n"
                + "{\"query\":\"lamp\",\"title\": }\n"
                + "{\"query\":\"lamp\" \"title\":\"Red\",\"label\":1}\n"
                + "{\"query\" \"lamp\",\"title\":\"Red\",\"label\":1}\n";
        Ingestor.Result r = jsonl(jsonl);
        assertEquals(2, r.samples().size(), "line 1, and line 7 whose escapes are a whole surrogate pair (an emoji)");
        Map<Long, String> reasons = r.quarantined().stream().collect(Collectors.toMap(Quarantined::line,
                Quarantined::reason));
        assertTrue(reasons.get(2L).startsWith("invalid JSON: the line ends inside an object, array or string"),
                reasons.get(2L));
        assertTrue(reasons.get(3L).startsWith("invalid JSON: NaN and Infinity are not JSON numbers"), reasons.get(3L));
        assertTrue(reasons.get(4L).startsWith("invalid JSON: comments are not allowed"), reasons.get(4L));
        assertTrue(reasons.get(5L).startsWith("invalid JSON: keys and strings need double quotes"), reasons.get(5L));
        assertTrue(reasons.get(6L).startsWith("invalid Unicode: an escape of half a surrogate pair"), reasons.get(6L));
        for (long line : new long[] {8, 9}) { // a probe's trailing comma was called a quoting error
            assertTrue(reasons.get(line).startsWith("invalid JSON: a comma before a closing brace or bracket (JSON has "
                    + "no trailing commas)"), reasons.get(line));
        }
        for (long line : new long[] {10, 11}) { // the bare word itself is not repeated: the line may not be data
            assertTrue(reasons.get(line).startsWith("invalid JSON: a bare word where a JSON value should be"),
                    reasons.get(line));
            assertFalse(reasons.get(line).contains("True") || reasons.get(line).contains("hunter2"), reasons.get(line));
        }
        // a probe's missing value read in the parser's words (JSON String, Number, Array, Object or token 'null'...)
        assertTrue(reasons.get(12L).startsWith("invalid JSON: a key without a value, or a character where a JSON "
                + "value should be (column"), reasons.get(12L));
        assertTrue(reasons.get(13L).startsWith("invalid JSON: a comma is missing between two entries"),
                reasons.get(13L));
        assertTrue(reasons.get(14L).startsWith("invalid JSON: a key needs a colon before its value"), reasons.get(14L));
        for (String why : reasons.values()) {
            assertTrue(!why.contains("Feature") && !why.contains("Source") && !why.contains("`"), why);
        }
        Ingestor.SchemaException typo = assertThrows(Ingestor.SchemaException.class, () -> ingestor(new DatasetSpec(
                "/x", null, "jsonl", ',', new Columns("query", "name", null, "label", null, null, null, null)), null)
                .read(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)), "x.jsonl"));
        assertEquals("x.jsonl: key 'name' is in no object of the file (has: label, query, title)", typo.getMessage());
        // every missing key in one line, each with its other-case spelling (a probe's fixed one key per run)
        Ingestor.SchemaException cased = assertThrows(Ingestor.SchemaException.class, () -> ingestor(new DatasetSpec(
                "/x", null, "jsonl", ',', new Columns("Query", "Title", null, "label", null, null, null, null)), null)
                .read(new ByteArrayInputStream(jsonl.getBytes(StandardCharsets.UTF_8)), "x.jsonl"));
        assertEquals("x.jsonl: keys 'Query', 'Title' are in no object of the file (has: label, query, title); names "
                + "match case exactly: did you mean 'query' for 'Query', 'title' for 'Title'?", cased.getMessage());
    }

    /** With an items file, a JSON Lines row may carry its own title and no item key: title or item, not both. */
    @Test
    void jsonLinesWithAnItemsFileNeedTitleOrItemNotBoth() throws Exception {
        DatasetSpec.Items items = new DatasetSpec.Items("items.csv", "csv", ',', true, Encoding.UTF_8, "product_id",
                "name", null);
        ItemCatalog catalog = ItemCatalog.read(new ByteArrayInputStream("product_id,name\np1,Lamp\n".getBytes(
                StandardCharsets.UTF_8)), "items.csv", items);
        DatasetSpec d = new DatasetSpec("/x", null, "jsonl", ',', new DatasetSpec.Columns("query", "title", null,
                "label", null, null, null, "product_id"), null, Encoding.UTF_8, true, items, null);
        String own = "{\"query\":\"lamp\",\"title\":\"Red lamp\",\"label\":2}\n"
                + "{\"query\":\"mug\",\"title\":\"Mug\",\"label\":1}\n";
        Ingestor.Result r = ingestor(d, catalog).read(new ByteArrayInputStream(own.getBytes(StandardCharsets.UTF_8)),
                "x.jsonl");
        assertEquals(2, r.samples().size(), "every row has its own title; no object has product_id");
    }

    /** Unicode spaces and zero-width characters do not make one query two groups (and put it in two splits). */
    @Test
    void queriesWithNoBreakOrZeroWidthSpacesAreOneGroup() {
        assertEquals("wool sheets", Ingestor.normalise("Wool sheets\u00a0"));
        assertEquals("wool sheets", Ingestor.normalise("wool\u2003\u00a0sheets"));
        assertEquals("wool sheets", Ingestor.normalise("wool\u200b sheets\ufeff"));
        assertEquals("usb monitor", Ingestor.normalise("  USB   MONITOR "));
        // composed and decomposed accents, and an ideographic space: one query each
        assertEquals(Ingestor.normalise("T\u00f6pfe blau"), Ingestor.normalise("To\u0308pfe blau"));
        assertEquals("t\u00f6pfe blau", Ingestor.normalise("To\u0308pfe\u3000blau"));
        // composed text is left as it is (NFC, not NFKC): its place in the split's sorted order does not move
        assertEquals("\ufb01lter kaffee\u2026", Ingestor.normalise("\ufb01lter kaffee\u2026"));
    }

    @Test
    void aFractionalGradeIsNotCalledOutOfRange() throws Exception {
        String csv = "query,title,description,label,user\nlamp,Red lamp,d,2.5,u1\nlamp,Mug,d,9,u1\nmug,Mug,d,1,u2\n";
        Ingestor.Result r = ingestor("csv").read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                "g.csv");
        assertTrue(r.quarantined().get(0).reason().startsWith("label 2.5 is not a whole grade: the task expects an "
                + "integer"), r.quarantined().get(0).reason());
        assertTrue(r.quarantined().get(1).reason().startsWith("label 9 is out of range"),
                r.quarantined().get(1).reason());
    }

    /** Mis-decoded windows-1252 punctuation (C1 characters) is real shop text, not an attack: the row stays. */
    @Test
    void c1PunctuationFromWindows1252IsKeptButNulAndEscapeAreNot() throws Exception {
        String csv = "query,title,description,label,user\nlamp,Red lamp,\u0095 bright\u0092s,2,u1\n"
                + "mug,Mug\u001b[31m,d,2,u2\nbowl,Bowl,a\u0000b,1,u3\n";
        Ingestor.Result r = ingestor("csv").read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
                "c1.csv");
        assertEquals(1, r.samples().size());
        assertEquals("lamp", r.samples().get(0).query());
        assertEquals(2, r.quarantined().size());
    }
}
