package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Every command prints its help and exits 0 with --help (and -h), needing no database. */
class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"--help", "run --help", "resume --help", "runs --help", "runs list --help",
        "runs show --help", "runs scores -h", "runs explain --help", "data --help", "data generate --help",
        "validate --help", "bench --help", "bench noise --help", "bench model --help", "bench knn --help",
        "bench grand --help", "bench alignment --help", "runs compare --help", "runs compare -h",
        "bench history --help", "runs lineage --help", "runs diff-subsets --help", "report --help", "report -h",
        "serve --help", "schedule --help", "schedule add -h", "schedule list --help", "schedule pause --help",
        "schedule resume --help", "schedule trigger --help", "schedule remove --help", "schedule history --help"})
    void printsHelpAndExitsZero(String line) {
        String[] args = line.split(" ");
        CommandLine cl = SiftApplication.commandLine(CommandLine.defaultFactory());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute(args), line);
        assertTrue(out.toString().startsWith("Usage: sift"), out.toString());
        assertTrue(!SiftMain.needsDatabase(args), line);
        if (line.equals("run --help")) {
            assertTrue(out.toString().contains("--set"), out.toString());
        }
    }

    /** Every command that does something takes --verbose, as the README says (a probe's sift gc --verbose did not). */
    @Test
    void everyCommandTakesVerbose() {
        java.util.List<String> without = new java.util.ArrayList<>();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(
                SiftApplication.commandLine(CommandLine.defaultFactory())));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            Object user = c.getCommandSpec().userObject();
            boolean runs = user instanceof Runnable || user instanceof java.util.concurrent.Callable;
            if (runs && c.getCommandSpec().findOption("--verbose") == null
                    && !c.getCommandSpec().qualifiedName().endsWith(" help")) {
                without.add(c.getCommandSpec().qualifiedName());
            }
        }
        assertEquals(java.util.List.of(), without);
    }

    /** A parse error is one line naming the help to read, with exit code 2, not the message and the usage text. */
    @ParameterizedTest
    @ValueSource(strings = {"bogus", "run", "runs list --format xml", "runs list --limit abc", "runs compare 1",
        "runs show abc", "runs lis", "runs show 1 --bogus", "run w.yaml --set nosuch"})
    void aParseErrorIsOneLine(String line) {
        CommandLine cl = SiftApplication.commandLine(CommandLine.defaultFactory());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute(line.split(" ")), line);
        String said = err.toString();
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.startsWith("sift: ") && said.strip().endsWith("--help' shows the usage)"), said);
        assertEquals("", out.toString());
        if (line.equals("runs lis")) {
            assertTrue(said.contains("did you mean 'list'"), said);
        }
        assertTrue(!said.contains("option option"), said); // picocli's doubled word for a --set without '='
    }

    /** Arguments picocli refuses are answered before the database starts; arguments that parse go on to start it. */
    @Test
    void aRefusedDatabaseCommandIsAnsweredBeforeTheDatabaseStarts() {
        assertEquals(2, SiftMain.parseRefusal(new String[] {"runs", "show", "abc"}));
        assertEquals(2, SiftMain.parseRefusal(new String[] {"runs", "list", "--bogus"}));
        assertEquals(2, SiftMain.parseRefusal(new String[] {"runs"}), "the list of its commands, exit 2");
        assertEquals(2, SiftMain.parseRefusal(new String[] {"schedule"}));
        assertEquals(null, SiftMain.parseRefusal(new String[] {"runs", "show", "12"}));
        assertEquals(null, SiftMain.parseRefusal(new String[] {"runs", "list", "--where", "status = 'FAILED'"}));
        java.io.PrintStream before = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(2, SiftMain.parseRefusal(new String[] {"report", "1", "--bogus"}));
            assertEquals(2, SiftMain.parseRefusal(new String[] {"report", "1"}));
        } finally {
            System.setErr(before);
        }
        String said = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(said.contains("Unknown option: '--bogus'") && said.indexOf("Missing required option") > said
                .indexOf("--bogus"), "the unknown option is named first, the missing --out alone after: " + said);
    }

    /** The checks a command makes of its own arguments are made before the database starts too. */
    @Test
    void aCommandsOwnArgumentChecksAreMadeBeforeTheDatabaseStarts() throws java.io.IOException {
        for (String line : new String[] {"runs list --limit 0", "runs list --where bad", "runs compare 1 1",
            "runs compare 1 2 --iteration foo", "runs compare 1 2 --pooled --iteration best",
            "runs compare 1 2 --table pooled",
            "runs show 1 --table bogus", "runs scores 1 --method el2n --top 0", "runs diff-subsets 1 --iteration 0",
            "runs explain 1 --sample 3 --neighbours -1", "resume 1 --shard 0/2", "serve --port 70000",
            "run /nonexistent/workflow.yaml", "run workflows/quickstart.yaml --device tpu",
            "run workflows/quickstart.yaml --set fine_tune.epochs=0",
            "schedule add n --cron bad workflows/quickstart.yaml",
            "sweep workflows/quickstart.yaml --vary dataset.noise.seed=5",
            "sweep workflows/quickstart.yaml --vary dataset.noise.seed=3..1",
            "sweep workflows/quickstart.yaml --vary dataset.noise.seed=1,1",
            "sweep workflows/quickstart.yaml --vary seed",
            "sweep workflows/quickstart.yaml --vary fine_tune.epochs=2,0",
            "sweep workflows/quickstart.yaml --vary dataset.noise.seed=1,2 --set dataset.noise.seed=3",
            "sweep workflows/quickstart.yaml --vary dataset.noise.seed=1,2 --set dataset.noise={seed:3}",
            "sweep workflows/quickstart.yaml --vary dataset.noise.seed=1..5000",
            "sweep workflows/quickstart.yaml --vary dataset.noise.seed=0.1..0.3",
            "sweep workflows/quickstart.yaml --vary dataset.noise.seed=1,,2",
            "sweep workflows/quickstart.yaml --vary dataset.noise.seed=1,01",
            "sweep workflows/quickstart.yaml --vary dataset.noise.seed=1..3 --iteration 0"}) {
            assertEquals(2, SiftMain.parseRefusal(line.split(" ")), line);
        }
        assertEquals(2, SiftMain.parseRefusal(new String[] {"report", "1", "--out", ""}));
        java.nio.file.Path data = java.nio.file.Files.createTempFile("data", ".csv");
        java.nio.file.Files.writeString(data, "query,title,label\nlamp,red lamp,1\n");
        assertEquals(2, SiftMain.parseRefusal(new String[] {"report", "1", "--out", data.toString()}),
                "a file that is not a report is not overwritten");
        java.nio.file.Files.writeString(data, "<!DOCTYPE html>\n<html>\n<meta name=\"generator\" content=\"sift\">");
        assertEquals(null, SiftMain.parseRefusal(new String[] {"report", "1", "--out", data.toString()}),
                "an earlier report is rewritten");
        java.nio.file.Files.delete(data);
        assertEquals(null, SiftMain.parseRefusal("run workflows/quickstart.yaml --set fine_tune.epochs=2".split(" ")));
        assertEquals(null, SiftMain.parseRefusal("runs show 1 --table Metrics".split(" ")));
        assertEquals(null, SiftMain.parseRefusal("runs compare 1 2 --iteration last".split(" ")));
        assertEquals(null, SiftMain.parseRefusal("run /nonexistent/workflow.yaml --help".split(" ")), "help wins");
    }

    @Test
    void benchStartRefusesACommandSiftWouldRefuseBeforeTimingIt() {
        for (String line : new String[] {"bench start --runs 1 --command bogus",
            "bench start --runs 1 --archive /nonexistent/dir/x.jsa"}) {
            CommandLine cl = SiftApplication.commandLine(CommandLine.defaultFactory());
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(new StringWriter()));
            assertEquals(2, cl.execute(line.split(" ")), line); // before: exit 1 after launching the jar
        }
    }

    @Test
    void aCommandWithoutItsSubcommandPrintsItsUsage() {
        for (String line : new String[] {"", "runs", "schedule"}) {
            CommandLine cl = SiftApplication.commandLine(CommandLine.defaultFactory());
            StringWriter err = new StringWriter();
            cl.setOut(new PrintWriter(new StringWriter()));
            cl.setErr(new PrintWriter(err));
            assertEquals(2, cl.execute(line.isEmpty() ? new String[0] : line.split(" ")), line);
            assertTrue(err.toString().startsWith("Usage: sift"), err.toString());
        }
    }

    /**
     * SiftMain answers these without booting Quarkus (command names, then --help or -h last) and boots it for
     * everything else, where an argument may be an option's value or a file.
     */
    @Test
    void onlyPlainHelpRequestsSkipTheBoot() {
        for (String line : new String[] {"--help", "-h", "runs list --help", "bench noise -h", "schedule add -h"}) {
            assertTrue(SiftMain.isHelpOnly(line.split(" ")), line);
        }
        for (String line : new String[] {"", "--version", "runs list", "run w.yaml --help", "run --set -h",
            "--verbose --help", "runs --help list", "bench noise --noise -h", "runs show 3 --help", "data Generate -h"}) {
            assertFalse(SiftMain.isHelpOnly(line.isEmpty() ? new String[0] : line.split(" ")), line);
        }
    }
}
