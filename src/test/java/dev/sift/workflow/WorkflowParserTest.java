package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.TaskType;
import dev.sift.importance.ImportanceMethods;
import dev.sift.selection.Order;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowParserTest {
    private static final String GOOD = """
            name: t
            dataset:
              generate: {rows: 100, noise: 0.1, seed: 1}
            filter:
              by: el2n
              keep: 0.5
            iterations: 2
            """;

    private static List<String> errors(String yaml, Map<String, String> overrides) {
        return assertThrows(WorkflowException.class,
                () -> WorkflowParser.parse("w.yaml", yaml, Path.of("."), overrides, true)).errors();
    }

    @Test
    void parsesWithDefaults() {
        WorkflowSpec s = WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of(), true).spec();
        assertEquals("t", s.name());
        assertEquals(100, s.dataset().generate().rows());
        assertEquals(0.5, s.filter().keep());
        assertEquals(2, s.iterations());
        // a graded task on the hashed model: every registered method applies
        assertEquals(ImportanceMethods.names(), s.score().methods());
        assertEquals(Order.LOWEST, s.filter().order(), "el2n: higher = remove, so the low end is kept");
        assertEquals(4, s.task().classes());
    }

    @Test
    void unknownKeyNamesFileLineAndKey() {
        List<String> e = errors(GOOD.replace("  keep: 0.5", "  keep: 0.5\n  kep: 0.3"), Map.of());
        assertEquals(List.of("w.yaml:7: filter.kep: unknown key"), e);
    }

    @Test
    void fractionOutsideRangeNamesFileLineAndKey() {
        List<String> e = errors(GOOD.replace("keep: 0.5", "keep: 1.5"), Map.of());
        assertEquals(List.of("w.yaml:6: filter.keep: must be a fraction in (0, 1], got 1.5"), e);
    }

    @Test
    void reportsEveryErrorAtOnce() {
        List<String> e = errors(GOOD.replace("keep: 0.5", "keep: 0").replace("iterations: 2", "iterations: two"),
                Map.of());
        assertEquals(2, e.size(), e.toString());
        assertTrue(e.get(1).startsWith("w.yaml:7: iterations: must be an integer"), e.toString());
    }

    @Test
    void overridesApplyAndAreNamedInErrors() {
        WorkflowParser.Parsed p = WorkflowParser.parse("w.yaml", GOOD, Path.of("."),
                Map.of("fine_tune.epochs", "2", "score.methods", "[loss, el2n]"), true);
        assertEquals(2, p.spec().fineTune().epochs());
        assertEquals(List.of("loss", "el2n"), p.spec().score().methods());
        assertTrue(p.snapshot().contains("epochs: 2"));
        // the snapshot parses back to the same spec
        assertEquals(p.spec(), WorkflowParser.parse("s", p.snapshot(), null, Map.of(), false).spec());
        List<String> e = errors(GOOD, Map.of("filter.keep", "2"));
        assertEquals(List.of("w.yaml: --set filter.keep: must be a fraction in (0, 1], got 2.0"), e);
    }

    @Test
    void missingDataFileAndMissingColumnsAreReported() {
        List<String> e = errors("name: x\ndataset:\n  path: /nonexistent/data.csv\n  columns: {query: q}\n",
                Map.of());
        assertTrue(e.stream().anyMatch(m -> m.startsWith("w.yaml:3: dataset.path: no such file")), e.toString());
        assertTrue(e.stream().anyMatch(m -> m.contains("dataset.columns.title: is required")), e.toString());
    }

    @Test
    void grandIsLeftOutOrRefusedForPretrainedEncoders() {
        WorkflowSpec s = WorkflowParser.parse("w.yaml", GOOD.replace("iterations: 2", "iterations: 2\nmodel: {encoder: "
                + "minilm}"), Path.of("."), Map.of(), true).spec();
        assertTrue(!s.score().methods().contains("grand") && s.score().methods().contains("grad_norm"));
        List<String> e = errors(GOOD.replace("by: el2n", "by: grand") + "model: {encoder: minilm}\nscore: "
                + "{methods: [grand]}\n", Map.of());
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("w.yaml:") && e.get(0).contains("score.methods: grand needs per-sample "
                + "gradient norms over all parameters"), e.toString());
    }

    @Test
    void unknownScoreMethodAndFilterMethodAreReported() {
        List<String> e = errors(GOOD + "score:\n  methods: [loss, magic]\n", Map.of());
        assertTrue(e.stream().anyMatch(m -> m.contains("score.methods: unknown method 'magic'")), e.toString());
        assertTrue(e.stream().anyMatch(m -> m.contains("filter.by: must be one of the score methods")),
                e.toString());
    }

    @Test
    void regressionRefusesClassificationMethodsWithFileLineAndReason() {
        String regression = GOOD + "task: {type: regression, min_label: 1, max_label: 3}\n";
        for (String method : List.of("knn_shapley", "aum")) {
            List<String> e = errors(regression.replace("by: el2n", "by: " + method) + "score: {methods: [" + method
                    + "]}\n", Map.of());
            assertEquals(1, e.size(), e.toString());
            assertTrue(e.get(0).matches("w\\.yaml:\\d+: score\\.methods: " + method
                    + " is not defined for regression tasks: .+"), e.toString());
        }
        WorkflowSpec s = WorkflowParser.parse("w.yaml", regression, Path.of("."), Map.of(), true).spec();
        for (String m : s.score().methods()) {
            assertTrue(ImportanceMethods.byName(m).tasks().contains(TaskType.REGRESSION), m);
        }
        assertTrue(s.score().methods().containsAll(List.of("loss", "el2n", "grad_norm")), s.score().methods()
                .toString());
        assertFalse(s.score().methods().contains("knn_shapley"));
    }

    @Test
    void filterOrderDefaultsToTheMethodsKeepEnd() {
        WorkflowSpec clean = WorkflowParser.parse("w.yaml", GOOD.replace("by: el2n", "by: aum"), Path.of("."), Map.of(),
                true).spec();
        assertEquals(Order.HIGHEST, clean.filter().order());
        WorkflowSpec hard = WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of(),
                true).spec();
        assertEquals(Order.LOWEST, hard.filter().order());
    }
}
