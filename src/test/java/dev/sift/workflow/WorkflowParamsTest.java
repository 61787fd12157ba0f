package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A workflow's resolved parameters, flat, keyed as the YAML spells them. */
class WorkflowParamsTest {
    private static final Path QUICKSTART = Path.of("workflows/quickstart.yaml");

    @Test
    void quickstartFlattensWithDefaultsAndYamlSpelling() throws Exception {
        SortedMap<String, Object> p = WorkflowParams.of(WorkflowParser.parseFile(QUICKSTART, Map.of()).spec());
        assertEquals("label_quality", p.get("filter.by"));
        assertEquals("drop_groups", p.get("filter.policy"));
        assertEquals("highest", p.get("filter.order"), "derived from the method's orientation");
        assertEquals(0.5, p.get("filter.keep"), "default");
        assertEquals(0.003, p.get("fine_tune.learning_rate"));
        assertEquals(30L, p.get("fine_tune.epochs"));
        assertEquals(5L, p.get("score.cross_fit"));
        assertEquals("loss,oof_loss,label_quality", p.get("score.methods"));
        assertEquals("hashed-bow", p.get("model.encoder"));
        assertEquals("graded", p.get("task.type"));
        assertEquals(3L, p.get("evaluate.seeds"), "default");
        assertEquals("true", p.get("evaluate.zero_shot"));
        assertEquals(2L, p.get("iterations"));
        assertEquals(3000L, p.get("dataset.generate.rows"));
        assertTrue(!p.containsKey("dataset.path") && !p.containsKey("evaluate.stop.metric"), "unset parts are absent");
        // every key the file writes is a key of the flat map, spelled the same
        Map<String, Object> written = new TreeMap<>();
        flatten("", YamlTree.parse(new StringReader(Files.readString(QUICKSTART))), written);
        TreeSet<String> missing = new TreeSet<>(written.keySet());
        missing.removeAll(p.keySet());
        assertTrue(missing.isEmpty(), "not in the resolved parameters: " + missing);
    }

    private static void flatten(String prefix, YamlTree.YNode n, Map<String, Object> out) {
        if (n instanceof YamlTree.YMap m) {
            m.entries().forEach((k, e) -> flatten(prefix.isEmpty() ? k : prefix + "." + k, e.value(), out));
        } else {
            out.put(prefix, n);
        }
    }

    @Test
    void overridesChangeOnlyWhatTheyNameUnlessADefaultFollowsFromIt() {
        SortedMap<String, Object> a = WorkflowParams.of(WorkflowParser.parseFile(QUICKSTART,
                Map.of("filter.by", "loss", "filter.keep", "0.5")).spec());
        SortedMap<String, Object> b = WorkflowParams.of(WorkflowParser.parseFile(QUICKSTART,
                Map.of("filter.by", "oof_loss", "filter.keep", "0.7")).spec());
        assertEquals(new TreeSet<>(java.util.List.of("filter.by", "filter.keep")), differing(a, b));
        // label_quality keeps its highest end, oof_loss its lowest: the resolved order changes with the method
        SortedMap<String, Object> c = WorkflowParams.of(WorkflowParser.parseFile(QUICKSTART, Map.of()).spec());
        assertEquals(new TreeSet<>(java.util.List.of("filter.by", "filter.order")), differing(c,
                WorkflowParams.of(WorkflowParser.parseFile(QUICKSTART, Map.of("filter.by", "oof_loss")).spec())));
    }

    private static TreeSet<String> differing(Map<String, Object> a, Map<String, Object> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        keys.removeIf(k -> java.util.Objects.equals(a.get(k), b.get(k)));
        return keys;
    }

    @Test
    void aStoredWorkflowTheParserRefusesStillShowsWhatItSays() {
        SortedMap<String, Object> p = WorkflowParams.ofStored("old", "name: old\nfilter: {by: gone_method, keep: 0.3}\n"
                + "score: {methods: [gone_method]}\nsomething_removed: 4\n");
        assertEquals("gone_method", p.get("filter.by"));
        assertEquals(0.3, p.get("filter.keep"));
        assertEquals("gone_method", p.get("score.methods"));
        assertEquals(4L, p.get("something_removed"));
        assertEquals(Map.of(), WorkflowParams.ofStored("bad", "{ not yaml"));
    }

