package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The workflow stored with a run is read again by resume and --only-stage: every value must come back as it was
 * written (a probe's name "@alice quickstart" was stored unquoted, and the run could never be resumed).
 */
class SnapshotRoundTripTest {
    @Test
    void valuesYamlReservesAreQuotedSoTheStoredWorkflowReadsBackTheSame() {
        for (String value : List.of("@alice quickstart", "- a", "-", "--x", "---", "-0.5", "-.5", "a - b", "`tick`",
                "%pct", "!bang", "*star", "&amp", "|pipe", ">gt", "?q", "x: y", "a #b", "true", " lead",
                "trail ", "\"q\" x", "'s' x", "tab\there", "plain_name-1.2/x",
                // a probe's: a control character made the stored workflow unreadable ("special characters are not
                // allowed"): a unit-separator column, a BEL in a name, a path's C1 control, CR, DEL, U+2028, emoji
                "us\u001fsep", "rel\u0007evance", "c\u0001d", "x\u0085y", "a\r\nb", "del\u007f", "l\u2028s",
                "\uD83D\uDE00 smile", "back\\slash")) {
            String yaml = "name: w\ndataset:\n  generate: {rows: 100}\n  columns: {query: q, title: t, label: l}\n";
            WorkflowParser.Parsed first = WorkflowParser.parse("w.yaml", yaml, null, Map.of("dataset.columns.query",
                    value), false);
            WorkflowParser.Parsed again = WorkflowParser.parse("stored", first.snapshot(), null, Map.of(), false);
            assertEquals(value, again.spec().dataset().columns().query(), "stored as:\n" + first.snapshot());
            assertEquals(first.snapshot(), again.snapshot(), value);
        }
        // a value that is itself in quotes, given to --set in YAML's quotes, reads back with its quotes
        String quoted = "name: w\ndataset:\n  generate: {rows: 100}\n  columns: {query: q, title: t, label: l}\n";
        WorkflowParser.Parsed q = WorkflowParser.parse("w.yaml", quoted, null, Map.of("dataset.columns.query",
                "'\"q\"'"), false);
        assertEquals("\"q\"", WorkflowParser.parse("stored", q.snapshot(), null, Map.of(), false).spec().dataset()
                .columns().query(), q.snapshot());
        String yaml = "name: w\ndataset:\n  path: d.txt\n  format: csv\n  separator: \"\\u001f\"\n"
                + "  columns: {query: q, title: t, label: l}\n";
        WorkflowParser.Parsed first = WorkflowParser.parse("w.yaml", yaml, null, Map.of(), false);
        WorkflowParser.Parsed again = WorkflowParser.parse("stored", first.snapshot(), null, Map.of(), false);
        assertEquals('\u001f', again.spec().dataset().separator(), "stored as:\n" + first.snapshot());
    }
}
