package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.DatasetSpec.Columns;
import dev.sift.data.DatasetSpec;
import dev.sift.data.Ingestor;
import dev.sift.data.KeyedHasher;
import dev.sift.data.SplitSpec;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ingest's warnings about a label range that does not fit the data. */
class IngestWarningsTest {
    private static Ingestor.Result read(String csv) throws Exception {
        Ingestor ingestor = new Ingestor(new DatasetSpec("/x", null, "csv", ',', new Columns("query", "title",
                "description", "label", null, null, null)), new TaskSpec(TaskType.GRADED, 1, 3), new SplitSpec(0.2,
                        0.0, 0.2, 1), new KeyedHasher("0123456789abcdef0123".getBytes(StandardCharsets.UTF_8)), null);
        return ingestor.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "stars.csv");
    }

    @Test
    void starsReadAsGradesOneToThreeNameTheValuesAndTheSetting() throws Exception {
        StringBuilder csv = new StringBuilder("query,title,description,label\n");
        for (int i = 0; i < 100; i++) {
            csv.append("q").append(i % 20).append(",item ").append(i).append(",d,").append(1 + i % 5).append('\n');
        }
        csv.append("q1,odd item,d,7\n");
        Optional<String> w = IngestSummary.outOfRange(read(csv.toString()), TaskType.GRADED);
        assertEquals(Optional.of("label values 4 (20 rows), 5 (20 rows) are outside the task's range (an integer from "
                + "1 to 3) and quarantined: if these are grades, set task.min_label / task.max_label to cover them"), w,
                "the one stray 7 is a bad row, not a range");
        StringBuilder fine = new StringBuilder("query,title,description,label\n");
        for (int i = 0; i < 100; i++) {
            fine.append("q").append(i % 20).append(",item ").append(i).append(",d,").append(1 + i % 3).append('\n');
        }
        assertTrue(IngestSummary.outOfRange(read(fine + "q1,odd item,d,9\n"), TaskType.GRADED).isEmpty());
        // a binary task's range cannot be widened: the advice says what can be done (a probe's -1/1 click log was
        // told to set task.max_label, which binary refuses)
        String binary = IngestSummary.outOfRange(read(csv.toString()), TaskType.BINARY).orElseThrow();
        assertTrue(binary.endsWith("a binary task's labels are 0 and 1 (its range cannot be widened): recode them (a "
                + "click log's -1 as 0), or read grades with task.type: graded and task.min_label / task.max_label"),
                binary);
    }
}
