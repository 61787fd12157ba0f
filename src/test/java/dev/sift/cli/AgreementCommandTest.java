package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.PostgresResource;
import dev.sift.cli.InJvm.Out;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunStore;
import dev.sift.store.ScoreStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code runs agreement} on hand-made runs whose scores agree or disagree by construction. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AgreementCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CommandLine.IFactory factory;
    @Inject
    RunStore runs;
    @Inject
    ObjectStore objects;
    @Inject
    ScoreStore scores;

    @Test
    void methodsThatRankAlikeOnceTurnedToTheRemovalEndAgreeAndOpposedOnesDoNot() throws Exception {
        // loss = i / 10 (higher = remove) beside 1 - i / 100 stored as aum (higher = keep): the same removal order
        String same = Long.toString(HandMadeRun.create(runs, objects, scores, "agree", "lamp", "aum"));
        Out r = InJvm.sift(factory, "runs", "agreement", same, "--keep", "0.5", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode rows = JSON.readTree(r.out());
        assertEquals(1, rows.size(), "one pair: " + rows);
        JsonNode pair = rows.get(0);
        assertEquals("aum", pair.get("method").asText());
        assertEquals("loss", pair.get("other").asText());
        assertEquals(1.0, pair.get("spearman").asDouble(), 1e-12);
        assertEquals(1.0, pair.get("removal_overlap").asDouble(), 1e-12);
        assertEquals(0.5, pair.get("by_chance").asDouble(), 1e-12);
        assertEquals(4, pair.get("removes").asInt());
        assertEquals(8, pair.get("of").asInt(), "iteration 1's pool: the 8 training samples");

        // the same values stored as el2n (higher = remove): the opposite order
        String opposed = Long.toString(HandMadeRun.create(runs, objects, scores, "oppose", "lamp", "el2n"));
        Out o = InJvm.sift(factory, "runs", "agreement", opposed, "--keep", "0.5", "--format", "json");
        JsonNode p = JSON.readTree(o.out()).get(0);
        assertEquals(-1.0, p.get("spearman").asDouble(), 1e-12);
        assertEquals(0.0, p.get("removal_overlap").asDouble(), 1e-12);

        // text: the table and a line saying what was measured; by default as many as the iteration removed (a
        // probe's: the run's filter.keep described a removal a recommendation candidate's own keep never made)
        Out text = InJvm.sift(factory, "runs", "agreement", opposed, "--iteration", "2", "--format", "json");
        assertEquals(2, JSON.readTree(text.out()).get(0).get("removes").asInt(), "iteration 2 kept 3 of 5");
        Out said = InJvm.sift(factory, "runs", "agreement", opposed, "--iteration", "2");
        assertTrue(said.out().contains("scores turned so that higher = remove"), said.out());
        assertTrue(said.out().contains("(as many as iteration 2 removed: it kept 3 of 5 by top_fraction)"),
                said.out());
        // --keep counts as the filter does: ceil(0.7 x 8) = 6 kept, 2 removed (a probe's: 262.5 rounded the other way)
        Out seven = InJvm.sift(factory, "runs", "agreement", opposed, "--keep", "0.7", "--format", "json");
        assertEquals(2, JSON.readTree(seven.out()).get(0).get("removes").asInt());
        assertEquals(0.25, JSON.readTree(seven.out()).get(0).get("by_chance").asDouble(), 1e-12);
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() throws Exception {
        String id = Long.toString(HandMadeRun.create(runs, objects, scores, "agree-bad", "lamp", "el2n"));
        Out keep = InJvm.sift(factory, "runs", "agreement", id, "--keep", "1");
        assertEquals(2, keep.code());
        assertTrue(keep.err().contains("--keep must be above 0 and below 1, got 1.0"), keep.err());
        // Java's other number forms are not decimal numbers (a probe's 0x1p-1 was taken as 0.5)
        for (String odd : new String[] {"0x1p-1", "0.5d", "0.5f", "NaN"}) {
            Out o = InJvm.sift(factory, "runs", "agreement", id, "--keep", odd);
            assertEquals(2, o.code(), odd + ": " + o.out());
            assertTrue(o.err().contains("'" + odd + "' is not a decimal number"), o.err());
        }
        // a keep that removes none of the 8 (ceil(0.95 x 8) = 8 kept) or all of them: nothing to compare
        Out nothing = InJvm.sift(factory, "runs", "agreement", id, "--keep", "0.95");
        assertEquals(2, nothing.code(), nothing.out());
        assertTrue(nothing.err().contains("--keep 0.95 removes none of the 8 samples of iteration 1 (the filter keeps "
                + "ceil(0.95 x 8) = 8): nothing to compare"), nothing.err());
        Out all = InJvm.sift(factory, "runs", "agreement", id, "--keep", "1e-12"); // ceil(8e-12) = 0 kept
        assertEquals(2, all.code(), all.out());
        assertTrue(all.err().contains("--keep 0.000000000001 removes all of the 8 samples of iteration 1"), all.err());
        for (Out o : new Out[] {keep, nothing, all}) {
            assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
        }
        Out none = InJvm.sift(factory, "runs", "agreement", id, "--iteration", "3");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("run " + id + " has no scores in iteration 3"), none.err());
        Out missing = InJvm.sift(factory, "runs", "agreement", "987654");
        assertEquals(2, missing.code(), missing.err());
    }
}
