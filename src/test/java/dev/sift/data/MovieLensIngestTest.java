package dev.sift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sift.data.DatasetSpec.Columns;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * MovieLens 100k from {@code ../shared/data} (skipped where absent): {@code u.data} has no header and is
 * tab-separated; {@code u.item} is latin-1, pipe-separated, without a header, and supplies the titles by item id.
 */
class MovieLensIngestTest {
    private static final Path DIR = Path.of("../shared/data/movielens-100k");

    private static DatasetSpec.Items items(Encoding encoding) {
        return new DatasetSpec.Items(DIR.resolve("u.item").toString(), "csv", '|', false, encoding, "0", "1", null);
    }

    private static ItemCatalog catalog(Encoding encoding) throws Exception {
        try (InputStream in = Files.newInputStream(DIR.resolve("u.item"))) {
            return ItemCatalog.read(in, "u.item", items(encoding));
        }
    }

    @Test
    void ratingsJoinTheirLatin1TitlesCompletely() throws Exception {
        assumeTrue(Files.isRegularFile(DIR.resolve("u.data")) && Files.isRegularFile(DIR.resolve("u.item")));
        ItemCatalog catalog = catalog(Encoding.LATIN_1);
        assertEquals(1682, catalog.size());
        assertEquals("Toy Story (1995)", catalog.get("1").text());
        assertTrue(catalog.get("1").text().length() > 0);
        DatasetSpec d = new DatasetSpec(DIR.resolve("u.data").toString(), null, "csv", '\t',
                new Columns("0", null, null, "2", null, null, null, "1"))
                .withShape(Encoding.UTF_8, false, items(Encoding.LATIN_1));
        Ingestor.Result r;
        try (InputStream in = Files.newInputStream(DIR.resolve("u.data"))) {
            r = new Ingestor(d, new TaskSpec(TaskType.GRADED, 1, 5), new SplitSpec(0.1, 0.0, 0.2, 1),
                    new KeyedHasher("movielens-test-key-0123".getBytes(StandardCharsets.UTF_8)), catalog)
                    .read(in, "u.data");
        }
        assertEquals(100_000, r.rowsRead());
        assertEquals(0, r.quarantined().size());
        // MovieLens lists some films twice under two ids with one title: a user who rated both alike gives two rows
        // that are exact duplicates as samples (the item id is not part of a sample)
        assertEquals(100_000, r.samples().size() + r.duplicates());
        assertTrue(r.duplicates() < 300, "duplicates " + r.duplicates());
        assertEquals("Kolya (1996)", r.samples().get(0).title(), "u.data line 1: user 196, item 242");
        assertTrue(r.samples().stream().anyMatch(s -> s.title().contains("\u00e9")), "latin-1 accents decoded");
    }

    @Test
    void withoutItsEncodingTheItemsFileStopsIngestNamingLineAndField() throws Exception {
        assumeTrue(Files.isRegularFile(DIR.resolve("u.item")));
        var e = assertThrows(Ingestor.SchemaException.class, () -> catalog(Encoding.UTF_8));
        assertTrue(e.getMessage().matches("u\\.item:\\d+: field '1': invalid UTF-8 \\(set dataset.items.encoding\\)"),
                e.getMessage());
    }
}
