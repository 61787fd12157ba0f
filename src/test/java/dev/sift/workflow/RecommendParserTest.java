package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code task.type: recommendation}: its columns, sections and what it refuses, with file, line and key. */
class RecommendParserTest {
    @TempDir
    Path dir;

    private String yaml(String extra) throws IOException {
        Files.writeString(dir.resolve("u.data"), "1\t10\t5\t100\n");
        return """
                name: rec
                dataset:
                  path: u.data
                  separator: tab
                  header: false
                  columns: {user: "0", item: "1", rating: "2", time: "3"}
                task: {type: recommendation, positive_at: 4}
                model: {encoder: minilm}
                """ + extra;
    }

    private List<String> errors(String text) {
        return assertThrows(WorkflowException.class, () -> WorkflowParser.parse("w.yaml", text, dir, Map.of(), true))
                .errors();
    }

    @Test
    void aRecommendationWorkflowGetsItsDefaults() throws IOException {
        WorkflowSpec s = WorkflowParser.parse("w.yaml", yaml(""), dir, Map.of(), true).spec();
        assertEquals(TaskType.RECOMMENDATION, s.task().type());
        assertEquals(4.0, s.task().minLabel());
        assertEquals("0", s.dataset().columns().userId());
        assertEquals("1", s.dataset().columns().item());
        assertEquals("2", s.dataset().columns().label());
        assertEquals("3", s.dataset().columns().time());
        assertNull(s.dataset().columns().query());
        assertEquals(List.of("loss", "el2n", "mean_loss"), s.score().methods());
        assertEquals("truncated", s.filter().policy());
        assertEquals(0.9, s.filter().keep());
        assertEquals(64, s.recommend().dim());
        assertEquals(1, s.recommend().keepLast());
        assertEquals(3, s.evaluate().seeds());
        WorkflowSpec picked = WorkflowParser.parse("w.yaml", yaml("filter: {candidates: [truncated/el2n/0.8, "
                + "reweighted]}\n"), dir, Map.of(), true).spec();
        assertEquals(List.of("truncated/el2n/0.8", "reweighted"), picked.filter().candidates());
    }

    @Test
    void relevanceSettingsAndUnknownMethodsAreRefusedByKey() throws IOException {
        List<String> e = errors(yaml("""
                score: {methods: [loss, knn_shapley]}
                filter: {candidates: [truncated/tracin, drop/loss, adt/0.9, adt/0.2]}
                split: {test: 0.2}
                iterations: 2
                """).replace("positive_at: 4", "positive_at: 4, max_label: 5"));
        assertTrue(e.stream().anyMatch(x -> x.contains("score.methods") && x.contains("'knn_shapley' does not apply "
                + "to recommendation")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("filter.candidates") && x.contains("tracin")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("filter.candidates") && x.contains("'drop/loss' is not "
                + "POLICY")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("'adt/0.9' is not adt[/MAX_DROP_RATE]")), e.toString());
        assertTrue(e.stream().noneMatch(x -> x.contains("'adt/0.2'")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("split.test")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("iterations")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("task.max_label")), e.toString());
        assertTrue(e.stream().allMatch(x -> x.startsWith("w.yaml:")), e.toString());
    }

    /** A probe's reweighted/loss/0.5 lost its fraction without a word; two texts of one candidate trained twice. */
    @Test
    void aReweightedFractionAndOneCandidateWrittenTwiceAreRefused() throws IOException {
        List<String> e = errors(yaml("filter: {keep: 0.9, candidates: [reweighted/loss/0.5, truncated/loss, "
                + "truncated/loss/0.9, reweighted, reweighted/loss, adt, adt/0.1]}\n"));
        assertTrue(e.stream().anyMatch(x -> x.contains("'reweighted/loss/0.5': reweighted keeps every interaction")),
                e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("'truncated/loss/0.9' is the same candidate as "
                + "'truncated/loss'")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("'reweighted/loss' is the same candidate as 'reweighted'")),
                e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("'adt/0.1' is the same candidate as 'adt'")), e.toString());
        assertEquals(4, e.size(), e.toString());
    }

    /**
     * A probe found recommendation runs storing and showing settings they never read (evaluate.k = 10, score.checkpoint
     * = best, fine_tune.patience) and taking fine_tune.patience and clip_norm without a word.
     */
    @Test
    void settingsRecommendationDoesNotReadAreNeitherTakenNorStored() throws IOException {
        List<String> e = errors(yaml("fine_tune: {patience: 3, clip_norm: 0.1}\n"));
        assertEquals(2, e.size(), e.toString());
        assertTrue(e.stream().allMatch(x -> x.contains("does not apply to recommendation")), e.toString());
        var params = WorkflowParams.of(WorkflowParser.parse("w.yaml", yaml(""), dir, Map.of(), true).spec());
        for (String unread : List.of("evaluate.k", "score.checkpoint", "score.cross_fit", "score.seeds",
                "score.ensemble", "fine_tune.clip_norm", "fine_tune.patience", "split.test", "task.max_label")) {
            assertTrue(!params.containsKey(unread), unread + " in " + params);
        }
        assertTrue(params.containsKey("fine_tune.epochs") && params.containsKey("evaluate.seeds"), params.toString());
        assertTrue(!params.containsKey("model.hidden"), "the head's width is unread: " + params);
        // a probe found model.hidden taken and stored without a word; the relevance models' sizes are refused
        List<String> sizes = errors(yaml("").replace("model: {encoder: minilm}",
                "model: {encoder: minilm, hidden: 128, dim: 16, buckets: 64, last_layers: 1}"));
        assertEquals(4, sizes.size(), sizes.toString());
        assertTrue(sizes.stream().allMatch(x -> x.contains("does not apply to recommendation: the item tower embeds "
                + "item text with the frozen encoder, and recommend.dim sizes the towers")), sizes.toString());
        // a stored workflow that has one (a run from before the refusal) still parses, for resume and the history
        WorkflowParser.parse("w.yaml", yaml("").replace("model: {encoder: minilm}", "model: {encoder: minilm, hidden: "
                + "128}"), dir, Map.of(), false);
        // no method at all: one line, not an IndexOutOfBoundsException from filter.by's default
        List<String> none = errors(yaml("score: {methods: []}\n"));
        assertEquals(1, none.size(), none.toString());
        assertTrue(none.get(0).contains("score.methods"), none.toString());
    }

    @Test
    void theItemTowerNeedsAFrozenPretrainedEncoderAndTheColumnsAUserAndAnItem() throws IOException {
        List<String> e = errors(yaml("").replace("model: {encoder: minilm}", "model: {encoder: hashed-bow}")
                .replace("item: \"1\", ", ""));
        assertTrue(e.stream().anyMatch(x -> x.contains("model") && x.contains("pretrained encoder")), e.toString());
        assertTrue(e.stream().anyMatch(x -> x.contains("dataset.columns.item") && x.contains("required")),
                e.toString());
        List<String> mode = errors(yaml("").replace("model: {encoder: minilm}",
                "model: {encoder: minilm, mode: full}"));
        assertTrue(mode.stream().anyMatch(x -> x.contains("mode head")), mode.toString());
    }
}
