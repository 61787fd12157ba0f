package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.PostgresResource;
import dev.sift.history.RunHistory;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import dev.sift.store.ScoreStore;
import dev.sift.store.StageRunEntity;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.All;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A second run with the same cache keys copies every stage's output; a changed section reruns from its stage on. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class StageCacheTest {
    private static final String YAML = """
            name: cached
            dataset:
              generate: {rows: 240, noise: 0.2, seed: 41}
            model: {buckets: 256, dim: 8, hidden: 8}
            fine_tune: {epochs: 2, seed: 5}
            score: {methods: [loss, el2n, label_quality]}
            filter: {by: loss, keep: 0.6, order: lowest}
            evaluate: {seeds: 2, bootstrap: 100, zero_shot: false}
            iterations: 2
            """;

    @Inject
    WorkflowEngine engine;
    @Inject
    dev.sift.config.SiftConfig config;
    @Inject
    RunStore runs;
    @Inject
    ScoreStore scores;
    @Inject
    ObjectStore objects;
    @Inject
    RunHistory history;
    @Inject
    Instance<AgroalDataSource> dataSource;
    @Inject
    @All
    List<Stage<?>> stages;

    private long run(String name, Map<String, String> overrides, ByteArrayOutputStream err) {
        WorkflowParser.Parsed parsed = WorkflowParser.parse("cache.yaml", YAML.replace("cached", name), Path.of("."),
                overrides, true);
        return engine.start(parsed, Path.of("cache.yaml"), null, new Console(new PrintStream(err), false));
    }

    private Map<String, Long> reusedFrom(long runId) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (StageRunEntity s : runs.stages(runId)) {
            out.put(s.stage + "@" + s.iteration, s.reusedFrom);
        }
        return out;
    }

    /** A run's rows of a table, without the run id, sorted: what a copy must reproduce. */
    private List<String> rows(String table, long runId) throws Exception {
        try (Connection c = dataSource.get().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table + " WHERE run_id = ?")) {
            ps.setLong(1, runId);
            List<String> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        String col = rs.getMetaData().getColumnName(i);
                        if (!col.equals("run_id") && !col.equals("id")) {
                            b.append(col).append('=').append(String.valueOf(rs.getObject(i))
                                    .replace("runs/" + runId + "/", "runs/R/")).append(' ');
                        }
                    }
                    out.add(b.toString());
                }
            }
            return out.stream().sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aSecondIdenticalRunReusesEveryStageAndStoresTheSameRows() throws Exception {
        ByteArrayOutputStream firstErr = new ByteArrayOutputStream();
        long first = run("cached-a", Map.of(), firstErr);
        reusedFrom(first).values().forEach(v -> assertNull(v, "the first run computes everything"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long second = run("cached-b", Map.of(), err);
        Map<String, Long> reused = reusedFrom(second);
        assertEquals(8, reused.size(), reused.toString());
        reused.forEach((step, from) -> assertEquals(first, from, step + " reused"));
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("reused the output of run " + first));
        // the reused ingest repeats what the first run's said (a probe's 42% quarantined was said once, then never)
        String read = firstErr.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("  read "))
                .findFirst().orElseThrow();
        assertTrue(said.contains("what run " + first + "'s ingest said:\n" + read), said);
        for (String table : List.of("metric", "comparison", "sample_score", "label_suggestion", "training_dynamics",
                "iteration")) {
            List<String> a = rows(table, first);
            assertFalse(a.isEmpty(), table);
            assertEquals(a, rows(table, second), table + " rows copied");
        }
        // the copy refers to its own objects, which exist, never to the first run's
        for (StageRunEntity s : runs.stages(second)) {
            assertFalse(s.outputJson.contains("runs/" + first + "/"), s.stage + ": " + s.outputJson);
        }
        for (int k = 1; k <= 2; k++) {
            assertTrue(objects.exists(RunLayout.selected(second, k)));
            assertTrue(objects.exists(RunLayout.random(second, k)));
            assertTrue(objects.exists(RunLayout.hidden(second, k)));
        }
        assertTrue(history.stages(second).text().contains(String.valueOf(first)), "runs show names the source run");

        // a third identical run copies from the second's copies and still names the run that computed them
        long third = run("cached-c", Map.of(), new ByteArrayOutputStream());
        reusedFrom(third).values().forEach(v -> assertEquals(first, v));
        assertEquals(rows("metric", first), rows("metric", third));

        // once the run that computed them is deleted, a copy names the run it copied from, which still exists
        try (Connection c = dataSource.get().getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM run WHERE id = ?")) {
            ps.setLong(1, first);
            ps.executeUpdate();
        }
        long fourth = run("cached-h", Map.of(), new ByteArrayOutputStream());
        reusedFrom(fourth).values().forEach(v -> assertEquals(third, v, "the newest run with the outputs"));

        // a filter whose kept subset is gone from S3 runs again: a probe's run reused it with nothing to copy and
        // succeeded with no subset behind it
        objects.delete(RunLayout.selected(fourth, 1));
        ByteArrayOutputStream fifthErr = new ByteArrayOutputStream();
        long fifth = run("cached-i", Map.of(), fifthErr);
        assertNull(reusedFrom(fifth).get("filter@1"), reusedFrom(fifth).toString());
        assertTrue(fifthErr.toString(StandardCharsets.UTF_8).contains("what it stored is gone: running it"));
        assertTrue(objects.exists(RunLayout.selected(fifth, 1)) && objects.exists(RunLayout.random(fifth, 1)));
    }

    @Test
    void aChangedSectionRunsItsStageAndEveryLaterOneAndCacheFalseRunsTheStage() {
        long base = run("cached-d", Map.of("dataset.generate.seed", "43", "fine_tune.seed", "6"), new ByteArrayOutputStream());
        long keep = run("cached-e", Map.of("dataset.generate.seed", "43", "fine_tune.seed", "6", "filter.keep", "0.5"), new ByteArrayOutputStream());
        Map<String, Long> r = reusedFrom(keep);
        assertEquals(base, r.get("ingest@0"));
        assertEquals(base, r.get("fine-tune@0"));
        assertEquals(base, r.get("score@1"));
        assertNull(r.get("filter@1"), "filter.keep changed");
        assertNull(r.get("evaluate@1"));
        assertNull(r.get("score@2"), "iteration 2 scores another subset");
        assertNotEquals(scores.read(base, 2, "loss").size(), scores.read(keep, 2, "loss").size());

        long scoreOff = run("cached-f", Map.of("dataset.generate.seed", "43", "fine_tune.seed", "6", "score.cache", "false"),
                new ByteArrayOutputStream());
        Map<String, Long> s = reusedFrom(scoreOff);
        assertEquals(base, s.get("fine-tune@0"));
        assertNull(s.get("score@1"), "score: {cache: false} always runs");
        assertNull(s.get("score@2"));
        assertEquals(base, s.get("filter@1"), "its output is the same, so what follows is reused");

        long off = run("cached-g", Map.of("dataset.generate.seed", "43", "fine_tune.seed", "6", "cache", "false"), new ByteArrayOutputStream());
        reusedFrom(off).values().forEach(v -> assertNull(v, "cache: false reuses nothing"));
    }

    /**
     * Ingest's cache key names the key that hashed the user ids, so a rotated key ingests again instead of reusing rows
     * hashed with the old one; it does not contain the key. Data without a user column keeps its key.
     */
    /** A given utility file is read by ingest: its bytes are in ingest's cache key, beside the other files'. */
    @Test
    void ingestsCacheKeyCoversAGivenUtilityFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Stage<?> ingest = stages.stream().filter(st -> st.name().equals(RunLayout.INGEST)).findFirst().orElseThrow();
        for (String f : List.of("train.csv", "utility.csv", "test.csv")) {
            java.nio.file.Files.writeString(dir.resolve(f), "query,title,label\nshoes,red shoe,1\nshoes,blue shoe,0\n");
        }
        String yaml = """
                name: curated
                dataset:
                  path: train.csv
                  utility: utility.csv
                  test: test.csv
                  columns: {query: query, title: title, label: label}
                task: {type: binary}
                score: {methods: [tracin]}
                """;
        String before = ingest.externalInputs(WorkflowParser.parse("u.yaml", yaml, dir, Map.of(), true).spec());
        String without = ingest.externalInputs(WorkflowParser.parse("u.yaml", yaml.replace("  utility: utility.csv\n",
                ""), dir, Map.of(), true).spec());
        assertTrue(before.contains(" utility ") && !without.contains(" utility "), before + " / " + without);
        java.nio.file.Files.writeString(dir.resolve("utility.csv"), "query,title,label\nshoes,red shoe,0\n");
        String after = ingest.externalInputs(WorkflowParser.parse("u.yaml", yaml, dir, Map.of(), true).spec());
        assertNotEquals(before, after, "a changed utility file is ingested again");
        assertEquals(before.replaceAll(" utility \\S+", ""), after.replaceAll(" utility \\S+", ""));
    }

    @Test
    void ingestsCacheKeyChangesWithTheUserHashKey(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Stage<?> ingest = stages.stream().filter(st -> st.name().equals(RunLayout.INGEST)).findFirst().orElseThrow();
        Path data = java.nio.file.Files.writeString(dir.resolve("clicks.csv"), "query,title,label,user\n"
                + "shoes,red shoe,1,u1\nshoes,blue shoe,0,u2\n");
        String yaml = """
                name: users
                dataset:
                  path: clicks.csv
                  columns: {query: query, title: title, label: label, user_id: user}
                task: {type: binary}
                """;
        WorkflowSpec withUsers = WorkflowParser.parse("u.yaml", yaml, dir, Map.of(), true).spec();
        WorkflowSpec without = WorkflowParser.parse("u.yaml", yaml.replace(", user_id: user", ""), dir, Map.of(),
                true).spec();
        // a SIFT_HOME of the test's own, so the machine's key file is never touched
        org.junit.jupiter.api.Assumptions.assumeTrue(config.privacy().hashKey().isEmpty(), "a configured key is not "
                + "read from SIFT_HOME");
        String home = System.getProperty("sift.home");
        System.setProperty("sift.home", dir.resolve("home").toString());
        try {
            String before = ingest.externalInputs(withUsers); // creates the test home's key
            String plain = ingest.externalInputs(without);
            Path keyFile = dir.resolve("home").resolve("hash.key");
            String key = java.nio.file.Files.readString(keyFile).trim();
            assertEquals(before, ingest.externalInputs(withUsers), "the same key, the same cache key");
            java.nio.file.Files.writeString(keyFile, "ab".repeat(32));
            String after = ingest.externalInputs(withUsers);
            assertNotEquals(before, after, "a rotated key must not reuse the old key's hashes");
            assertEquals(plain, ingest.externalInputs(without), "no user column, no key in the cache key");
            assertFalse(after.contains("ab".repeat(16)) || before.contains(key), "the key itself is not in it");
            assertTrue(before.startsWith(plain) && !plain.contains("users"), before + " / " + plain);
        } finally {
            if (home == null) {
                System.clearProperty("sift.home");
            } else {
                System.setProperty("sift.home", home);
            }
        }
        assertTrue(data.toFile().isFile());
    }

    @Test
    void everyStageNamesSectionsTheWorkflowHas() {
        WorkflowSpec spec = WorkflowParser.parse("cache.yaml", YAML, Path.of("."), Map.of(), true).spec();
        for (Stage<?> s : stages) {
            assertEquals(64, StageCache.specDigest(spec, s.specSections()).length(), s.name());
        }
        assertThrows(IllegalStateException.class, () -> StageCache.specDigest(spec, List.of("fine-tune")));
        assertNotEquals(StageCache.specDigest(spec, List.of("filter")), StageCache.specDigest(
                WorkflowParser.parse("c.yaml", YAML, Path.of("."), Map.of("filter.keep", "0.5"), true).spec(),
                List.of("filter")));
        assertEquals(StageCache.specDigest(spec, null), StageCache.specDigest(
                WorkflowParser.parse("c.yaml", YAML.replace("cached", "other"), Path.of("."), Map.of(), true).spec(),
                null), "the run's name is not part of the key");
    }
}
