package dev.sift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.Sha256;
import dev.sift.data.DatasetSpec.Columns;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Encodings, files without a header, separators, gzip, Parquet and the items join, on hand-made files. */
class IngestShapesTest {
    private static final Columns COLS = new Columns("query", "title", "description", "label", null, "user", null);
    private static final TaskSpec TASK = new TaskSpec(TaskType.GRADED, 1, 4);
    private static final SplitSpec SPLIT = new SplitSpec(0.2, 0.0, 0.2, 1);
    private static final KeyedHasher HASHER = new KeyedHasher("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    private static DatasetSpec spec(String format, char sep, Columns cols) {
        return new DatasetSpec("/x", null, format, sep, cols);
    }

    private static Ingestor.Result read(DatasetSpec d, byte[] bytes, String name) throws IOException {
        return new Ingestor(d, TASK, SPLIT, HASHER).read(new ByteArrayInputStream(bytes), name);
    }

    /** 40 queries of 5 rows each, with accents, a quoted separator and an empty description. */
    private static String shopCsv() {
        StringBuilder sb = new StringBuilder("query,title,description,label,user\n");
        for (int q = 0; q < 40; q++) {
            for (int i = 0; i < 5; i++) {
                sb.append("caf\u00e9 ").append(q).append(",\"Cr\u00e8me, br\u00fbl\u00e9e ").append(i).append("\",")
                        .append(i == 2 ? "" : "d" + i).append(',').append(1 + (q + i) % 4).append(",u").append(q)
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static String digest(Ingestor.Result r) {
        return Sha256.hex(PreparedDataset.write(r.samples()));
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** DuckDB writes the Parquet fixture from a CSV; nothing binary is committed. */
    private Path parquet(String csv, String name) throws Exception {
        Path src = dir.resolve(name + ".csv");
        Files.writeString(src, csv, StandardCharsets.UTF_8);
        Path out = dir.resolve(name + ".parquet");
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties());
                Statement st = c.createStatement()) {
            st.execute("COPY (SELECT * FROM read_csv('" + src + "', header = true)) TO '" + out
                    + "' (FORMAT parquet)");
        }
        return out;
    }

    @Test
    void encodingsDecodeHandCheckedBytes() {
        byte[] cafe = {'c', 'a', 'f', (byte) 0xE9};
        assertNull(Encoding.UTF_8.decode(cafe), "E9 alone is not UTF-8");
        assertEquals("caf\u00e9", Encoding.LATIN_1.decode(cafe));
        assertEquals("caf\u00e9", Encoding.AUTO.decode(cafe));
        byte[] quotes = {(byte) 0x93, 'a', (byte) 0x94, (byte) 0x80, (byte) 0x92, (byte) 0x81};
        assertEquals("\u201ca\u201d\u20ac\u2019\u0081", Encoding.WINDOWS_1252.decode(quotes), "0x81 is undefined");
        assertEquals("\u0093a\u0094\u0080\u0092\u0081", Encoding.LATIN_1.decode(quotes));
        assertEquals("\u201ca\u201d\u20ac\u2019\u0081", Encoding.AUTO.decode(quotes));
        byte[] utf8 = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
        assertEquals("caf\u00e9", Encoding.AUTO.decode(utf8), "valid UTF-8 stays UTF-8 under auto");
        assertEquals("caf\u00c3\u00a9", Encoding.LATIN_1.decode(utf8));
        assertEquals(Encoding.LATIN_1, Encoding.guess(cafe));
        assertEquals(Encoding.WINDOWS_1252, Encoding.guess(quotes));
        assertEquals(Encoding.LATIN_1, Encoding.guess(new byte[] {(byte) 0x81, (byte) 0xE9}), "0x81 says nothing");
        assertEquals(Encoding.LATIN_1, Encoding.byKey("ISO-8859-1").orElseThrow());
        assertEquals(Encoding.WINDOWS_1252, Encoding.byKey("cp1252").orElseThrow());
        assertTrue(Encoding.byKey("ebcdic").isEmpty());
    }

    @Test
    void aLatin1FileReadsCompletelyWithItsEncodingAndWithoutItTheSummaryNamesIt() throws Exception {
        byte[] latin1 = shopCsv().getBytes(StandardCharsets.ISO_8859_1);
        DatasetSpec d = spec("csv", ',', COLS);
        Ingestor.Result r = read(d.withShape(Encoding.LATIN_1, true, null), latin1, "shop.csv");
        assertEquals(200, r.samples().size());
        assertTrue(r.quarantined().isEmpty());
        assertNull(r.encodingAdvice());
        assertEquals(digest(read(d, shopCsv().getBytes(StandardCharsets.UTF_8), "shop.csv")), digest(r),
                "latin-1 with its encoding reads as the same text as UTF-8");
        assertEquals(digest(r), digest(read(d.withShape(Encoding.AUTO, true, null), latin1, "shop.csv")));

        Ingestor.Result without = read(d, latin1, "shop.csv");
        assertEquals(0, without.samples().size());
        assertEquals(200, without.quarantined().size());
        assertEquals(Quarantined.UTF8, without.quarantined().get(0).kind());
        assertEquals("200 rows are not valid UTF-8; the file looks like latin-1: set dataset.encoding: latin-1 "
                + "(or auto)", without.encodingAdvice());
    }

    @Test
    void windows1252PunctuationIsNamedInTheAdviceAndDecodedWithTheEncoding() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("query,title,description,label,user\nlamp,Red lamp,ok,2,u1\nmug,Joe".getBytes(StandardCharsets.US_ASCII));
        out.write(0x92); // right single quotation mark
        out.write("s mug,d,3,u2\n".getBytes(StandardCharsets.US_ASCII));
        Ingestor.Result r = read(spec("csv", ',', COLS), out.toByteArray(), "w.csv");
        assertEquals(1, r.samples().size());
        assertEquals("1 row is not valid UTF-8; the file looks like windows-1252: set dataset.encoding: "
                + "windows-1252 (or auto)", r.encodingAdvice());
        Ingestor.Result fixed = read(spec("csv", ',', COLS).withShape(Encoding.WINDOWS_1252, true, null),
                out.toByteArray(), "w.csv");
        assertEquals("Joe\u2019s mug", fixed.samples().get(1).title());
        // read as latin-1 nothing is quarantined, but the quote would become an invisible C1 character: advice
        Ingestor.Result latin = read(spec("csv", ',', COLS).withShape(Encoding.LATIN_1, true, null),
                out.toByteArray(), "w.csv");
        assertEquals(2, latin.samples().size());
        assertEquals("1 field holds bytes in 0x80-0x9F, which latin-1 reads as invisible control characters and "
                + "windows-1252 as the euro sign, curly quotes and dashes: the file looks like windows-1252: set "
                + "dataset.encoding: windows-1252", latin.encodingAdvice());
        // a real latin-1 file (accents only) gets no advice
        byte[] accents = "query,title,description,label,user\nlamp,Caf\u00e9 lamp,d,2,u1\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(null, read(spec("csv", ',', COLS).withShape(Encoding.LATIN_1, true, null), accents, "l.csv")
                .encodingAdvice());
    }

