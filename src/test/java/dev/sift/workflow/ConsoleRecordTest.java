package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a stage said, kept for a run that reuses its output: every line printed while recording, and only those. */
class ConsoleRecordTest {
    @Test
    void aRecordingKeepsTheLinesPrintedWhileOpenAndANestedOneGivesTheOuterBack() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(err, true, StandardCharsets.UTF_8), false);
        List<String> outer = new ArrayList<>();
        List<String> inner = new ArrayList<>();
        console.info("before");
        try (Console.Recording r = console.record(outer)) {
            console.info("one");
            try (Console.Recording n = console.record(inner)) {
                console.info("two");
            }
            console.info("three");
        }
        console.info("after");
        assertEquals(List.of("one", "three"), outer);
        assertEquals(List.of("two"), inner);
        assertEquals("before\none\ntwo\nthree\nafter\n", err.toString(StandardCharsets.UTF_8), "all still printed");
    }
}
