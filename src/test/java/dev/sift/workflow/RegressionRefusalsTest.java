package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.SiftException;
import dev.sift.cli.NoiseBenchCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What a regression task cannot do is refused in one line that says so (a probe's): a policy of confident learning's
 * flags (the advice to add label_quality led to label_quality's own refusal), and adjacent noise on a range where a
 * step of 1 lands every flip on a bound.
 */
class RegressionRefusalsTest {
    private static String workflow(double min, double max, String extra) {
        return "name: scores\ndataset:\n  generate: {rows: 200}\n" + extra + "task: {type: regression, min_label: "
                + min + ", max_label: " + max + "}\nscore: {methods: [loss]}\n";
    }

    private static List<String> errors(String yaml) {
        return assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", yaml, null, Map.of(),
                true)).errors();
    }

    @Test
    void flagPoliciesAreRefusedForRegressionWithAdviceThatApplies() {
        for (String policy : List.of("relabel", "drop_flagged")) {
            List<String> e = errors(workflow(0, 3, "filter: {policy: " + policy + "}\n"));
            assertEquals(1, e.size(), e.toString());
            assertTrue(e.get(0).contains("filter.policy: " + policy + " acts on confident learning's flags "
                    + "(label_quality), which a regression task has none of (no classes to disagree with); use "
                    + "top_fraction, ccs, stratified, drop_mixture, drop_groups or weighted"), e.toString());
        }
        List<String> e = errors(workflow(0, 3, "filter: {candidates: [top_fraction, relabel]}\n"));
        assertTrue(e.get(0).contains("filter.candidates: relabel acts on confident learning's flags"), e.toString());
        assertDoesNotThrow(() -> WorkflowParser.parse("w.yaml", workflow(0, 3, "filter: {policy: drop_mixture}\n"),
                null, Map.of(), false));
        assertDoesNotThrow(() -> WorkflowParser.parse("w.yaml", workflow(0, 3, "filter: {policy: drop_groups}\n"),
                null, Map.of(), true));
    }

    @Test
    void adjacentNoiseOnANarrowRegressionRangeIsRefusedInTheWorkflowAndTheBench(@TempDir Path dir) throws Exception {
        String noise = "  noise: {fraction: 0.2, kind: adjacent}\n";
        List<String> e = errors(workflow(0, 1, "").replace("  generate", noise + "  generate"));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).contains("dataset.noise.kind: adjacent moves a regression label by 1 (a grade), more than "
                + "half of the task's range [0, 1]: every flip would land on a bound, where the label alone gives it "
                + "away; use kind uniform, far or query"), e.toString());
        // a range of grades (1-4 averaged) keeps its adjacent noise; so does a narrow one with another kind; a stored
        // workflow is read as it was accepted (resume of a run stored before the refusal)
        assertDoesNotThrow(() -> WorkflowParser.parse("w.yaml", workflow(1, 4, "").replace("  generate", noise
                + "  generate"), null, Map.of(), true));
        assertDoesNotThrow(() -> WorkflowParser.parse("w.yaml", workflow(0, 1, "").replace("  generate", noise
                .replace("adjacent", "uniform") + "  generate"), null, Map.of(), true));
        assertDoesNotThrow(() -> WorkflowParser.parse("w.yaml", workflow(0, 1, "").replace("  generate", noise
                + "  generate"), null, Map.of(), false));
        // a missing range is said once, not again as a noise range of the parser's fallback
        List<String> once = errors("name: s\ndataset:\n  generate: {rows: 200}\n" + noise + "task: {type: "
                + "regression}\nscore: {methods: [loss]}\n");
        assertEquals(1, once.size(), once.toString());
        // bench noise flips adjacent labels by default: refused there too, before anything trains
        Path wf = Files.writeString(dir.resolve("w.yaml"), workflow(0, 1, ""));
        NoiseBenchCommand c = new NoiseBenchCommand();
        new CommandLine(c).parseArgs(wf.toString(), "--seeds", "1");
        SiftException s = assertThrows(SiftException.class, c::call);
        assertEquals(2, s.exitCode());
        assertTrue(s.getMessage().startsWith(wf + ": dataset.noise.kind adjacent moves a regression label by 1")
                && s.getMessage().endsWith("(set it in the workflow)"), s.getMessage());
    }
}
