package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code sift run --name} is capped at 200 characters before any work (exit 2, one line). */
class RunNameTest {
    @Test
    void anOverlongRunNameIsRefused() {
        CommandLine cl = SiftApplication.commandLine(CommandLine.defaultFactory());
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(captured, true));
        int code;
        try {
            code = cl.execute("run", "workflows/quickstart.yaml", "--name", "n".repeat(201));
        } finally {
            System.setErr(old);
        }
        assertEquals(2, code, captured.toString());
        assertTrue(captured.toString().contains("--name: at most 200 characters, got 201"), captured.toString());
    }
}