    @Test
    void candidatesAreStoredAndNoPolicyIsClaimedBeforeValidationPicksOne() throws Exception {
        // not parseFile: the data file lies beside the checkout, which CI's clone does not have
        SortedMap<String, Object> p = WorkflowParams.of(WorkflowParser.parse("proof", Files.readString(Path.of(
                "workflows/crowdflower-proof.yaml")), null, Map.of(), false).spec());
        assertTrue(p.get("filter.candidates").toString().contains(","), String.valueOf(p.get("filter.candidates")));
        assertTrue(!p.containsKey("filter.policy"), "the first candidate is not the policy that ran");
    }

    @Test
    void checkpointAndCacheAreKeyedAsTheYamlWritesThem() {
        SortedMap<String, Object> p = WorkflowParams.of(WorkflowParser.parseFile(QUICKSTART, Map.of(
                "score.checkpoint", "epoch:2", "filter.cache", "false")).spec());
        assertEquals("epoch:2", p.get("score.checkpoint"));
        assertEquals("true", p.get("cache"));
        assertEquals("false", p.get("filter.cache"));
        assertTrue(p.keySet().stream().noneMatch(k -> k.startsWith("score.checkpoint.") || k.startsWith("cache.")),
                p.keySet().toString());
        assertEquals("best", WorkflowParams.of(WorkflowParser.parseFile(QUICKSTART, Map.of()).spec())
                .get("score.checkpoint"));
    }

    @Test
    void snakeCase() {
        assertEquals("fine_tune", WorkflowParams.snake("fineTune"));
        assertEquals("curve_policies", WorkflowParams.snake("curvePolicies"));
        assertEquals("k", WorkflowParams.snake("k"));
    }
    @Test
    void keysTheModelOrTaskDoesNotReadAreLeftOut() {
        SortedMap<String, Object> hashed = WorkflowParams.of(WorkflowParser.parse("w", """
                name: h
                dataset: {generate: {rows: 100}}
                """, null, Map.of(), false).spec());
        assertEquals(4096L, hashed.get("model.buckets"));
        for (String k : new String[] {"model.mode", "model.last_layers", "model.max_length", "model.pooling"}) {
            assertTrue(!hashed.containsKey(k), k + " is a pretrained encoder's");
        }
        SortedMap<String, Object> head = WorkflowParams.of(WorkflowParser.parse("w", """
                name: m
                dataset: {generate: {rows: 100}}
                model: {encoder: minilm}
                """, null, Map.of(), false).spec());
        assertEquals("head", head.get("model.mode"));
        assertEquals(32L, head.get("model.hidden"));
        assertTrue(!head.containsKey("model.buckets") && !head.containsKey("model.dim")
                && !head.containsKey("model.last_layers"), head.toString());
        SortedMap<String, Object> last = WorkflowParams.of(WorkflowParser.parse("w", """
                name: m
                dataset: {generate: {rows: 100}}
                model: {encoder: minilm, mode: last_layers, last_layers: 3}
                """, null, Map.of(), false).spec());
        assertEquals(3L, last.get("model.last_layers"));
        SortedMap<String, Object> rec = WorkflowParams.of(WorkflowParser.parse("w", """
                name: rec
                dataset:
                  path: u.data
                  separator: tab
                  header: false
                  columns: {user: "0", item: "1", rating: "2", time: "3"}
                task: {type: recommendation, positive_at: 4}
                model: {encoder: minilm}
                """, null, Map.of(), false).spec());
        assertEquals(4.0, rec.get("task.positive_at"));
        assertEquals("tab", rec.get("dataset.separator"), "as the YAML writes it, not a blank-looking tab");
        assertEquals(3L, rec.get("evaluate.seeds"));
        for (String k : rec.keySet()) {
            assertTrue(!k.startsWith("split.") && !k.equals("task.min_label") && !k.equals("task.max_label")
                    && !k.equals("evaluate.zero_shot") && !k.equals("evaluate.grades"), k + " does not apply");
        }
        // a run stored before such keys were left out still holds them: comparisons ask whether it reads them
        Map<String, Object> oldPretrained = new java.util.TreeMap<>(head);
        oldPretrained.put("model.buckets", 4096L);
        assertTrue(!WorkflowParams.reads(oldPretrained, "model.buckets"));
        assertTrue(WorkflowParams.reads(hashed, "model.buckets") && WorkflowParams.reads(head, "model.hidden"));
        assertTrue(WorkflowParams.reads(last, "model.last_layers") && !WorkflowParams.reads(head, "model.last_layers"));
        assertTrue(!WorkflowParams.reads(rec, "split.test") && WorkflowParams.reads(head, "split.test"));
    }
}
