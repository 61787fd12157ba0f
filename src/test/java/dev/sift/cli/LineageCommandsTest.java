package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.PostgresResource;
import dev.sift.cli.InJvm.Out;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import dev.sift.store.ScoreStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code runs lineage} and {@code runs diff-subsets} in this JVM, on a run whose kept sets are known by hand. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class LineageCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CommandLine.IFactory factory;
    @Inject
    RunStore runs;
    @Inject
    ObjectStore objects;
    @Inject
    ScoreStore scores;

    private long handMade() throws Exception {
        return HandMadeRun.create(runs, objects, scores, "lineage", "red mug", "el2n");
    }

    private static List<Integer> samples(JsonNode rows) {
        List<Integer> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get("sample").asInt()));
        return out;
    }

    @Test
    void diffSubsetsListsWhatEachIterationDroppedWithLabelsAndScores() throws Exception {
        String id = Long.toString(handMade());
        Out one = InJvm.sift(factory, "runs", "diff-subsets", id, "--iteration", "1", "--format", "json");
        assertEquals(0, one.code(), one.err());
        JsonNode rows = JSON.readTree(one.out());
        assertEquals(List.of(1, 4, 6), samples(rows), "the training split minus iteration 1's kept set");
        JsonNode four = rows.get(1);
        assertEquals("red mug query 4", four.get("query").asText());
        assertEquals("red mug title 4", four.get("title").asText());
        assertEquals("description 4", four.get("description").asText());
        assertEquals(0, four.get("label").asInt(), "4 % 4");
        assertEquals(6, four.get("source_line").asInt());
        assertTrue(four.get("known_noisy").isBoolean() && four.get("known_noisy").asBoolean(), "true in JSON");
        assertTrue(rows.get(0).get("known_noisy").isBoolean() && !rows.get(0).get("known_noisy").asBoolean());
        assertEquals(0.4, four.get("loss").asDouble(), 1e-12);
        assertEquals(0.96, four.get("el2n").asDouble(), 1e-12);

        Out two = InJvm.sift(factory, "runs", "diff-subsets", id, "--iteration", "2", "--format", "json");
        assertEquals(0, two.code(), two.err());
        assertEquals(List.of(2, 5), samples(JSON.readTree(two.out())), "iteration 1's kept set minus iteration 2's");
        assertEquals(0.5, JSON.readTree(two.out()).get(1).get("loss").asDouble(), 1e-12);

        Out csv = InJvm.sift(factory, "runs", "diff-subsets", id, "--iteration", "2", "--format", "csv");
        assertEquals("sample,source_line,query,title,description,label,known_noisy,el2n,loss", csv.out().lines()
                .findFirst().orElseThrow());
        assertEquals(3, csv.out().lines().count());
        Out table = InJvm.sift(factory, "runs", "diff-subsets", id, "--iteration", "1");
        assertTrue(table.out().lines().skip(2).allMatch(l -> l.matches("\\s*[146]\\s+.*")), table.out());
    }

    @Test
    void anIterationThatKeptEverythingSaysSoBesideItsEmptyTable() throws Exception {
        long run = handMade();
        // iteration 2 keeping all of iteration 1's kept set (as a policy that keeps every sample does)
        objects.put(dev.sift.store.RunLayout.selected(run, 2), "{\"count\":5,\"indices\":[7,0,3,2,5]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json");
        Out json = InJvm.sift(factory, "runs", "diff-subsets", Long.toString(run), "--iteration", "2", "--format",
                "json");
        assertEquals(0, json.code(), json.err());
        assertEquals(0, JSON.readTree(json.out()).size(), json.out());
        assertEquals("no sample left in iteration 2: it kept every sample of the set it filtered (policy "
                + "top_fraction)", json.err().strip());
        Out one = InJvm.sift(factory, "runs", "diff-subsets", Long.toString(run), "--iteration", "1");
        assertTrue(!one.err().contains("no sample left"), one.err());
    }

    @Test
    void onARealRunEachIterationDropsWhatItsLineageCounts() throws Exception {
        String id = Long.toString(InJvm.tinyRun(factory));
        JsonNode its = JSON.readTree(InJvm.sift(factory, "runs", "lineage", id, "--format", "json").out());
        assertEquals(2, its.size());
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (JsonNode it : its) {
            Out r = InJvm.sift(factory, "runs", "diff-subsets", id, "--iteration", it.get("iteration").asText(),
                    "--format", "json");
            assertEquals(0, r.code(), r.err());
            JsonNode rows = JSON.readTree(r.out());
            assertEquals(it.get("left").asInt(), rows.size(), it.toString());
            for (JsonNode row : rows) {
                assertTrue(seen.add(row.get("sample").asInt()), "a sample leaves once");
                assertTrue(row.get("loss").isNumber() && row.get("label_quality").isNumber(), row.toString());
                assertTrue(row.get("known_noisy").isBoolean(), row.toString());
            }
        }
        int kept = its.get(1).get("kept").asInt();
        assertEquals(its.get(0).get("pool").asInt(), seen.size() + kept, "dropped in 1 and 2, and kept in 2: the pool");
    }

    @Test
    void lineagePrintsWhatRunsShowPrints() throws Exception {
        String id = Long.toString(handMade());
        Out json = InJvm.sift(factory, "runs", "lineage", id, "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode its = JSON.readTree(json.out());
        assertEquals(2, its.size());
        assertEquals("training split", its.get(0).get("filtered").asText());
        assertEquals("iteration 1", its.get(1).get("filtered").asText());
        assertEquals(8, its.get(0).get("pool").asInt());
        assertEquals(3, its.get(0).get("left").asInt());
        assertEquals(2, its.get(1).get("left").asInt());
        Out table = InJvm.sift(factory, "runs", "lineage", id);
        Out show = InJvm.sift(factory, "runs", "show", id);
        assertTrue(show.out().contains(table.out()), table.out() + "\nnot in\n" + show.out());
        assertTrue(InJvm.sift(factory, "runs", "lineage", id, "--format", "csv").out()
                .startsWith("iteration,filtered,method,order,policy,pool,kept,left,kept_digest\n"));
    }

    @Test
    void usageErrorsExitTwoWithOneLine() throws Exception {
        long id = handMade();
        String run = Long.toString(id);
        for (String[] args : List.of(new String[] {"runs", "diff-subsets", run, "--iteration", "3"},
                new String[] {"runs", "diff-subsets", run, "--iteration", "0"},
                new String[] {"runs", "diff-subsets", "999999999", "--iteration", "1"},
                new String[] {"runs", "lineage", "999999999"})) {
            Out r = InJvm.sift(factory, args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertEquals(2, InJvm.sift(factory, "runs", "diff-subsets", run).code(), "--iteration is required");
        assertEquals("sift: run " + id + " has no iteration 3 (it has 1..2)", InJvm.sift(factory, "runs",
                "diff-subsets", run, "--iteration", "3").err().strip());
        objects.delete(RunLayout.selected(id, 2));
        Out gone = InJvm.sift(factory, "runs", "diff-subsets", run, "--iteration", "2");
        assertEquals(2, gone.code());
        assertTrue(gone.err().contains("the kept subset of iteration 2") && gone.err().contains("is missing"),
                gone.err());
    }
}
