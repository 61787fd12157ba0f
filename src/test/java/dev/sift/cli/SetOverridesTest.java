package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The last --set on the command line wins, whichever path it sets (a probe's third --set lost to its second). */
class SetOverridesTest {
    @Test
    void aPathSetAgainMovesToItsLastPlace(@TempDir Path dir) throws Exception {
        ValidateCommand c = new ValidateCommand();
        new CommandLine(c).parseArgs("w.yaml", "--set", "fine_tune.epochs=5", "--set", "fine_tune={epochs: 2}",
                "--set", "fine_tune.epochs=7");
        assertEquals(List.of("fine_tune", "fine_tune.epochs"), List.copyOf(c.overrides.keySet()));
        assertEquals("7", c.overrides.get("fine_tune.epochs"));
        Path wf = Files.copy(Path.of("workflows/quickstart.yaml"), dir.resolve("q.yaml"));
        assertEquals(7, dev.sift.workflow.WorkflowParser.parseFile(wf, c.overrides).spec().fineTune().epochs());
        RunCommand r = new RunCommand();
        new CommandLine(r).parseArgs("w.yaml", "--set", "score.methods=[loss]", "--set", "score={methods: [el2n, "
                + "label_quality]}", "--set", "score.methods=[aum, label_quality]", "--set", "name=a\"b=c");
        assertEquals(List.of("aum", "label_quality"), dev.sift.workflow.WorkflowParser.parseFile(wf, r.sets.overrides)
                .spec().score().methods());
        assertEquals("a\"b=c", r.sets.overrides.get("name"), "as written, up to the first '=' (picocli warned of the quote)");
        CommandLine.ParameterException e = org.junit.jupiter.api.Assertions.assertThrows(
                CommandLine.ParameterException.class, () -> new CommandLine(new RunCommand()).parseArgs("w.yaml",
                        "--set", "epochs"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("'epochs' is not PATH=VALUE (for example "
                + "fine_tune.epochs=2)"), e.getMessage());
    }
}
