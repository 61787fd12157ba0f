package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sift.data.Ingestor;
import dev.sift.data.KeyedHasher;
import dev.sift.data.Quarantined;
import dev.sift.workflow.WorkflowException;
import dev.sift.workflow.WorkflowParser;
import dev.sift.data.DatasetSpec.Columns;
import dev.sift.data.DatasetSpec;
import dev.sift.data.SplitSpec;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the malformed-input corpus ({@code src/test/resources/malformed}: CSV and JSON Lines data, YAML
 * workflows) ends in a validation error (exit code 2, one line each) or a quarantine with reasons: never an
 * unexpected exception, a hang, or a silently successful ingest that lost rows.
 */
class MalformedInputTest {
    private static final Columns COLUMNS = new Columns("query", "title", null, "label", null, null, null);
    private static final KeyedHasher HASHER = new KeyedHasher("malformed-corpus-key".getBytes(StandardCharsets.UTF_8));

    static Stream<Path> corpus() throws Exception {
        Path dir = Path.of(MalformedInputTest.class.getResource("/malformed").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertTrue(files.size() >= 40, "corpus has " + files.size() + " files");
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void endsInAValidationErrorOrAQuarantineWithReasons(Path file) {
        String name = file.getFileName().toString();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            if (name.endsWith(".yaml")) {
                workflow(file);
            } else {
                data(file, name.endsWith(".jsonl") ? "jsonl" : "csv");
            }
        }, name + " hangs");
    }

    private static void workflow(Path file) {
        try {
            WorkflowParser.parseFile(file, Map.of());
            fail(file + " was accepted");
        } catch (WorkflowException e) {
            assertFalse(e.errors().isEmpty());
            for (String line : e.errors()) {
                assertTrue(line.startsWith(file.toString()), line);
                assertFalse(line.contains("\n") || line.contains("Exception"), line);
            }
        }
    }

    private static void data(Path file, String format) throws Exception {
        Ingestor ingestor = new Ingestor(new DatasetSpec(file.toString(), null, format, ',', COLUMNS),
                new TaskSpec(TaskType.GRADED, 0, 4), new SplitSpec(0.2, 0.0, 0.2, 1), HASHER);
        Ingestor.Result r;
        try (InputStream in = Files.newInputStream(file)) {
            r = ingestor.read(in, file.getFileName().toString());
        } catch (SiftException e) {
            assertEquals(ExitCodes.USAGE, e.exitCode(), e.getMessage());
            assertOneLineNamingTheFile(e.getMessage(), file);
            return;
        } catch (Ingestor.SchemaException e) {
            assertOneLineNamingTheFile(e.getMessage(), file); // the ingest stage exits 2 with it
            return;
        }
        if (r.samples().isEmpty()) {
            return; // the ingest stage stops with "no valid rows", exit 2
        }
        assertFalse(r.quarantined().isEmpty(), file + " was accepted as it is");
        assertEquals(r.rowsRead(), r.samples().size() + r.quarantined().size() + r.duplicates(),
                "every row read is kept, quarantined or a counted duplicate");
        for (Quarantined q : r.quarantined()) {
            assertTrue(q.line() > 0 && q.lines() > 0 && q.reason().length() > 3, q.toString());
        }
        byte[] bytes = Files.readAllBytes(file);
        if (new String(bytes, StandardCharsets.ISO_8859_1).indexOf('"') < 0 || format.equals("jsonl")) {
            long dataLines = new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).count()
                    - (format.equals("csv") ? 1 : 0);
            assertEquals(dataLines, r.rowsRead(), "no source line lost");
        }
    }

    private static void assertOneLineNamingTheFile(String message, Path file) {
        assertTrue(message.startsWith(file.getFileName().toString() + ":"), message);
        assertFalse(message.contains("\n"), message);
    }
}
