package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data path that exists but is no regular file is said as such (a probe's /dev/null was "no such file"). */
class DataPathKindsTest {
    @Test
    void aDeviceIsNotCalledMissing(@TempDir Path dir) {
        String yaml = "name: w\ndataset:\n  path: PATH\n  columns: {query: q, title: t, label: l}\ntask: {type: "
                + "binary}\n";
        List<String> dev = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", yaml.replace(
                "PATH", "/dev/null"), dir, Map.of(), true)).errors();
        assertEquals(List.of("w.yaml:3: dataset.path: is not a regular file (a device, pipe or socket; Sift reads a "
                + "data file more than once): /dev/null"), dev);
        List<String> missing = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml",
                yaml.replace("PATH", "nope.csv"), dir, Map.of(), true)).errors();
        assertTrue(missing.get(0).endsWith("dataset.path: no such file: " + dir.resolve("nope.csv")), missing.toString());
    }
}
