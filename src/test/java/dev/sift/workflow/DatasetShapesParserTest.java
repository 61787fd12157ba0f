package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.DatasetSpec;
import dev.sift.data.Encoding;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dataset keys of issue #11's ingest shapes: encoding, header, separator, Parquet, gzip, items. */
class DatasetShapesParserTest {
    @TempDir
    Path dir;

    private DatasetSpec parse(String dataset) {
        return WorkflowParser.parse("w.yaml", "name: t\ndataset:\n" + dataset, dir, Map.of(), true).spec().dataset();
    }

    private List<String> errors(String dataset) {
        return assertThrows(WorkflowException.class, () -> parse(dataset)).errors();
    }

    @Test
    void encodingHeaderSeparatorAndItemsAreRead() throws Exception {
        Files.writeString(dir.resolve("u.data"), "1\t10\t4\n");
        Files.writeString(dir.resolve("u.item"), "10|Toy Story|x\n");
        DatasetSpec d = parse("""
                  path: u.data
                  separator: tab
                  header: false
                  encoding: latin-1
                  columns: {query: 0, item: 1, label: 2}
                  items: {path: u.item, separator: "|", header: false, encoding: iso-8859-1, key: 0, text: 1}
                """);
        assertEquals('\t', d.separator());
        assertFalse(d.header());
        assertEquals(Encoding.LATIN_1, d.encoding());
        assertEquals("1", d.columns().item());
        assertEquals(null, d.columns().title());
        assertEquals(new DatasetSpec.Items(dir.resolve("u.item").toString(), "csv", '|', false, Encoding.LATIN_1,
                "0", "1", null), d.items());
    }

