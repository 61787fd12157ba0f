package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code task.positive_at} above every rating of a local interactions file is said before a run is recorded (it
 * used to pass {@code validate} and fail at ingest, after the run row).
 */
class PositiveAtCheckTest {
    @TempDir
    Path dir;

    private String yaml(String positiveAt) throws IOException {
        StringBuilder rows = new StringBuilder("user\titem\trating\n");
        for (int u = 0; u < 5; u++) {
            for (int i = 0; i < 4; i++) {
                rows.append('u').append(u).append("\titem ").append(i).append('\t').append(1 + (u + i) % 3)
                        .append('\n');
            }
        }
        Files.writeString(dir.resolve("ratings.tsv"), rows);
        return """
                name: rec
                dataset:
                  path: ratings.tsv
                  columns: {user: user, item: item, rating: rating}
                task: {type: recommendation, positive_at: %s}
                model: {encoder: minilm}
                """.formatted(positiveAt);
    }

    @Test
    void aThresholdAboveEveryRatingIsRefusedAtItsLine() throws IOException {
        List<String> e = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", yaml("4"), dir,
                Map.of(), true)).errors();
        assertEquals(List.of("w.yaml:5: task.positive_at: " + dir.resolve("ratings.tsv") + ": no positive "
                + "interaction: 20 rows have a rating below task.positive_at 4 (the highest read is 3)"), e);
        WorkflowParser.parse("w.yaml", yaml("3"), dir, Map.of(), true); // the highest rating is a positive
        WorkflowParser.parse("w.yaml", yaml("4"), dir, Map.of(), false); // a stored workflow is read as accepted
    }
}
