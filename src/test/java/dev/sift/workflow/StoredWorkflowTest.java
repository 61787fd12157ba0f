package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A resumed run continues with the values it started with, not with defaults a later Sift changed. */
class StoredWorkflowTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(err, true, StandardCharsets.UTF_8), false);

    private static String quickstart() throws Exception {
        return WorkflowParser.parseFile(Path.of("workflows/quickstart.yaml"), Map.of()).snapshot();
    }

    /** The parameters as a run stores them today, with {@code changes} as an older Sift would have resolved them. */
    private static SortedMap<String, Object> storedWith(String yaml, Map<String, Object> changes) {
        SortedMap<String, Object> p = new TreeMap<>(WorkflowParams.of(
                WorkflowParser.parse("w", yaml, null, Map.of(), false).spec()));
        p.putAll(changes);
        return p;
    }

    @Test
    void aRunWhoseParametersResolveTheSameIsParsedAsItIs() throws Exception {
        String yaml = quickstart();
        WorkflowSpec spec = StoredWorkflow.resolve(7, yaml, storedWith(yaml, Map.of()), console);
        assertEquals(WorkflowParams.of(WorkflowParser.parse("w", yaml, null, Map.of(), false).spec()),
                WorkflowParams.of(spec));
        assertEquals("", err.toString(StandardCharsets.UTF_8), "nothing to say");
        assertTrue(StoredWorkflow.resolve(7, yaml, null, console) != null, "a run stored without parameters");
    }

    @Test
    void defaultsChangedSinceTheRunStartedAreSetBackToTheStoredValues() throws Exception {
        String yaml = quickstart();
        // an older Sift resolved these differently: a default seed draw, a method list, a number
        SortedMap<String, Object> stored = storedWith(yaml, Map.of("evaluate.bootstrap_seeds", "false",
                "score.methods", "loss,label_quality", "evaluate.bootstrap", 500L, "filter.picked", "drop_flagged"));
        WorkflowSpec spec = StoredWorkflow.resolve(7, yaml, stored, console);
        SortedMap<String, Object> now = WorkflowParams.of(spec);
        assertEquals("false", now.get("evaluate.bootstrap_seeds"));
        assertEquals("loss,label_quality", now.get("score.methods"));
        assertEquals(500L, now.get("evaluate.bootstrap"));
        assertTrue(StoredWorkflow.differing(stored, now).isEmpty(), StoredWorkflow.differing(stored, now)::toString);
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("run 7: kept the values it started with where this Sift's defaults differ: "
                + "evaluate.bootstrap = 500 (this Sift: 1000), evaluate.bootstrap_seeds = false (this Sift: true), "
                + "score.methods = loss,label_quality (this Sift: loss,oof_loss,label_quality)"), said);
        assertFalse(said.contains("filter.picked"), "a key only the stored side has is not a difference");
    }

    @Test
    void aRunStoredBeforeAKeyExistedGoesOnAsItBehavedWithoutIt() throws Exception {
        String yaml = quickstart();
        SortedMap<String, Object> stored = storedWith(yaml, Map.of());
        stored.remove("evaluate.bootstrap_seeds"); // stored before stop 38: no bootstrap drew the seeds
        WorkflowSpec spec = StoredWorkflow.resolve(9, yaml, stored, console);
        assertFalse(spec.evaluate().bootstrapSeeds(), "drawn over the queries only, as when it started");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("run 9: kept the values it started with where this "
                + "Sift's defaults differ: evaluate.bootstrap_seeds = false (this Sift: true)"));
        stored.remove("score.methods"); // a key the run stored without, but not one added later: left alone
        assertEquals("loss,oof_loss,label_quality", WorkflowParams.of(StoredWorkflow.resolve(9, yaml, stored, console))
                .get("score.methods"));
    }

    @Test
    void aKeyMovedBySettingAnotherBackIsSetBackInTheNextRound() throws Exception {
        String file = Files.readString(Path.of("workflows/quickstart.yaml"));
        String yaml = WorkflowParser.parse("w", file.substring(0, file.indexOf("score:")) + "score:\n  methods: [loss, "
                + "el2n]\nevaluate:\n  k: 10\n", null, Map.of(), false).snapshot();
        // filter.by follows the first method: setting the methods back moves it off the value the run had
        SortedMap<String, Object> stored = storedWith(yaml, Map.of("score.methods", "el2n,loss"));
        assertEquals("loss", stored.get("filter.by"));
        assertEquals(List.of("score.methods"), StoredWorkflow.differing(stored, WorkflowParams.of(WorkflowParser
                .parse("w", yaml, null, Map.of(), false).spec())), "filter.by agrees before");
        SortedMap<String, Object> now = WorkflowParams.of(StoredWorkflow.resolve(7, yaml, stored, console));
        assertEquals("el2n,loss", now.get("score.methods"));
        assertEquals("loss", now.get("filter.by"), "set back in the second round");
        assertTrue(StoredWorkflow.differing(stored, now).isEmpty(), StoredWorkflow.differing(stored, now)::toString);
    }

    @Test
    void aRunStoredWithoutParametersGoesOnWithTheValuesOfKeysAddedSince() throws Exception {
        WorkflowSpec spec = StoredWorkflow.resolve(8, quickstart(), null, console);
        assertFalse(spec.evaluate().bootstrapSeeds(), "stored before parameters were: before bootstrap_seeds too");
    }

    @Test
    void aStoredValueThisSiftRefusesStopsTheResumeInOneLine() throws Exception {
        String yaml = quickstart();
        SiftException e = assertThrows(SiftException.class, () -> StoredWorkflow.resolve(7, yaml,
                storedWith(yaml, Map.of("filter.keep", 1.5)), console));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("run 7 cannot go on as it started: filter.keep was 1.5 when the run "
                + "started (this Sift: 0.5), and setting it back failed: run 7 (stored workflow):"), e.getMessage());
        assertTrue(e.getMessage().endsWith("start it again with 'sift run'"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void valuesCompareByValueAndListsAreSetInBrackets() {
        assertTrue(StoredWorkflow.same(3L, 3.0));
        assertFalse(StoredWorkflow.same(3L, 3.5));
        assertTrue(StoredWorkflow.same("true", "true"));
        assertEquals("[loss,el2n]", StoredWorkflow.setValue("loss,el2n", true));
        assertEquals("[]", StoredWorkflow.setValue("", true), "an empty list, which --set refuses as an empty value");
        assertEquals("[loss]", StoredWorkflow.setValue("loss", true), "a list of one");
        assertEquals("0.25", StoredWorkflow.setValue(0.25, false));
        assertEquals(",", StoredWorkflow.setValue(",", false), "a separator is a text, not a list");
        assertEquals(List.of("b"), StoredWorkflow.differing(Map.of("a", 1L, "b", "x", "c", 2L),
                Map.of("a", 1.0, "b", "y", "d", 3L)));
    }

    /**
     * What a run stores when it starts (parsed with its files checked) and what a resume parses (the stored YAML,
     * files not checked) resolve to the same parameters for every shipped workflow whose data is here, so a resume by
     * the same Sift sets nothing back and says nothing.
     */
    @Test
    void theSameSiftResolvesAStartedWorkflowAndItsResumeAlike() throws Exception {
        int checked = 0;
        try (var files = Files.list(Path.of("workflows"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                WorkflowParser.Parsed started;
                try {
                    started = WorkflowParser.parseFile(f, Map.of());
                } catch (WorkflowException dataNotHere) {
                    continue; // its data set lives in ../shared, which a fresh clone may not have
                }
                SortedMap<String, Object> stored = WorkflowParams.of(started.spec());
                WorkflowSpec resumed = StoredWorkflow.resolve(1, started.snapshot(), stored, console);
                assertEquals(stored, WorkflowParams.of(resumed), f.toString());
                checked++;
            }
        }
        assertTrue(checked >= 3, "at least the generated-data workflows: " + checked);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }
}
