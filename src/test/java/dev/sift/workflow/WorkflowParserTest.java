package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.LabelNoise;
import dev.sift.data.TaskType;
import dev.sift.importance.ImportanceMethods;
import dev.sift.selection.Order;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.sift.data.SplitSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void errorsAreListedByLineWithTheOverridesFirst() {
        // an unknown key is found when its mapping is done, after the errors of the lines below it (a probe's)
        String yaml = GOOD.replace("iterations: 2", "iterations: 2\nbogus: 1\nfine_tune:\n  epochs: -3");
        List<String> e = errors(yaml, Map.of("filter.keep", "7"));
        assertEquals(3, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("w.yaml: --set filter.keep"), e.toString());
        assertTrue(e.get(1).startsWith("w.yaml:8: bogus"), e.toString());
        assertTrue(e.get(2).startsWith("w.yaml:10: fine_tune.epochs"), e.toString());
    }

    @Test
    void parsesWithDefaults() {
        WorkflowSpec s = WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of(), true).spec();
        assertEquals("t", s.name());
        assertEquals(100, s.dataset().generate().rows());
        assertEquals(0.5, s.filter().keep());
        assertEquals(2, s.iterations());
        // a graded task on the hashed model: every registered method applies but oof_loss (cross-fitting is off)
        assertEquals(ImportanceMethods.names().stream().filter(n -> !n.equals("oof_loss")).toList(),
                s.score().methods());
        assertEquals(0, s.score().crossFit());
        assertEquals(Order.LOWEST, s.filter().order(), "el2n: higher = remove, so the low end is kept");
        assertEquals(4, s.task().classes());
    }

    @Test
    void aUtilitySplitIsHeldOutOnlyWhenAMethodValuesSamplesAgainstIt() {
        Map<String, String> none = Map.of("score.methods", "[loss, el2n]", "filter.by", "el2n");
        assertEquals(0.1, WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of(), true).spec().split().utility(),
                "every method by default, TracIn and KNN-Shapley among them");
        SplitSpec lossOnly = WorkflowParser.parse("w.yaml", GOOD, Path.of("."), none, true).spec().split();
        assertEquals(0, lossOnly.utility(), "nothing reads a utility split: its queries train");
        assertEquals(0.1, lossOnly.validation());
        assertEquals(0.2, lossOnly.test());
        assertEquals(0.1, WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of("score.methods",
                "[loss, tracin]", "filter.by", "loss"), true).spec().split().utility());
        assertEquals(0.1, WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of("score.methods",
                "[loss, ensemble]", "score.ensemble", "[el2n, knn_shapley]", "filter.by", "loss"), true).spec().split().utility(),
                "an ensemble needs what its members need");
        assertEquals(0, WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of("score.methods",
                "[loss, ensemble]", "score.ensemble", "[el2n, loss]", "filter.by", "loss"), true).spec().split().utility());
        Map<String, String> set = new java.util.HashMap<>(none);
        set.put("split.utility", "0.15");
        assertEquals(0.15, WorkflowParser.parse("w.yaml", GOOD, Path.of("."), set, true).spec().split().utility(),
                "a share the workflow sets is kept");
        assertTrue(errors(GOOD, Map.of("score.methods", "[tracin]", "filter.by", "tracin", "split.test", "0.75"))
                .get(0).contains("validation + utility (0.1, the default when a method values samples against it) "
                        + "+ test must leave at least 10% for training"));
    }

    /** Exactly 10% left is enough whatever the rounding; one fault is one line, on the key that was set. */
    @Test
    void heldOutSharesAreCheckedOnceOnTheKeyThatWasSet() {
        for (String[] vt : new String[][] {{"0.5", "0.4"}, {"0.45", "0.45"}, {"0.1", "0.8"}, {"0.3", "0.6"}}) {
            WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of("split.validation", vt[0], "split.test", vt[1],
                    "score.methods", "[el2n]"), true);
        }
        List<String> both = errors(GOOD, Map.of("split.validation", "0.5", "split.test", "0.45", "score.methods",
                "[el2n, tracin]"));
        assertEquals(1, both.size(), both.toString());
        assertTrue(both.get(0).contains("split.test: validation + utility + test"), both.get(0));
        List<String> utility = errors(GOOD, Map.of("split.utility", "0.75"));
        assertEquals(1, utility.size(), utility.toString());
        assertTrue(utility.get(0).contains("--set split.utility: validation + utility + test"), utility.get(0));
        assertTrue(errors(GOOD, Map.of("split.utlity", "0.1")).get(0).contains("did you mean 'utility'"));
        assertTrue(errors(GOOD, Map.of("evaluate.stopp", "1")).get(0).contains("did you mean 'stop'"));
        assertTrue(errors(GOOD, Map.of("dataset.noice", "1")).get(0).contains("did you mean 'noise'"));
        List<String> none = errors(GOOD, Map.of("score.methods", "[]"));
        assertTrue(none.get(0).contains("score.methods: list at least one method"), none.toString());
        // a refused method list is said once: filter.by and a policy that needs flags are not checked against it
        for (String methods : new String[] {"[]", "null", "[bogus]"}) {
            List<String> once = errors(GOOD, Map.of("score.methods", methods, "filter.by", "label_quality",
                    "filter.policy", "drop_flagged"));
            assertEquals(1, once.size(), once.toString());
            assertTrue(once.get(0).contains("score.methods: "), once.toString());
        }
        List<String> noTest = errors(GOOD, Map.of("split.test", "0"));
        assertTrue(noTest.size() == 1 && noTest.get(0).contains("split.test: must be above 0"), noTest.toString());
        List<String> byWrong = errors(GOOD, Map.of("score.methods", "[loss]", "filter.by", "el2n"));
        assertTrue(byWrong.get(0).contains("filter.by: must be one of the score methods [loss]"), byWrong.toString());
    }

    @Test
    void executionIsLocalByDefaultAndAwsBatchAsAValueOrAMapping() {
        assertEquals(WorkflowSpec.Execution.LOCAL,
                WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of(), true).spec().execution());
        WorkflowSpec.Execution plain = WorkflowParser.parse("w.yaml", GOOD + "execution: aws-batch\n", Path.of("."),
                Map.of(), true).spec().execution();
        assertEquals(new WorkflowSpec.Execution(WorkflowSpec.Execution.Target.AWS_BATCH, "gpu", null, 2), plain);
        WorkflowSpec.Execution full = WorkflowParser.parse("w.yaml", GOOD + "execution: {target: aws-batch, queue: "
                + "cpu, job_definition: sift-run-cpu:3, attempts: 3}\n", Path.of("."), Map.of(), true).spec().execution();
        assertEquals(new WorkflowSpec.Execution(WorkflowSpec.Execution.Target.AWS_BATCH, "cpu", "sift-run-cpu:3", 3),
                full);
        WorkflowSpec.Execution set = WorkflowParser.parse("w.yaml", GOOD, Path.of("."),
                Map.of("execution", "aws-batch"), true).spec().execution();
        assertEquals(WorkflowSpec.Execution.Target.AWS_BATCH, set.target());
    }

    @Test
    void anUnknownExecutionTargetIsOneLineNamingFileLineAndKey() {
        assertEquals(List.of("w.yaml:8: execution: must be one of local, aws-batch, got 'kubernetes'"),
                errors(GOOD + "execution: kubernetes\n", Map.of()));
        assertEquals(List.of("w.yaml:8: execution.target: must be one of local, aws-batch, got 'ecs'"),
                errors(GOOD + "execution: {target: ecs}\n", Map.of()));
        assertEquals(List.of("w.yaml:8: execution.queue: only applies to execution.target aws-batch"),
                errors(GOOD + "execution: {queue: cpu}\n", Map.of()));
        assertEquals(List.of("w.yaml:8: execution.attempts: must be between 1 and 10, got 0"),
                errors(GOOD + "execution: {target: aws-batch, attempts: 0}\n", Map.of()));
        assertEquals(List.of("w.yaml:8: execution.retries: unknown key; known here: attempts, job_definition, queue, target"),
                errors(GOOD + "execution: {target: aws-batch, retries: 2}\n", Map.of()));
    }

    @Test
    void curveFractionsAndPoliciesAreCheckedAndGradesDefaultToCalibrated() {
        WorkflowSpec s = WorkflowParser.parse("w.yaml", GOOD + "evaluate: {curve: [0.3, 0.7]}\n", Path.of("."),
                Map.of(), true).spec();
        assertEquals(List.of(0.3, 0.7), s.evaluate().curve());
        assertEquals(List.of("top_fraction"), s.evaluate().curvePolicies());
        assertEquals(WorkflowSpec.Grades.CALIBRATED, s.evaluate().grades());
        List<String> e = errors(GOOD + "evaluate: {curve: [0.5, 1.5], curve_policies: [ccs, drop_flagged], "
                + "grades: mode}\n", Map.of());
        assertTrue(e.stream().anyMatch(x -> x.contains("evaluate.curve") && x.contains("(0, 1), got 1.5")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("evaluate.curve_policies") && x.contains("policy drop_flagged")),
                e.toString());
        assertTrue(e.stream().noneMatch(x -> x.contains("policy ccs")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("evaluate.grades")), e.toString());
    }

    /** Lists whose entries name stored subsets or choices must not repeat; an empty policy list is refused. */
    @Test
    void listedTwiceAndEmptyListsAndRulesThatCannotFireAreRefused() {
        List<String> e = errors(GOOD + "evaluate: {curve: [0.5, 0.50], curve_policies: [ccs, CCS], stop: "
                + "{metric: kappa}}\n", Map.of());
        assertTrue(e.stream().anyMatch(x -> x.contains("evaluate.curve: 0.5 is listed twice")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("evaluate.curve_policies: ccs is listed twice")),
                e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("evaluate.stop") && x.contains("give a floor, a plateau above 0, or both")),
                e.toString());
        List<String> empty = errors(GOOD + "evaluate: {curve: [0.5], curve_policies: []}\n", Map.of());
        assertTrue(empty.stream().anyMatch(x -> x.contains("evaluate.curve_policies: list at least one")),
                empty.toString());
        List<String> c = errors(GOOD.replace("  keep: 0.5\n", "  keep: 0.5\n  candidates: [top_fraction, "
                + "Top_Fraction]\n"), Map.of());
        assertTrue(c.stream().anyMatch(x -> x.contains("filter.candidates: top_fraction is listed twice")),
                c.toString());
        WorkflowSpec upper = WorkflowParser.parse("w.yaml", GOOD.replace("  keep: 0.5\n", "  keep: 0.5\n  policy: "
                + "TOP_FRACTION\n"), Path.of("."), Map.of(), true).spec();
        assertEquals("top_fraction", upper.filter().policy(), "policy names are read like every other choice");
        List<String> grades = errors(GOOD + "task: {type: regression, min_label: 0, max_label: 3}\nevaluate: "
                + "{grades: argmax}\n", Map.of());
        assertTrue(grades.stream().anyMatch(x -> x.contains("evaluate.grades") && x.contains("regression")),
                grades.toString());
    }

    @Test
    void oofLossNeedsCrossFittingAndSaysSoInOneLine() {
        List<String> e = errors(GOOD.replace("by: el2n", "by: oof_loss") + "score:\n  methods: [oof_loss]\n",
                Map.of());
        assertEquals(List.of("w.yaml:9: score.methods: oof_loss needs out-of-fold predictions: set score.cross_fit "
                + "to K >= 2 (K models trained on query-grouped folds of the pool, each predicting the fold it did "
                + "not see)"), e);
        WorkflowSpec s = WorkflowParser.parse("w.yaml", GOOD.replace("by: el2n", "by: oof_loss")
                + "score:\n  cross_fit: 5\n  methods: [oof_loss, label_quality]\n", Path.of("."), Map.of(), true)
                .spec();
        assertEquals(5, s.score().crossFit());
        assertEquals(Order.LOWEST, s.filter().order(), "oof_loss: higher = remove");
        // with cross-fitting on and no method list, oof_loss is among the defaults
        assertTrue(WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of("score.cross_fit", "3"), true).spec()
                .score().methods().contains("oof_loss"));
        assertEquals(List.of("w.yaml:9: score.cross_fit: must be 0 (off) or a number of folds >= 2, got 1"),
                errors(GOOD + "score:\n  cross_fit: 1\n", Map.of()));
    }

    @Test
    void aBootstrapTooSmallForA95PercentIntervalIsRefused() {
        // fewer than 40 resamples cannot place the 2.5% and 97.5% points: 0 stored NaN intervals read as "no"
        List<String> e = errors(GOOD, Map.of("evaluate.bootstrap", "0"));
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).contains("evaluate.bootstrap: must be between 40 and 100000, got 0"), e.get(0));
        assertEquals(40, WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of("evaluate.bootstrap", "40"), true)
                .spec().evaluate().bootstrap());
    }

    @Test
    void scoringCheckpointIsParsedAndAnEpochAfterTheLastIsRefused() {
        WorkflowSpec s = WorkflowParser.parse("w.yaml", GOOD + "fine_tune:\n  epochs: 4\nscore:\n  checkpoint: epoch:2\n",
                Path.of("."), Map.of(), true).spec();
        assertEquals("epoch:2", s.score().checkpoint().toString());
        assertEquals("best", WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of(), true).spec().score()
                .checkpoint().toString());
        List<String> e = errors(GOOD + "fine_tune:\n  epochs: 4\nscore:\n  checkpoint: epoch:5\n", Map.of());
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).startsWith("w.yaml:1") && e.get(0).contains("score.checkpoint: epoch 5 is after the last "
                + "one (fine_tune.epochs: 4)"), e.toString());
        e = errors(GOOD, Map.of("score.checkpoint", "latest"));
        assertTrue(e.size() == 1 && e.get(0).contains("score.checkpoint: must be best, final, mean or epoch:K"),
                e.toString());
    }

    @Test
    void unknownKeyNamesFileLineAndKey() {
        List<String> e = errors(GOOD.replace("  keep: 0.5", "  keep: 0.5\n  kep: 0.3"), Map.of());
        assertEquals(List.of("w.yaml:7: filter.kep: unknown key (did you mean 'keep'?)"), e);
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
    void mergeKeysAndTopLevelAnchorHolders() {
        String yaml = """
                name: t
                x-common: &common {epochs: 2, batch_size: 8, seed: 5}
                dataset:
                  generate: {rows: 100, noise: 0.1, seed: 1}
                fine_tune:
                  <<: *common
                  seed: 9
                """;
        WorkflowSpec s = WorkflowParser.parse("w.yaml", yaml, Path.of("."), Map.of(), true).spec();
        assertEquals(2, s.fineTune().epochs());
        assertEquals(8, s.fineTune().batchSize());
        assertEquals(9, s.fineTune().seed(), "the mapping's own key wins over the merged one");
        // several mappings: the first given wins; a merged key is checked like any other
        String two = yaml.replace("<<: *common", "<<: [{epochs: 3}, *common]");
        assertEquals(3, WorkflowParser.parse("w.yaml", two, Path.of("."), Map.of(), true).spec().fineTune().epochs());
        assertEquals(List.of("w.yaml:2: fine_tune.epoch: unknown key (did you mean 'epochs'?)"),
                errors(yaml.replace("epochs: 2", "epoch: 2"), Map.of()));
        // only top-level x- keys are left alone
        List<String> note = errors(yaml.replace("seed: 9", "x-note: 1"), Map.of());
        assertEquals(1, note.size(), note.toString());
        assertTrue(note.get(0).startsWith("w.yaml:7: fine_tune.x-note: unknown key; known here: batch_size, "),
                note.get(0));
        assertTrue(errors(yaml.replace("<<: *common", "<<: 5"), Map.of()).get(0).contains("'<<' merges mappings only"));
    }

    /** YAML that parses but is no tree of settings: one line with the line number, not a stack trace. */
    @Test
    void aCyclicAliasOrAKeyThatIsAListIsOneLine() {
        assertEquals(List.of("w.yaml:2: invalid YAML: an alias refers to the mapping or list that holds it (a cycle, "
                + "which no setting can be)"), errors("name: t\nx: &a [1, *a]\n", Map.of()));
        assertEquals(1, errors("name: t\nx: &a {b: *a}\n", Map.of()).size());
        assertEquals(List.of("w.yaml:3: invalid YAML: a key must be a name, not a list ('? [a, b]' or '? {a: b}')"),
                errors("name: t\nx:\n  ? [a, b]\n  : 1\n", Map.of()));
        // a document that is a list or a value is one line, not one per key it lacks
        assertEquals(List.of("w.yaml:1: the workflow must be a mapping of keys to values (name: ..., dataset: ...), "
                + "not a list"), errors("- name: t\n- dataset: x\n", Map.of()));
        assertEquals(List.of("w.yaml:1: the workflow must be a mapping of keys to values (name: ..., dataset: ...), "
                + "not a value"), errors("just text\n", Map.of()));
        for (String nothing : List.of("---\n", "# note\n---\n", "~\n")) {
            assertTrue(errors(nothing, Map.of()).get(0).contains("the workflow is empty"), nothing);
        }
        // an alias used twice, not inside itself, is no cycle
        List<String> shared = errors("name: t\na: &x {k: 1}\nb: *x\nc: *x\n", Map.of());
        assertTrue(shared.stream().noneMatch(e -> e.contains("cycle")) && shared.stream().anyMatch(e -> e.contains("b: unknown key")),
                shared.toString());
    }

    @Test
    void aKeyGivenWithoutAValueIsSnapshotAsSuch() {
        String yaml = "name: t\ndataset:\n  generate: {rows: 100, noise: 0.1, seed: 1}\niterations:\n";
        WorkflowParser.Parsed p = WorkflowParser.parse("w.yaml", yaml, Path.of("."), Map.of(), true);
        assertTrue(p.snapshot().endsWith("\niterations:\n"), p.snapshot());
        assertEquals(p.spec(), WorkflowParser.parse("s", p.snapshot(), null, Map.of(), false).spec());
    }

    @Test
    void aLabelRangeErrorSaysWhereTheOtherEndCameFrom() {
        String yaml = GOOD + "task:\n  min_label: 0\n  max_label: 3\n";
        // the error sits on max_label's line; min_label came from --set, which the message says
        assertEquals(List.of("w.yaml:10: task.max_label: must be greater than task.min_label (3 against 3, from "
                + "--set)"), errors(yaml, Map.of("task.min_label", "3")));
        assertEquals(List.of("w.yaml: --set task.max_label: must be greater than task.min_label (0 against 0, line "
                + "9)"), errors(yaml, Map.of("task.max_label", "0")));
        assertEquals(List.of("w.yaml: --set task.max_label: must be greater than task.min_label (-1 against 0, by "
                + "default)"), errors(GOOD, Map.of("task.max_label", "-1")));
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
        // a misspelt method is said once, not again as filter.by's (a probe's methods: [loss, el2m], by: el2n)
        List<String> typo = errors(GOOD + "score:\n  methods: [loss, el2m]\n", Map.of());
        assertEquals(1, typo.size(), typo.toString());
        assertTrue(typo.get(0).contains("score.methods: unknown method 'el2m'"), typo.toString());
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
    void anEmptyNameIsRefusedNotANullPointer() {
        for (String yaml : List.of(GOOD.replace("name: t", "name:"), GOOD.replace("name: t", "name: \"\""))) {
            List<String> e = errors(yaml, Map.of());
            assertEquals(List.of("w.yaml:1: name: is required: got an empty value"), e);
        }
        assertEquals(List.of("w.yaml: --set name: needs a value (an empty one, null or ~ would be read as the "
                + "default)"), errors(GOOD, Map.of("name", "")));
        for (String none : List.of(" ", "null", "~", "NULL")) { // a probe's filter.keep=null silently meant 0.5
            assertEquals(List.of("w.yaml: --set fine_tune.epochs: needs a value (an empty one, null or ~ would be read "
                    + "as the default)"), errors(GOOD, Map.of("fine_tune.epochs", none)));
        }
        for (String none : List.of("{epochs: null}", "{epochs: ~}", "{epochs: }", "{epochs: 3, patience: null}")) {
            List<String> e = errors(GOOD, Map.of("fine_tune", none));
            assertEquals(1, e.size(), none + ": " + e);
            assertTrue(e.get(0).startsWith("w.yaml: --set fine_tune: fine_tune.") && e.get(0).endsWith(" needs a value "
                    + "(an empty one, null or ~ would be read as the default)"), e.get(0));
        }
    }

    /** A probe's --name $'evil\e[2J' cleared the screen of whoever resumed the run; a blank one listed as nothing. */
    @Test
    void aNameWithAControlCharacterOrNothingButSpacesIsRefused() {
        assertEquals(List.of("w.yaml:1: name: holds a control character (U+001B at 5): a name is printed in terminals "
                + "and tables"), errors(GOOD.replace("name: t", "name: \"evil\\e[2J\""), Map.of()));
        assertEquals("holds a control character (U+202E at 2): a name is printed in terminals and tables",
                WorkflowParser.nameProblem("a\u202Eb"));
        assertEquals("a name, not blank", WorkflowParser.nameProblem("  "));
        assertEquals("a name, not blank", WorkflowParser.nameProblem("\u00a0"), "a no-break space shows nothing");
        assertEquals("a name, not blank", WorkflowParser.nameProblem("\u200b\u3000"));
        assertEquals(null, WorkflowParser.nameProblem("\u200d\ud83d\udc4d a"), "a joiner beside text stays");
        assertEquals(null, WorkflowParser.nameProblem("shop 7: ranking (v2) – Größe"));
        assertEquals(null, WorkflowParser.nameProblem("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"), "ZWNJ");
        assertEquals("holds a control character (U+0009 at 3): a name is printed in terminals and tables",
                WorkflowParser.nameProblem("\uD83D\uDE00a\tb"), "counted in characters, not UTF-16 units");
    }

    /** A probe's: evaluate.stop.flor was answered "known here: metric, plateau", steering away from floor. */
    @Test
    void aMisspeltStopFloorIsPointedToFloor() {
        List<String> e = errors(GOOD + "evaluate: {stop: {flor: 0.9, plateau: 0.01}}\n", Map.of());
        assertTrue(e.stream().anyMatch(x -> x.contains("evaluate.stop.flor: unknown key (did you mean 'floor'?)")),
                e.toString());
    }

    @Test
    void regressionWithoutItsLabelRangeIsRefusedNamingTheMissingKey() {
        List<String> e = errors(GOOD + "task: {type: regression}\n", Map.of());
        assertEquals(1, e.size(), e.toString());
        assertTrue(e.get(0).matches("w\\.yaml:\\d+: task\\.min_label: a regression task needs its label range: .+"),
                e.toString());
        List<String> max = errors(GOOD + "task: {type: regression, min_label: 1}\n", Map.of());
        assertTrue(max.size() == 1 && max.get(0).contains("task.max_label: a regression task needs"), max.toString());
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

    @Test
    void aKeyWrittenTwiceIsAnErrorNamingItsLine() {
        assertEquals(List.of("w.yaml:8: invalid YAML: key 'iterations' appears twice in the same mapping (first on "
                + "line 7)"), errors(GOOD + "iterations: 3\n", Map.of()));
        List<String> nested = errors(GOOD.replace("  keep: 0.5", "  keep: 0.5\n  keep: 0.6"), Map.of());
        assertTrue(nested.get(0).startsWith("w.yaml:7: invalid YAML: key 'keep' appears twice"), nested.toString());
    }

    @Test
    void binaryOrDirectoryWorkflowFilesGiveOneClearLine(@TempDir Path dir) throws Exception {
        Path binary = dir.resolve("model.yaml");
        Files.write(binary, new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, (byte) 0xff, 0});
        List<String> e = assertThrows(WorkflowException.class, () -> WorkflowParser.parseFile(binary, Map.of()))
                .errors();
        assertEquals(List.of(binary + ": not a text file (binary, or not UTF-8); a workflow is YAML text"), e);
        e = assertThrows(WorkflowException.class, () -> WorkflowParser.parseFile(dir, Map.of())).errors();
        assertEquals(List.of(dir + ": is a directory, not a workflow file"), e);
    }

    @Test
    void aDirectoryAsDatasetPathSaysSo(@TempDir Path dir) {
        List<String> e = errors("name: t\ndataset:\n  path: " + dir + "\n  columns: {query: q, title: t, label: l}\n",
                Map.of());
        assertEquals(List.of("w.yaml:3: dataset.path: is a directory, not a data file: " + dir), e);
    }

    @Test
    void namesAreCappedAt200Characters() {
        List<String> e = errors(GOOD.replace("name: t", "name: " + "n".repeat(201)), Map.of());
        assertEquals(List.of("w.yaml:1: name: at most 200 characters, got 201"), e);
        WorkflowParser.parse("w.yaml", GOOD.replace("name: t", "name: " + "n".repeat(200)), Path.of("."), Map.of(),
                true);
    }

    @Test
    void aCsvHeaderWithAColumnTwiceOrAnUnterminatedQuoteIsAnError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("d.csv"), "q,t,t,l\nlamp,a,b,1\n");
        String wf = "name: t\ndataset:\n  path: d.csv\n  columns: {query: q, title: t, label: l}\n";
        List<String> e = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", wf, dir,
                Map.of(), true)).errors();
        assertEquals(List.of("w.yaml:3: dataset.path: " + dir.resolve("d.csv") + ":1: column 't' appears twice in the "
                + "header"), e);
        Files.writeString(dir.resolve("d.csv"), "q,\"t,l\nlamp,a,1\n");
        e = assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", wf, dir, Map.of(), true))
                .errors();
        assertTrue(e.get(0).contains("d.csv:1: the quote opened on this line is never closed"), e.toString());
    }

    @Test
    void stopRulesParseWithTheTaskDefaultMetricAndRejectBadValuesInOneLine() {
        WorkflowSpec s = WorkflowParser.parse("w.yaml", GOOD + "evaluate:\n  stop: {floor: 0.95, plateau: 0.002}\n",
                Path.of("."), Map.of(), true).spec();
        assertEquals(new WorkflowSpec.StopRule("kappa", 0.95, 0.002), s.evaluate().stop());
        assertEquals(null, WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of(), true).spec().evaluate()
                .stop());
        assertEquals(List.of("w.yaml:9: evaluate.stop.floor: must be a fraction in (0, 1], got 1.5"),
                errors(GOOD + "evaluate:\n  stop: {floor: 1.5}\n", Map.of()));
        assertEquals(List.of("w.yaml:9: evaluate.stop.plateau: must be >= 0, got -0.1"),
                errors(GOOD + "evaluate:\n  stop: {plateau: -0.1}\n", Map.of()));
        assertTrue(errors(GOOD + "evaluate:\n  stop: {metric: rmse}\n", Map.of()).get(0)
                .startsWith("w.yaml:9: evaluate.stop.metric: "));
    }

    @Test
    void datasetNoiseParsesWithDefaultsAndSurvivesTheSnapshot() {
        String yaml = GOOD.replace("  generate: {rows: 100, noise: 0.1, seed: 1}",
                "  generate: {rows: 100, noise: 0.1, seed: 1}\n  noise: {fraction: 0.3, kind: query, seed: 5}");
        WorkflowParser.Parsed p = WorkflowParser.parse("w.yaml", yaml, Path.of("."), Map.of(), true);
        assertEquals(new LabelNoise.Spec(0.3, LabelNoise.Kind.QUERY, 5), p.spec().dataset().noise());
        // what a resumed run reads back: the stored snapshot
        assertEquals(p.spec().dataset().noise(), WorkflowParser.parse("run 1", p.snapshot(), null, Map.of(), false)
                .spec().dataset().noise());
        assertEquals(new LabelNoise.Spec(0.2, LabelNoise.Kind.ADJACENT, 1), WorkflowParser.parse("w.yaml", GOOD,
                Path.of("."), Map.of("dataset.noise.fraction", "0.2"), true).spec().dataset().noise());
        assertNull(WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of(), true).spec().dataset().noise());
    }

    /** The optimiser's settings have ranges too; the value is quoted as written (1e-400 would read as 0). */
    @Test
    void optimiserSettingsOutOfRangeAreRefusedAsWritten() {
        assertEquals(List.of("w.yaml: --set fine_tune.weight_decay: must be in [0, 1] (AdamW's decoupled decay per "
                + "unit of rate), got -1"), errors(GOOD, Map.of("fine_tune.weight_decay", "-1")));
        assertEquals(1, errors(GOOD, Map.of("fine_tune.weight_decay", "1e9")).size());
        assertEquals(List.of("w.yaml: --set fine_tune.clip_norm: must be >= 0 (0: no clipping), got -0.5"),
                errors(GOOD, Map.of("fine_tune.clip_norm", "-0.5")));
        assertEquals(List.of("w.yaml: --set fine_tune.learning_rate: must be in (0, 10), got 1e-400"),
                errors(GOOD, Map.of("fine_tune.learning_rate", "1e-400")));
        WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of("fine_tune.weight_decay", "0",
                "fine_tune.clip_norm", "0"), true);
    }

    @Test
    void datasetNoiseErrorsNameFileLineAndKey() {
        String base = GOOD.replace("  generate: {rows: 100, noise: 0.1, seed: 1}",
                "  generate: {rows: 100, noise: 0.1, seed: 1}\n  noise:\n    fraction: F\n    kind: K");
        assertEquals(List.of("w.yaml:5: dataset.noise.fraction: must be a fraction in [0, 1), got 1.0"),
                errors(base.replace("F", "1.0").replace("K", "far"), Map.of()));
        assertEquals(List.of("w.yaml:6: dataset.noise.kind: must be one of adjacent, far, query, uniform, got "
                + "'sideways'"), errors(base.replace("F", "0.1").replace("K", "sideways"), Map.of()));
        assertEquals(List.of("w.yaml:5: dataset.noise.fraction: must be a number, got 'lots'"),
                errors(base.replace("F", "lots").replace("K", "far"), Map.of()));
        assertEquals(List.of("w.yaml: --set dataset.noise.fraction: must be a fraction in [0, 1), got -0.1"),
                errors(GOOD, Map.of("dataset.noise.fraction", "-0.1")));
        assertEquals(List.of("w.yaml:4: dataset.noise: must be a mapping, not a value"),
                errors(GOOD.replace("  generate: {rows: 100, noise: 0.1, seed: 1}",
                        "  generate: {rows: 100, noise: 0.1, seed: 1}\n  noise: 0.2"), Map.of()));
        assertEquals(List.of("w.yaml:7: dataset.noise.frac: unknown key (did you mean 'fraction'?)"),
                errors(base.replace("F", "0.1").replace("K", "far\n    frac: 0.1"), Map.of()));
    }

    @Test
    void candidatePoliciesAreCheckedAndExcludeAFixedPolicy() {
        String base = GOOD.replace("  keep: 0.5\n", "  keep: 0.5\n  X\n");
        WorkflowSpec s = WorkflowParser.parse("w.yaml", base.replace("X", "candidates: [top_fraction, weighted]"),
                Path.of("."), Map.of(), true).spec();
        assertEquals(List.of("top_fraction", "weighted"), s.filter().candidates());
        assertTrue(s.filter().chooses());
        assertFalse(WorkflowParser.parse("w.yaml", GOOD, Path.of("."), Map.of(), true).spec().filter().chooses());
        assertEquals(List.of("w.yaml:7: filter.candidates: give filter.policy or filter.candidates (validation "
                + "picks one of them), not both"), errors(base.replace("X", "candidates: [ccs, weighted]\n  policy: ccs"),
                Map.of()));
        assertEquals(List.of("w.yaml:7: filter.candidates: list at least two policies for validation to choose "
                + "from"), errors(base.replace("X", "candidates: [ccs]"), Map.of()));
        assertEquals(List.of("w.yaml:7: filter.candidates: drop_flagged needs the flags of method label_quality: "
                + "add it to score.methods"), errors(base.replace("X", "candidates: [ccs, drop_flagged]")
                        + "score:\n  methods: [el2n]\n", Map.of()));
        assertTrue(errors(base.replace("X", "candidates: [ccs, best]"), Map.of()).get(0)
                .startsWith("w.yaml:7: filter.candidates: unknown policy 'best'"));
    }
}