    @Test
    void aWindows1252ByteInALaterFieldOfTheRowIsSeenThoughTheFirstBadFieldHasOnlyAccents() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("query,title,description,label,user\ncaf".getBytes(StandardCharsets.US_ASCII));
        out.write(0xE9); // é in the query: not UTF-8, and says latin-1 as much as windows-1252
        out.write(",Joe".getBytes(StandardCharsets.US_ASCII));
        out.write(0x92); // the title's curly quote says windows-1252
        out.write("s mug,d,3,u2\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("1 row is not valid UTF-8; the file looks like windows-1252: set dataset.encoding: "
                + "windows-1252 (or auto)", read(spec("csv", ',', COLS), out.toByteArray(), "w.csv").encodingAdvice());
    }

    /** A probe's: a stray quote was accepted without a word, and an unclosed one reported as a bare column count. */
    @Test
    void aRowWithTheWrongWidthSaysWhenAQuoteIsTheLikelyCause() throws Exception {
        Columns byIndex = new Columns("0", "2", null, "1", null, null, null);
        String csv = "lamp,4,\"Red \"lamp\" big\"\nmug,2,27\" white, mug\nsofa,3,\"Green\nsofa\"\n"
                + "desk,1,\"Oak desk\nchair,\"2\",Oak chair\nbed,2,\"Red \"\"big\"\" bed\"\n";
        Ingestor.Result r = read(spec("csv", ',', byIndex).withShape(Encoding.UTF_8, false, null),
                csv.getBytes(StandardCharsets.UTF_8), "q.csv");
        // read leniently as Python's csv does: a stray quote in a row of the right width is text
        assertEquals(List.of("Red lamp\" big\"", "Green\nsofa", "Red \"big\" bed"),
                r.samples().stream().map(s -> s.title()).toList());
        assertEquals("has 4 columns, the first row has 3 (a quote stands inside a field: a stray quote? a quoted "
                + "field must start with the quote and write a quote inside it as two, \"\")",
                r.quarantined().get(0).reason());
        assertEquals(2, r.quarantined().get(0).line());
        assertEquals("has 4 columns, the first row has 3 (a quoted field runs over lines 5-6: an unclosed or stray "
                + "quote? a quote inside a quoted field is written as two, \"\")", r.quarantined().get(1).reason());
        assertEquals(2, r.quarantined().size());
    }

    @Test
    void withoutAHeaderColumnsAreZeroBasedNumbersAndAnySeparatorWorks() throws Exception {
        Columns byIndex = new Columns("0", "2", null, "1", null, null, null);
        String tab = "lamp\t4\tRed lamp\nmug\t2\tWhite mug\n\nsofa\t3\n";
        Ingestor.Result r = read(spec("csv", '\t', byIndex).withShape(Encoding.UTF_8, false, null),
                tab.getBytes(StandardCharsets.UTF_8), "u.data");
        assertEquals(2, r.samples().size());
        assertEquals("Red lamp", r.samples().get(0).title());
        assertEquals(4.0, r.samples().get(0).label());
        assertEquals(1, r.samples().get(0).sourceLine(), "no header: the first row is line 1");
        assertEquals(4, r.quarantined().get(0).line());
        assertEquals("has 2 columns, the first row has 3", r.quarantined().get(0).reason());
        String pipes = "lamp|4|Red lamp\nmug|2|White mug\n";
        assertEquals(r.samples(), read(spec("csv", '|', byIndex).withShape(Encoding.UTF_8, false, null),
                pipes.getBytes(StandardCharsets.UTF_8), "u.data").samples());
        // blank lines before the first row are skipped as those after it are (validate counts the width the same way)
        Ingestor.Result late = read(spec("csv", '|', byIndex).withShape(Encoding.UTF_8, false, null),
                ("\n \r\n" + pipes).getBytes(StandardCharsets.UTF_8), "u.data");
        assertEquals(r.samples().stream().map(Sample::title).toList(), late.samples().stream().map(Sample::title)
                .toList());
        assertEquals(3, late.samples().get(0).sourceLine(), "the first row is line 3");
        Columns tooFar = new Columns("0", "5", null, "1", null, null, null);
        var e = assertThrows(Ingestor.SchemaException.class, () -> read(spec("csv", '|', tooFar)
                .withShape(Encoding.UTF_8, false, null), pipes.getBytes(StandardCharsets.UTF_8), "u.data"));
        assertEquals("u.data:1: column 5 is not there: the first row has 3 columns (numbered from 0)", e.getMessage());
    }

    @Test
    void gzipParquetAndPlainCsvOfTheSameRowsGiveTheSameDigest() throws Exception {
        String csv = shopCsv();
        byte[] plain = csv.getBytes(StandardCharsets.UTF_8);
        DatasetSpec d = spec("csv", ',', COLS);
        String expected = digest(read(d, plain, "shop.csv"));
        // gzip is told by its first bytes, whatever the name or format says
        assertEquals(expected, digest(read(d, gzip(plain), "shop.csv")));
        assertEquals(expected, digest(read(d, gzip(plain), "shop.csv.gz")));
        Path pq = parquet(csv, "shop");
        assertEquals(expected, digest(read(spec("parquet", ',', COLS), Files.readAllBytes(pq), "shop.parquet")));
        assertEquals(expected, digest(read(d, Files.readAllBytes(pq), "shop.parquet")), "PAR1 is recognised");
        assertEquals(expected, digest(read(d, gzip(Files.readAllBytes(pq)), "shop.parquet.gz")));
        // JSON Lines, gzipped, read as well
        String jsonl = "{\"query\":\"lamp\",\"title\":\"Red lamp\",\"label\":4}\n";
        assertEquals(1, read(spec("jsonl", ',', COLS), gzip(jsonl.getBytes(StandardCharsets.UTF_8)), "x.jsonl.gz")
                .samples().size());
    }

    @Test
    void gzipTwiceIsUnpackedAndUtf16OrAHeaderNotInItsEncodingIsNamedNotShownAsNuls() throws Exception {
        byte[] plain = shopCsv().getBytes(StandardCharsets.UTF_8);
        DatasetSpec d = spec("csv", ',', COLS);
        assertEquals(digest(read(d, plain, "shop.csv")), digest(read(d, gzip(gzip(plain)), "shop.csv.gz.gz")));
        var bom = assertThrows(dev.sift.SiftException.class, () -> read(d, shopCsv().getBytes(
                StandardCharsets.UTF_16), "u.csv")); // Java's UTF-16 writes a big-endian byte order mark
        assertTrue(bom.getMessage().startsWith("u.csv:1: the file looks like UTF-16BE text (a byte order mark)"),
                bom.getMessage());
        var bare = assertThrows(dev.sift.SiftException.class, () -> read(d, gzip(shopCsv().getBytes(
                StandardCharsets.UTF_16LE)), "u.csv.gz"));
        assertTrue(bare.getMessage().contains("UTF-16LE text (a NUL byte in every other place)"), bare.getMessage());
        assertTrue(bare.getMessage().endsWith("e.g. zcat FILE | iconv -f UTF-16LE -t UTF-8 | gzip"), bare.getMessage());
        assertTrue(bom.getMessage().endsWith("e.g. iconv -f UTF-16 -t UTF-8"), bom.getMessage());
        assertEquals(2, bare.exitCode());
        // UTF-16 of other scripts in the header still reads as UTF-16; bytes 0-255 in a row are no text at all
        var mixed = assertThrows(dev.sift.SiftException.class, () -> read(d, ("query,title,label,\u4ef7\u683c\nlamp,"
                + "Red lamp,2,\u4ef7\n").getBytes(StandardCharsets.UTF_16BE), "c.csv"));
        assertTrue(mixed.getMessage().contains("UTF-16BE text (a NUL byte in every other place)"), mixed.getMessage());
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        var notText = assertThrows(dev.sift.SiftException.class, () -> read(d, binary, "b.csv"));
        assertTrue(notText.getMessage().startsWith("b.csv:1: the file is not text: it has NUL bytes"), notText.getMessage());
        byte[] header = "qualit\u00e9,title,label\nlamp,Red lamp,2\n".getBytes(StandardCharsets.ISO_8859_1);
        var named = assertThrows(Ingestor.SchemaException.class, () -> read(d, header, "h.csv"));
        assertTrue(named.getMessage().contains("(has: qualit\u00e9, title, label)"), named.getMessage());
        assertEquals(List.of("qualit\u00e9", "title", "label"), SourceHeader.names(
                new java.io.ByteArrayInputStream(header), ',', Encoding.UTF_8, true));
    }

    @Test
    void parquetNullsAndNumbersAreReadLikeTheCsvAndBadRowsNameTheirRow() throws Exception {
        String csv = "query,title,description,label,user\nlamp,Red lamp,,4,u1\nmug,,d,2,u2\nsofa,Oak sofa,d,9,u3\n"
                + "pen,Blue pen,d,1,\n";
        Path pq = parquet(csv, "nulls");
        Ingestor.Result fromCsv = read(spec("csv", ',', COLS), csv.getBytes(StandardCharsets.UTF_8), "n.csv");
        Ingestor.Result fromPq = read(spec("parquet", ',', COLS), Files.readAllBytes(pq), "n.parquet");
        assertEquals(fromCsv.samples(), fromPq.samples());
        assertEquals(List.of(3L, 4L), fromPq.quarantined().stream().map(Quarantined::line).toList());
        assertEquals("n.parquet:3: field 'title': empty title", fromPq.quarantined().get(0).describe("n.parquet"));
        assertEquals(Quarantined.OUT_OF_RANGE, fromPq.quarantined().get(1).kind());
        assertFalse(fromPq.quarantined().get(1).raw().contains("u3"), "user ids are hashed in quarantine too");
        Columns wrong = new Columns("query", "name", null, "label", null, null, null);
        var e = assertThrows(Ingestor.SchemaException.class,
                () -> read(spec("parquet", ',', wrong), Files.readAllBytes(pq), "n.parquet"));
        assertTrue(e.getMessage().startsWith("n.parquet: column 'name' is not in the Parquet schema (has: query, "),
                e.getMessage());
        var notParquet = assertThrows(Ingestor.SchemaException.class,
                () -> read(spec("parquet", ',', COLS), "not parquet".getBytes(StandardCharsets.UTF_8), "b.parquet"));
        assertTrue(notParquet.getMessage().startsWith("b.parquet: cannot read as Parquet: "), notParquet.getMessage());
        assertFalse(notParquet.getMessage().contains("sift-ingest-"), "names the user's file, not the spooled copy: "
                + notParquet.getMessage());
        Path lists = dir.resolve("lists.parquet");
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties());
                Statement st = c.createStatement()) {
            st.execute("COPY (SELECT 'lamp' AS query, ['Red lamp', 'x'] AS title, 2 AS label) TO '" + lists
                    + "' (FORMAT parquet)");
        }
        Columns plain = new Columns("query", "title", null, "label", null, null, null);
        var list = assertThrows(Ingestor.SchemaException.class,
                () -> read(spec("parquet", ',', plain), Files.readAllBytes(lists), "l.parquet"));
        assertEquals("l.parquet: column 'title' holds VARCHAR[] values; Sift reads a single string or number per "
                + "field", list.getMessage());
    }

    @Test
    void aTruncatedGzipFileIsAOneLineUsageError() throws Exception {
        byte[] gz = gzip(shopCsv().getBytes(StandardCharsets.UTF_8));
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        SiftException e = assertThrows(SiftException.class, () -> read(spec("csv", ',', COLS), cut, "shop.csv.gz"));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        // a probe's: "Unexpected end of ZLIB input stream" said nothing a user could act on
        assertEquals("shop.csv.gz: the data ends early: the file is cut short (copied or downloaded in part?)",
                e.getMessage());
        byte[] bad = gz.clone();
        bad[2] = 7; // a compression method other than deflate
        SiftException broken = assertThrows(SiftException.class, () -> read(spec("csv", ',', COLS), bad,
                "shop.csv.gz"));
        assertTrue(broken.getMessage().startsWith("shop.csv.gz: not a readable gzip file ("), broken.getMessage());
        assertFalse(broken.getMessage().contains("\n"));
    }

    private static ItemCatalog items(String csv, String description) throws IOException {
        DatasetSpec.Items spec = new DatasetSpec.Items("items.csv", "csv", ',', true, Encoding.UTF_8, "product_id",
                "name", description);
        return ItemCatalog.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "items.csv", spec);
    }

    @Test
    void itemsJoinedByKeyFillTheTitleAndAnUnknownKeyIsQuarantined() throws Exception {
        ItemCatalog catalog = items("product_id,name,about\np1,Red lamp,A lamp\np2,Oak sofa,\n", "about");
        assertEquals(2, catalog.size());
        Columns cols = new Columns("query", "title", "description", "label", null, null, null, "product_id");
        String data = "query,product_id,title,description,label\nlamp,p1,,,4\nsofa,p2,,own text,3\n"
                + "mug,p9,,,2\nbed,p2,Own title,,1\ntoy,,,,2\n";
        Ingestor.Result r = new Ingestor(spec("csv", ',', cols), TASK, SPLIT, HASHER, catalog)
                .read(new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)), "ratings.csv");
        assertEquals(List.of("Red lamp", "Oak sofa", "Own title"), r.samples().stream().map(Sample::title).toList());
        assertEquals(List.of("A lamp", "own text", ""), r.samples().stream().map(Sample::description).toList());
        assertEquals(2, r.quarantined().size());
        assertEquals("ratings.csv:4: field 'product_id': item 'p9' is not in items.csv",
                r.quarantined().get(0).describe("ratings.csv"));
        assertEquals(Quarantined.UNKNOWN_ITEM, r.quarantined().get(0).kind());
        assertEquals("empty item key", r.quarantined().get(1).reason());
    }

    @Test
    void aBrokenItemsFileFailsNamingFileLineAndField() {
        var twice = assertThrows(Ingestor.SchemaException.class,
                () -> items("product_id,name\np1,Lamp\np2,Sofa\np1,Mug\n", null));
        assertEquals("items.csv:4: field 'product_id': item key 'p1' appears twice (first on line 2)",
                twice.getMessage());
        var columns = assertThrows(Ingestor.SchemaException.class, () -> items("product_id,name\np1\n", null));
        assertEquals("items.csv:2: has 1 columns, the header has 2", columns.getMessage());
        var missing = assertThrows(Ingestor.SchemaException.class, () -> items("id,name\np1,Lamp\n", null));
        assertTrue(missing.getMessage().startsWith("items.csv:1: column 'product_id' is not in the header"),
                missing.getMessage());
        var cased = assertThrows(Ingestor.SchemaException.class, () -> items("Product_ID,name\np1,Lamp\n", null));
        assertTrue(cased.getMessage().endsWith("(has: Product_ID, name); names match case exactly: did you "
                + "mean 'Product_ID' for 'product_id'?"), cased.getMessage());
    }

    @Test
    void fingerprintsFindEveryRepeatAcrossGrowth() {
        Fingerprints f = new Fingerprints();
        for (int i = 0; i < 5000; i++) {
            assertTrue(f.add("row " + i));
        }
        for (int i = 0; i < 5000; i += 7) {
            assertFalse(f.add("row " + i));
        }
        assertEquals(5000, f.size());
        assertTrue(f.add("row 5000"));
    }

    @Test
    void scanStreamsRowsWithoutCollectingThem() throws Exception {
        long[] seen = {0};
        InputStream in = new ByteArrayInputStream(shopCsv().getBytes(StandardCharsets.UTF_8));
        Ingestor.Scan s = new Ingestor(spec("csv", ',', COLS), TASK, SPLIT, HASHER).scan(in, "shop.csv",
                x -> seen[0]++, q -> { });
        assertEquals(200, s.rowsRead());
        assertEquals(200, s.kept());
        assertEquals(200, seen[0]);
    }
}
