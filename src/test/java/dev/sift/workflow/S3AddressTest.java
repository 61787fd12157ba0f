package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.store.S3Address;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * S3 addresses as a workflow gives them: read as the AWS CLI reads them, checked before a run is recorded. A probe's
 * key with a space or {@code %} stopped ingest with a Java exception, one with {@code #} read another object,
 * {@code s3://sift} retried for a minute, and a test file in S3 that was the training file was accepted.
 */
class S3AddressTest {
    @Test
    void theKeyIsTheTextAsWritten() {
        assertEquals(new S3Address("data", "in/my data ü.csv"), S3Address.parse("s3://data/in/my data ü.csv"));
        assertEquals("in/100%.csv", S3Address.parse("s3://data/in/100%.csv").key());
        assertEquals("in/a#b.csv?versionId=1", S3Address.parse("s3://data/in/a#b.csv?versionId=1").key());
        assertEquals("in/my%20data.csv", S3Address.parse("s3://data/in/my%20data.csv").key(), "nothing decoded");
        assertEquals("a b.csv", S3Address.parse("s3://data/a%20b.csv").decodedKey(), "what a missing one may mean");
        assertEquals(null, S3Address.parse("s3://data/a b.csv").decodedKey());
        assertEquals(null, S3Address.parse("s3://data/100%.csv").decodedKey());
        assertEquals("50%off x.csv", S3Address.parse("s3://data/50%off%20x.csv").decodedKey(), "a stray % stays");
        assertEquals("x\ny z", S3Address.parse("s3://data/x\ny%20z").decodedKey());
        assertEquals(null, S3Address.parse("s3://data/a%FF.csv").decodedKey(), "not UTF-8: no guess");
        assertEquals("ü.csv", S3Address.parse("s3://data/%C3%BC.csv").decodedKey());
    }

    @Test
    void whatIsNoAddressSaysWhy() {
        assertEquals("names no bucket (s3://bucket/key)", S3Address.problem("s3://"));
        assertEquals("names a bucket but no object (s3://sift/key)", S3Address.problem("s3://sift"));
        assertEquals("names a bucket but no object (s3://sift/key)", S3Address.problem("s3://sift/"));
        for (String bucket : new String[] {"Bad_Bucket!", "ab", "a b"}) {
            assertEquals("bucket '" + bucket + "' is not a bucket name (3 to 255 letters, digits, '.', '-' or '_')",
                    S3Address.problem("s3://" + bucket + "/k"));
        }
        // an older bucket's name is read (the SDK reads it by path; only new buckets follow S3's rules)
        assertEquals("Legacy_Bucket", S3Address.parse("s3://Legacy_Bucket/k").bucket());
        // a model's folder may be a bucket's root (a review's: s3://minilm was refused as "no object")
        assertNull(S3Address.folderProblem("s3://minilm"));
        assertNull(S3Address.folderProblem("s3://minilm/"));
        assertNull(S3Address.folderProblem("s3://models/minilm-l6"));
        assertNull(S3Address.problem("s3://sift/k"));
        assertTrue(S3Address.same("s3://sift/in/a.csv", "s3://sift/in/a.csv"));
        assertFalse(S3Address.same("s3://sift/in/a.csv", "s3://sift/in/b.csv"));
        assertFalse(S3Address.same("s3://sift/in/a.csv", "/tmp/a.csv"));
    }

    @Test
    void aWorkflowsAddressesAreCheckedBeforeARun() {
        String yaml = """
                name: s3
                dataset:
                  path: PATH
                  test: TEST
                  columns: {query: query, title: title, label: label}
                task: {type: binary}
                """;
        for (var bad : Map.of("s3://sift", "dataset.path: s3://sift: names a bucket but no object",
                "s3://", "dataset.path: s3://: names no bucket").entrySet()) {
            List<String> e = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", yaml
                    .replace("PATH", bad.getKey()).replace("TEST", "s3://sift/test.csv"), null, Map.of(), true))
                    .errors();
            assertTrue(e.get(0).contains(bad.getValue()), e.toString());
        }
        List<String> same = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", yaml
                .replace("PATH", "s3://sift/in/train.csv").replace("TEST", "s3://sift/in/train.csv"), null, Map.of(),
                true)).errors();
        assertEquals(1, same.size(), same.toString());
        assertTrue(same.get(0).contains("dataset.test: is the same file as dataset.path (s3://sift/in/train.csv)"),
                same.toString());
        WorkflowParser.parse("w.yaml", yaml.replace("PATH", "s3://sift/in/my data.csv").replace("TEST",
                "s3://sift/in/test#1.csv"), null, Map.of(), true);
        // a model's folder at a bucket's root is taken, and a stored workflow reads back whatever its addresses
        WorkflowParser.parse("w.yaml", yaml.replace("PATH", "s3://sift/in/train.csv").replace("TEST",
                "s3://sift/in/test.csv") + "model: {encoder: bert, source: s3://minilm}\n", null, Map.of(), true);
        WorkflowParser.parse("stored", yaml.replace("PATH", "s3://sift").replace("TEST", "s3://sift/t.csv"), null,
                Map.of(), false);
    }
}
