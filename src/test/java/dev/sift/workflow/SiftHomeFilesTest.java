package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.SourceHeader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A probe's: a data file linked to SIFT_HOME/pg.password printed the database password in the "not in the header
 * (has: ...)" line, and a scheduled firing stored it in the run's error (shown by runs show, schedule history, report).
 */
class SiftHomeFilesTest {
    @TempDir
    Path dir;

    private static final String SECRET = "9c512155fb3aca677208e0dc9a7a1b2c426f7522a7942f7b";

    @Test
    void aDataFileThatIsSiftsOwnStateIsRefusedWithoutBeingRead() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Files.writeString(home.resolve("pg.password"), SECRET + "\n");
        Files.createSymbolicLink(dir.resolve("data.csv"), home.resolve("pg.password"));
        Files.createLink(dir.resolve("hard.csv"), home.resolve("pg.password"));
        Files.writeString(home.resolve("shop.csv"), "q,t,l\nmug,Mug,1\n"); // SIFT_HOME=/data: data beside is data
        String yaml = "name: leak\ndataset:\n  path: data.csv\n  columns: {query: q, title: t, label: l}\n";
        String before = System.getProperty("sift.home");
        System.setProperty("sift.home", home.toString());
        try {
            for (String path : List.of("data.csv", "hard.csv")) {
                List<String> e = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml",
                        yaml.replace("data.csv", path), dir, Map.of(), true)).errors();
                assertEquals(1, e.size(), e.toString());
                assertTrue(e.get(0).contains(path + " is Sift's own state under SIFT_HOME (" + home + ": its database, "
                        + "keys and store): it is not read as data") && !e.get(0).contains(SECRET), e.toString());
            }
            List<String> jsonl = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml",
                    yaml + "  format: jsonl\n", dir, Map.of(), true)).errors();
            assertTrue(jsonl.get(0).contains("is Sift's own state"), "any format: " + jsonl);
            WorkflowParser.parse("w.yaml", yaml.replace("data.csv", "home/shop.csv"), dir, Map.of(), true);
        } finally {
            if (before == null) {
                System.clearProperty("sift.home");
            } else {
                System.setProperty("sift.home", before);
            }
        }
        // with another SIFT_HOME the same file is read, and its one long column is not quoted
        List<String> e = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", yaml, dir,
                Map.of(), true)).errors();
        assertTrue(e.get(0).contains("(its first line reads as one column of 48 characters, not shown: is this a CSV "
                + "file, with the separator ','?)") && !e.get(0).contains(SECRET), e.toString());
    }

    @Test
    void aHeaderIsQuotedShortAndOnlyWhenItLooksLikeOne() {
        assertEquals(" (has: query, title)", SourceHeader.has(List.of("query", "title"), ','));
        assertEquals(" (has: query)", SourceHeader.has(List.of("query"), ','));
        assertEquals(" (has: query\ttitle)", SourceHeader.has(List.of("query\ttitle"), ','), "the tab hint needs it");
        assertEquals(" (its first line reads as one column of 25 characters, not shown: is this a CSV file, with the "
                + "separator ','?)", SourceHeader.has(List.of("root:*:20228:0:99999:7:::"), ','));
        assertEquals(" (has: " + "x".repeat(37) + "..., b)", SourceHeader.has(List.of("x".repeat(50), "b"), ','));
        List<String> many = java.util.stream.IntStream.range(0, 25).mapToObj(i -> "c" + i).toList();
        assertTrue(SourceHeader.has(many, ',').endsWith(", c19, ... 5 more)"), SourceHeader.has(many, ','));
    }
}
