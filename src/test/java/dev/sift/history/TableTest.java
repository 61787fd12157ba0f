package dev.sift.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void terminalEscapeCodesAndControlCharactersAreStrippedFromCells() {
        Table t = new Table(List.of("id", "name"));
        t.add(1, "evil\u001B[2J\u001B[31mred\u001B[0m\u001B]0;title\u0007\u0000\r\u202Eeman");
        String text = t.text();
        assertEquals("evilredeman", text.lines().toList().get(2).substring(4).trim(), text);
        assertTrue(text.chars().noneMatch(c -> c < 0x20 && c != '\n'), text);
    }
}
