package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two overlapping sift runs on one SIFT_HOME share its embedded PostgreSQL: the one that started the server
 * finishes first and must not stop it under the other. Five times.
 */
class SharedDatabaseIT {
    @TempDir
    Path home;

    @Test
    void twoOverlappingRunsBothSucceedFiveTimes() throws Exception {
        Path wf = home.resolve("tiny.yaml");
        Files.writeString(wf, """
                name: overlap
                dataset:
                  generate: {rows: 200, noise: 0.1, seed: 3}
                model: {buckets: 64, dim: 8, hidden: 8}
                fine_tune: {epochs: 1}
                evaluate: {zero_shot: false, seeds: 1}
                iterations: 1
                cache: false
                """);
        for (int round = 1; round <= 5; round++) {
            SiftProcess first = SiftProcess.start(home, Map.of(), "run", wf.toString(), "--name", "first-" + round);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!first.output().contains("started") && first.process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50); // the first holds the database before the second starts
            }
            SiftProcess second = SiftProcess.start(home, Map.of(), "run", wf.toString(), "--name", "second-" + round);
            assertEquals(0, first.waitFor(300), "round " + round + ", first:\n" + first.output());
            assertEquals(0, second.waitFor(300), "round " + round + ", second:\n" + second.output());
            assertTrue(second.output().contains("succeeded"), second.output());
            assertFalse(Files.exists(home.resolve("pg").resolve("postmaster.pid")),
                    "round " + round + ": the last process stopped the server");
        }
    }
}