    @Test
    void theItemKeyDefaultsToTheItemsKeyAndFormatsFollowTheName() throws Exception {
        Files.writeString(dir.resolve("r.csv"), "query,product_id,label\nq,p1,2\n");
        Files.writeString(dir.resolve("items.csv"), "product_id,title\np1,Lamp\n");
        DatasetSpec d = parse("""
                  path: r.csv
                  columns: {query: query, label: label}
                  items: {path: items.csv, key: product_id, text: title}
                """);
        assertEquals("product_id", d.columns().item());
        assertEquals(Encoding.UTF_8, d.encoding());
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("query,title,label\nq,t,2\n".getBytes());
        }
        Files.write(dir.resolve("shop.csv.gz"), gz.toByteArray());
        assertEquals("csv", parse("  path: shop.csv.gz\n  columns: {query: query, title: title, label: label}\n")
                .format(), "the header of a gzipped CSV is checked too");
        Files.write(dir.resolve("shop.parquet"), new byte[] {'P', 'A', 'R', '1'});
        assertEquals("parquet", parse("  path: shop.parquet\n  columns: {query: q, title: t, label: l}\n").format());
        List<String> e = errors("  path: shop.csv.gz\n  columns: {query: query, title: name, label: label}\n");
        assertTrue(e.stream().anyMatch(x -> x.contains("column 'name' is not in the header")), e.toString());
    }

    @Test
    void aHeaderWithoutDataRowsIsRefusedBeforeTheRun() throws Exception {
        Files.writeString(dir.resolve("h.csv"), "query,title,label\n\n  \r\n");
        List<String> e = errors("  path: h.csv\n  columns: {query: query, title: title, label: label}\n");
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).contains("dataset.path: " + dir.resolve("h.csv") + " has its header and nothing else: no "
                + "data rows"), e.get(0));
        List<String> both = errors("  path: h.csv\n  columns: {query: query, title: name, label: label}\n");
        assertEquals(1, both.size(), "a missing column is said first, alone: " + both);
        assertTrue(both.get(0).contains("column 'name' is not in the header"), both.get(0));
        Files.writeString(dir.resolve("h.csv"), "query,title,label\n\nq,t,2\n");
        assertEquals("csv", parse("  path: h.csv\n  columns: {query: query, title: title, label: label}\n").format(),
                "a data row after a blank line");
        assertEquals("csv", parse("  path: h.csv\n  header: false\n  columns: {query: 0, title: 1, label: 2}\n")
                .format(), "without a header the first row is data");
        // a probe's file of blank lines was told its columns are not in the header "(has: )"
        Files.writeString(dir.resolve("blank.csv"), "\n\n\n");
        List<String> blank = errors("  path: blank.csv\n  columns: {query: query, title: title, label: label}\n");
        assertEquals(1, blank.size(), blank.toString());
        assertTrue(blank.get(0).contains(dir.resolve("blank.csv") + ": its first line, the header, names no column (a "
                + "blank line)"), blank.get(0));
    }

    /** JSON Lines without a row and a Parquet file that is none are refused before a run, as an empty CSV is. */
    @Test
    void anEmptyJsonLinesFileOrAFalseParquetFileIsRefusedBeforeTheRun() throws Exception {
        Files.writeString(dir.resolve("e.jsonl"), "\uFEFF\n \r\n\t\n");
        assertEquals(List.of("w.yaml:3: dataset.path: " + dir.resolve("e.jsonl") + " is empty: no rows"),
                errors("  path: e.jsonl\n  columns: {query: q, title: t, label: l}\n"));
        // a required key in no object: said now, as ingest would say it; a key first seen on a later line is found
        Files.writeString(dir.resolve("one.jsonl"), "\n{\"q\": \"lamp\", \"T\": \"x\"}\n{\"q\": \"mug\"}\n");
        assertEquals(List.of("w.yaml:3: dataset.path: " + dir.resolve("one.jsonl") + ": keys 'l', 't' are in no object "
                + "of the file (has: T, q); names match case exactly: did you mean 'T' for 't'?"),
                errors("  path: one.jsonl\n  columns: {query: q, title: t, label: l}\n"));
        // past the 1,000 keys ingest lists, the mapped ones are still kept
        StringBuilder wide = new StringBuilder("{");
        for (int k = 0; k < 1000; k++) {
            wide.append("\"f").append(k).append("\": 0, ");
        }
        Files.writeString(dir.resolve("wide.jsonl"), wide + "\"q\": \"a\", \"t\": \"b\", \"l\": 1}\n");
        assertEquals("jsonl", parse("  path: wide.jsonl\n  columns: {query: q, title: t, label: l}\n").format());
        Files.writeString(dir.resolve("later.jsonl"), "{\"q\": \"lamp\"}\nnot json\n{\"t\": \"Mug\", \"l\": 2}\n");
        assertEquals("jsonl", parse("  path: later.jsonl\n  columns: {query: q, title: t, label: l}\n").format());
        Files.writeString(dir.resolve("fake.parquet"), "query,title,label\nq,t,2\n");
        List<String> fake = errors("  path: fake.parquet\n  columns: {query: q, title: t, label: l}\n");
        assertEquals(1, fake.size(), fake.toString());
        assertTrue(fake.get(0).startsWith("w.yaml:3: dataset.path: " + dir.resolve("fake.parquet") + " is not a Parquet "
                + "file (it does not start with PAR1)"), fake.get(0));
    }

    /** A gzip cut short past its first rows: the header reads, so only reading to its end tells (a probe's passed). */
    @Test
    void aGzipCutShortIsSaidBeforeARun() throws Exception {
        java.util.Random random = new java.util.Random(5);
        StringBuilder csv = new StringBuilder("query,title,label\n");
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            String title = "title " + Long.toHexString(random.nextLong());
            csv.append("q").append(i % 50).append(',').append(title).append(',').append(i % 4).append('\n');
            jsonl.append("{\"query\": \"q").append(i % 50).append("\", \"title\": \"").append(title)
                    .append("\", \"label\": ").append(i % 4).append("}\n");
        }
        for (String[] f : new String[][] {{"cut.csv.gz", csv.toString()}, {"cut.jsonl.gz", jsonl.toString()}}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(bytes)) {
                z.write(f[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            byte[] whole = bytes.toByteArray();
            Files.write(dir.resolve(f[0]), whole);
            String dataset = "  path: " + f[0] + "\n  columns: {query: query, title: title, label: label}\n";
            assertFalse(parse(dataset).columns().mapped().isEmpty(), "the whole file passes");
            Files.write(dir.resolve(f[0]), java.util.Arrays.copyOf(whole, whole.length * 3 / 5));
            assertEquals(List.of("w.yaml:3: dataset.path: cannot read " + dir.resolve(f[0]) + ": the data ends early: "
                    + "the file is cut short (copied or downloaded in part?)"), errors(dataset), f[0]);
        }
    }

    @Test
    void badShapesAreOneLineErrors() throws Exception {
        Files.writeString(dir.resolve("x.csv"), "a,b,c\n");
        List<String> e = errors("""
                  path: x.csv
                  encoding: ebcdic
                  separator: ";;"
                  header: false
                  columns: {query: a, title: 1, label: 2}
                """);
        assertTrue(e.stream().anyMatch(x -> x.contains("dataset.encoding") && x.contains("got 'ebcdic'")),
                e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("dataset.separator") && x.contains("one character")),
                e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("dataset.columns.query: 'a' must be a 0-based column number")),
                e.toString());
        // the number check reads the keys without taking them: a key pairs do not have is still unknown
        List<String> unknown = errors("  path: x.csv\n  header: false\n  columns: {query: 0, title: 1, label: 2, user: 3}\n");
        assertEquals(1, unknown.size(), unknown.toString());
        assertTrue(unknown.get(0).contains("dataset.columns.user: unknown key"), unknown.toString());
        List<String> item = errors("  path: x.csv\n  columns: {query: a, title: b, label: c, item: b}\n");
        assertTrue(item.stream().anyMatch(x -> x.contains("dataset.columns.item") && x.contains("needs dataset.items")),
                item.toString());
        List<String> noTitle = errors("  path: x.csv\n  columns: {query: a, label: c}\n");
        assertTrue(noTitle.stream().anyMatch(x -> x.contains("dataset.columns.title") && x.contains("required")),
                noTitle.toString());
        List<String> items = errors("  path: x.csv\n  columns: {query: a, label: c}\n  items: {path: nope.csv, "
                + "key: k, text: t}\n");
        assertTrue(items.stream().anyMatch(x -> x.contains("dataset.items.path") && x.contains("no such file")),
                items.toString());
    }

    @Test
    void validateChecksNumberedColumnsAndTheItemsFilesColumns() throws Exception {
        Files.writeString(dir.resolve("u.data"), "1\t10\t4\n");
        Files.writeString(dir.resolve("u.item"), "10|Toy Story\n");
        List<String> wide = errors("""
                  path: u.data
                  separator: tab
                  header: false
                  columns: {query: 0, item: 1, label: 5}
                  items: {path: u.item, separator: "|", header: false, key: 0, text: 2}
                """);
        assertTrue(wide.stream().anyMatch(x -> x.contains("dataset.columns") && x.contains("column 5 is past the "
                + "first row of " + dir.resolve("u.data") + ", which has 3 fields (columns 0-2)")), wide.toString());
        assertTrue(wide.stream().anyMatch(x -> x.contains("dataset.items") && x.contains("column 2 is past the "
                + "first row of " + dir.resolve("u.item") + ", which has 2 fields")), wide.toString());
        // at the line that maps it, as a name missing from a header is (a probe's was told at 'columns:')
        Files.writeString(dir.resolve("u.item"), "10|Toy Story|x\n");
        List<String> block = errors("""
                  path: u.data
                  separator: tab
                  header: false
                  columns:
                    query: 0
                    item: 1
                    label: 9
                  items: {path: u.item, separator: "|", header: false, key: 0, text: 1}
                """);
        assertEquals(1, block.size(), block.toString());
        assertTrue(block.get(0).startsWith("w.yaml:9: dataset.columns.label: column 9 is past the first row"),
                block.toString());
        Files.writeString(dir.resolve("u.item"), "10|Toy Story\n");
        // without a header, blank lines before the first row are skipped, as ingest skips them; blank lines alone are
        // an empty file (a probe got "column 1 is past the first row ..., which has 1 fields (columns 0-0)")
        String rec = """
                  path: u.data
                  separator: tab
                  header: false
                  columns: {query: 0, item: 1, label: 2}
                  items: {path: u.item, separator: "|", header: false, key: 0, text: 2}
                """;
        Files.writeString(dir.resolve("u.item"), "\n \r\n10|Toy Story\n");
        List<String> later = errors(rec);
        assertEquals(1, later.size(), later.toString());
        assertTrue(later.get(0).contains("column 2 is past the first row of " + dir.resolve("u.item") + ", which has "
                + "2 fields (columns 0-1)"), later.toString());
        Files.writeString(dir.resolve("u.item"), "\n\n \r\n");
        List<String> blank = errors(rec);
        assertEquals(1, blank.size(), blank.toString());
        assertTrue(blank.get(0).contains("dataset.items.path: " + dir.resolve("u.item") + " is empty: no rows"),
                blank.toString());
        // the items file is read whole, as ingest reads it: a key twice is said before a run is recorded (a probe's
        // passed validate and failed at ingest)
        Files.writeString(dir.resolve("u.item"), "10|Toy Story|x\n11|Heat|y\n10|Toy Story again|z\n");
        List<String> twice = errors(rec);
        assertEquals(List.of("w.yaml:7: dataset.items.path: " + dir.resolve("u.item") + ":3: field '0': item key '10' "
                + "appears twice (first on line 1)"), twice);
        Files.writeString(dir.resolve("r.csv"), "query,product_id,label\nq,p1,2\n");
        Files.writeString(dir.resolve("items.csv"), "product_id,title\np1,Lamp\n");
        List<String> named = errors("  path: r.csv\n  columns: {query: query, label: label}\n  items: {path: "
                + "items.csv, key: product_id, text: name}\n");
        assertTrue(named.stream().anyMatch(x -> x.contains("dataset.items") && x.contains("column 'name' is not in "
                + "the header of " + dir.resolve("items.csv") + " (has: product_id, title)")), named.toString());
    }
}
