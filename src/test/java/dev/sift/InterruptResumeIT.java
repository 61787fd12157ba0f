package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sift stopped with SIGTERM during fine-tune (embedded PostgreSQL): the run and the stage become
 * INTERRUPTED, not RUNNING, and {@code sift resume} finishes the run.
 */
class InterruptResumeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private JsonNode show(long id) throws Exception {
        SiftProcess show = SiftProcess.start(home, Map.of(), "runs", "show", Long.toString(id), "--format", "json");
        assertEquals(0, show.waitFor(120), show.output());
        String out = show.output();
        return JSON.readTree(out.substring(out.indexOf('{')));
    }

    @Test
    void sigtermMarksTheRunInterruptedAndResumeFinishesIt() throws Exception {
        Path wf = home.resolve("long.yaml");
        Files.writeString(wf, """
                name: interrupt-me
                dataset:
                  generate: {rows: 300, noise: 0.1, seed: 3}
                model: {buckets: 64, dim: 8, hidden: 8}
                fine_tune: {epochs: 40}
                evaluate: {zero_shot: false, seeds: 1}
                iterations: 1
                """);
        SiftProcess run = SiftProcess.start(home, Map.of(), "run", wf.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!run.output().contains("fine-tune epoch 2/") && run.process.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(run.output().contains("fine-tune epoch 2/"), run.output());
        run.process.destroy(); // SIGTERM
        assertTrue(run.process.waitFor(60, TimeUnit.SECONDS), "sift did not stop on SIGTERM");
        Matcher m = Pattern.compile("run (\\d+) \\(").matcher(run.output());
        assertTrue(m.find(), run.output());
        long id = Long.parseLong(m.group(1));

        List<String> lines = run.output().lines().filter(l -> !l.isBlank()).toList();
        assertEquals("sift: run " + id + " marked INTERRUPTED; 'sift resume " + id + "' continues it",
                lines.get(lines.size() - 1), "the hook's line is the last word, no progress line after it");
        JsonNode detail = show(id);
        assertEquals("INTERRUPTED", detail.get("run").get("status").asText(), run.output());
        assertEquals("INTERRUPTED", detail.get("stages").get(1).get("status").asText());
        assertEquals("SUCCEEDED", detail.get("stages").get(0).get("status").asText());

        SiftProcess resume = SiftProcess.start(home, Map.of(), "resume", Long.toString(id));
        int code = resume.waitFor(300);
        assertEquals(0, code, resume.output());
        assertEquals("SUCCEEDED", show(id).get("run").get("status").asText());
    }
}
