package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.workflow.WorkflowException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the early argument check prints and returns for each kind of failure. */
class ArgumentCheckTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(err, true, StandardCharsets.UTF_8);

    @Test
    void refusalsArePrintedAsAFullStartPrintsThemAnythingElseIsLeftToTheFullStart() {
        assertNull(ArgumentCheck.refusal(new Object(), out), "a command without checks");
        assertNull(ArgumentCheck.refusal((ArgumentCheck) () -> { }, out), "arguments that hold");
        assertEquals(ExitCodes.USAGE, ArgumentCheck.refusal((ArgumentCheck) () -> {
            throw new WorkflowException(List.of("w.yaml:3: a", "w.yaml:4: b"));
        }, out));
        assertEquals(ExitCodes.BUSY, ArgumentCheck.refusal((ArgumentCheck) () -> {
            throw new SiftException(ExitCodes.BUSY, "held");
        }, out));
        assertNull(ArgumentCheck.refusal((ArgumentCheck) () -> {
            throw new IllegalStateException("not a refusal");
        }, out), "the command starts and fails in call() as it would have");
        assertEquals("w.yaml:3: a\nw.yaml:4: b\nsift: held\n", err.toString(StandardCharsets.UTF_8));
    }
}
