package dev.sift.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void numbersPrintWithoutNegativeZeroOrExponents() {
        Table t = new Table(java.util.List.of("delta"));
        t.add(-0.00001);
        t.add(8.458831781193192E-4);
        t.add(-2.5e-7);
        t.add(-0.0);
        t.add(1e20);
        t.add(1234567.891);
        t.add(0.1234567);
        t.add(Double.NaN);
        assertEquals(java.util.List.of("-0.0000100", "0.000846", "-0.000000250", "0.0000", "100000000000000000000",
                "1234568", "0.1235", "NaN"), t.text().lines().skip(2).map(String::trim).toList(), "small values keep "
                        + "three significant digits, large ones no binary noise");
        assertTrue(t.csv().startsWith("delta\n-0.00001\n0.0008458831781193192\n-0.00000025\n"), t.csv());
    }

    @Test
    void terminalEscapeCodesAndControlCharactersAreStrippedFromCells() {
        Table t = new Table(List.of("id", "name"));
        t.add(1, "evil\u001B[2J\u001B[31mred\u001B[0m\u001B]0;title\u0007\u0000\r\u202Eeman");
        String text = t.text();
        assertEquals("evilred eman", text.lines().toList().get(2).substring(4).trim(), text + " (a line break is a space)");
        assertTrue(text.chars().noneMatch(c -> c < 0x20 && c != '\n'), text);
    }

    /** A probe's 100 KB titles made every line of a text table 100 KB wide; two lines of a title ran together. */
    @Test
    void aLongCellIsCutAndALineBreakIsASpaceInTheTextTableOnly() {
        Table t = new Table(List.of("rank", "title"));
        String longTitle = "lamp ".repeat(40_000);
        t.add(1, longTitle);
        t.add(2, "Free shipping.\nSecond line\r\n\tthird");
        List<String> lines = t.text().lines().toList();
        assertEquals(6 + Table.MAX_CELL, lines.get(1).length(), "the rule is as wide as the widest shown cell");
        assertEquals("   1  " + longTitle.substring(0, Table.MAX_CELL - 3) + "...", lines.get(2));
        assertEquals("   2  Free shipping. Second line third", lines.get(3));
        assertTrue(t.csv().contains(longTitle.strip()), "CSV carries the value whole");
        assertTrue(t.json().get(0).get("title").asText().equals(longTitle));
        // an error or a path is shown whole (a review's: a stage's error was printed nowhere else in text)
        String error = "ingest failed: " + "x".repeat(300);
        Table errors = new Table(List.of("stage", "error")).whole("error");
        errors.add("ingest", error);
        assertEquals("ingest  " + error, errors.text().lines().toList().get(2));
    }

    @Test
    void anAbbreviatedValueIsShortOnlyInTheTextTable() {
        Table t = new Table(List.of("digest"));
        String full = "a185e99533c5" + "0".repeat(52);
        t.add(new Table.Abbreviated(full, 12));
        assertEquals("a185e99533c5", t.text().lines().toList().get(2).trim());
        assertEquals("digest\n" + full + "\n", t.csv());
        assertEquals(full, t.json().get(0).get("digest").asText());
    }

    @Test
    void columnsLineUpInTerminalCellsNotCharacters() {
        Table t = new Table(List.of("name", "n"));
        t.add("plain", 1);
        t.add("\u978B\u5B50", 2); // two CJK characters: 4 cells
        t.add("cafe\u0301", 3); // e + combining acute: 4 cells in 5 chars
        t.add("\uD83D\uDC5F shoe", 4); // an emoji (2 cells, 2 chars) and 5 more
        List<String> lines = t.text().lines().toList();
        // the number column ends in the same cell on every row
        assertEquals(List.of(10, 10, 10, 10), lines.subList(2, 6).stream().map(dev.sift.data.Text::cells).toList(),
                t.text());
        assertEquals("\u978B\u5B50     2", lines.get(3));
    }

    /** One precision in a column: Instant's own text had dropped trailing zeros and shown the database's microseconds. */
    @Test
    void timesPrintToTheMillisecondInUtc() {
        assertEquals("2026-12-04T14:36:03.860Z", Table.time(java.time.Instant.parse("2026-12-04T14:36:03.86Z")));
        assertEquals("2026-12-04T14:36:05.123Z", Table.time(java.time.Instant.parse("2026-12-04T14:36:05.123456Z")));
        assertEquals("2026-12-04T14:36:00.000Z", Table.time(java.time.Instant.parse("2026-12-04T14:36:00Z")));
        assertEquals(null, Table.time(null));
    }
}
