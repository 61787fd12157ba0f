package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The shipped quickstart workflow through the sift commands (run, runs list/show/scores/explain, resume), at a
 * small size, in this test's application: real embedded PostgreSQL, in-process S3Proxy, DJL training on CPU. The
 * commands run in one JVM so that the test pays for one application start, not one per command; {@link CliTest}
 * covers the real entry point (exit codes, launches, stale processes).
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class QuickstartCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CommandLine.IFactory factory;

    private InJvm.Out sift(String... args) {
        return InJvm.sift(factory, args);
    }

    @Inject
    jakarta.enterprise.inject.Instance<io.agroal.api.AgroalDataSource> dataSource;

    private java.util.Set<String> strings(String sql) throws Exception {
        java.util.Set<String> out = new java.util.HashSet<>();
        try (java.sql.Connection c = dataSource.get().getConnection(); java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void quickstartRunsEndToEndAndIsListedAndShown() throws Exception {
        java.util.Set<String> weightsBefore = strings("SELECT sha256 FROM model_weights");
        InJvm.Out run = sift("run", "workflows/quickstart.yaml", "--name", "cli-quickstart",
                "--set", "dataset.generate.rows=800", "--set", "fine_tune.epochs=2",
                "--set", "model.buckets=256", "--set", "evaluate.seeds=2");
        assertEquals(0, run.code(), run.err());
        String table = run.out();
        assertTrue(table.contains("full") && table.contains("selected") && table.contains("random"), table);
        assertTrue(table.contains("ndcg@10") && table.contains("kappa") && table.contains("accuracy"), table);
        Matcher m = Pattern.compile("run (\\d+) \\(").matcher(run.err());
        assertTrue(m.find(), run.err());
        long id = Long.parseLong(m.group(1));
        // every model the run stored is named by it (stage outputs, lineage), so sift gc finds no orphan in it:
        // before, the kept and random models of seeds after the first, and random-train's, were stored unnamed
        java.util.Set<String> stored = strings("SELECT sha256 FROM model_weights");
        stored.removeAll(weightsBefore);
        String named = String.join(" ", strings("SELECT output_json FROM stage_run WHERE run_id = " + id))
                + String.join(" ", strings("SELECT selected_weights FROM iteration WHERE run_id = " + id));
        // weights are stored by content: full's first seed trains the fine-tune model again, and iteration 2 keeps
        // its whole pool here (no flipped query left), so its kept and random models are iteration 1's kept ones
        assertTrue(stored.size() >= 8, "fine-tune, full's second seed, 2 kept, 2 random, 2 random-train: " + stored);
        for (String sha : stored) {
            assertTrue(named.contains(sha), "weights " + sha + " stored by the run but named by none of its rows");
        }

        InJvm.Out list = sift("runs", "list", "--format", "json");
        assertEquals(0, list.code(), list.err());
        JsonNode mine = null;
        for (JsonNode r : JSON.readTree(list.out())) {
            if (r.get("id").asLong() == id) {
                mine = r;
            }
        }
        assertTrue(mine != null && mine.get("status").asText().equals("SUCCEEDED"), list.out());

        InJvm.Out show = sift("runs", "show", Long.toString(id), "--format", "json");
        assertEquals(0, show.code(), show.err());
        JsonNode detail = JSON.readTree(show.out());
        assertEquals(8, detail.get("stages").size());
        // iteration 1: full, full-clean (the flipped labels put back), selected, random, majority, zero-shot;
        // iteration 2: selected, random, random-train
        assertEquals(9, detail.get("metrics").size());
        // kept against full, random, majority, zero-shot, full-clean, full against zero-shot and full-clean, random
        // against full, then kept against full, random, random-train, and random-train against full: 3 metrics each
        assertEquals(36, detail.get("comparisons").size());
        assertEquals(2, detail.get("headroom").size(), "the verdict on random - full, one per iteration");
        for (JsonNode c : detail.get("comparisons")) {
            assertEquals(2, c.get("seeds").asInt());
            assertTrue(c.get("ci_low").asDouble() <= c.get("ci_high").asDouble(), c.toString());
        }
        for (JsonNode s : detail.get("stages")) {
            assertEquals("SUCCEEDED", s.get("status").asText());
            assertEquals(1, s.get("attempt").asInt());
            assertTrue(s.get("seconds").isNumber());
        }
        assertEquals(2, detail.get("iterations").size());

        InJvm.Out text = sift("runs", "show", Long.toString(id));
        assertEquals(0, text.code());
        assertTrue(text.out().contains("fine-tune") && text.out().contains("ndcg@10"), text.out());
        assertTrue(text.out().contains("kept vs others"), text.out());
        // one verdict per iteration on the room a subset of the kept size has, from random against full
        assertEquals(2, text.out().lines().filter(l -> l.matches("  iteration [12], room for a subset of [0-9,]+ of "
                + "the [0-9,]+: a random one .*")).count(), text.out());
        List<String> shown = text.out().lines().toList();
        String metricsHeader = shown.get(shown.indexOf("metrics (means over seeds; _sd: sample standard deviation, NaN for one seed)") + 1);
        assertTrue(metricsHeader.contains("ndcg_queries") && metricsHeader.contains("seeds"), metricsHeader);
        int at = shown.indexOf(metricsHeader);
        List<String> columns = List.of(metricsHeader.trim().split("\\s+"));
        int end = at + 2;
        while (end < shown.size() && !shown.get(end).isBlank()) {
            end++;
        }
        for (String row : shown.subList(at + 2, end)) {
            List<String> cells = List.of(row.trim().split("\\s+"));
            for (String count : List.of("train_size", "ndcg_queries", "seeds")) {
                assertTrue(cells.get(columns.indexOf(count)).matches("\\d+"), count + " as a whole number: " + row);
            }
        }

        JsonNode metricRows = JSON.readTree(sift("runs", "show", Long.toString(id), "--table", "metrics", "--format",
                "json").out());
        for (JsonNode row : metricRows) {
            boolean trains = !List.of("majority", "zero-shot").contains(row.get("subset").asText());
            assertEquals(trains, row.get("train_seconds").isNumber(), "a training time only where a model trains: "
                    + row);
            if (row.get("subset").asText().equals("majority")) { // one model whatever the seeds: no sd of 0 over them
                assertEquals(1, row.get("seeds").asInt(), row.toString());
                assertTrue(!row.path("kappa_sd").isNumber(), row.toString());
            }
        }

        // one table in JSON is that table of the whole run's JSON: the stages with their outputs
        JsonNode stages = JSON.readTree(sift("runs", "show", Long.toString(id), "--table", "stages", "--format",
                "json").out());
        assertEquals(JSON.readTree(sift("runs", "show", Long.toString(id), "--format", "json").out()).get("stages"),
                stages);
        assertTrue(stages.get(0).get("output").has("train"), stages.get(0).toString());

        InJvm.Out top = sift("runs", "scores", Long.toString(id), "--method", "oof_loss", "--top", "5", "--format",
                "json");
        assertEquals(0, top.code(), top.err());
        JsonNode ranked = JSON.readTree(top.out());
        assertEquals(5, ranked.size());
        for (int i = 1; i < 5; i++) {
            assertTrue(ranked.get(i - 1).get("score").asDouble() >= ranked.get(i).get("score").asDouble());
        }
        assertTrue(ranked.get(0).has("query") && ranked.get(0).has("label"));
        InJvm.Out bogus = sift("runs", "scores", Long.toString(id), "--method", "bogus");
        assertEquals(2, bogus.code());
        assertTrue(bogus.err().contains("has no bogus scores in iteration 1; its methods there: ")
                && bogus.err().contains("oof_loss"), bogus.err());

        InJvm.Out explain = sift("runs", "explain", Long.toString(id), "--sample", ranked.get(0).get("sample").asText(),
                "--format", "json");
        assertEquals(0, explain.code(), explain.err());
        JsonNode why = JSON.readTree(explain.out());
        assertEquals(3, why.get("methods").size()); // quickstart scores loss, oof_loss, label_quality
        assertEquals(1, why.get("methods").findValues("method").stream().filter(x -> x.asText().equals("oof_loss"))
                .count());
        assertEquals(5, why.get("neighbours").size());
        InJvm.Out said = sift("runs", "explain", Long.toString(id), "--sample", ranked.get(0).get("sample").asText());
        assertTrue(said.out().lines().findFirst().orElse("").matches("sample \\d+ \\(line \\d+, train\\): label \\d"),
                "a grade as it is written, 2 not 2.0: " + said.out());
        assertTrue(said.out().contains("  query: ") && said.out().contains("  title: "), said.out());
        assertEquals(2, sift("runs", "explain", Long.toString(id), "--sample", "999999").code());
        InJvm.Out negative = sift("runs", "explain", Long.toString(id), "--sample", "0", "--neighbours", "-2");
        assertEquals(2, negative.code(), "a negative neighbour count is refused, not read as none");
        assertTrue(negative.err().contains("--neighbours must be 0 or more, got -2"), negative.err());

        // resuming a finished run does nothing and succeeds
        InJvm.Out again = sift("resume", Long.toString(id), "--format", "json");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("already finished"), again.err());
        // --format json: the whole run as runs show gives it (once the metrics alone, without the intervals)
        JsonNode whole = JSON.readTree(again.out());
        assertEquals(JSON.readTree(sift("runs", "show", Long.toString(id), "--format", "json").out()), whole);
        assertTrue(whole.get("comparisons").size() > 0, whole.toString());
        exportWritesTheKeptSamplesAsTheyTrain(id, detail);
        predictionsRecomputeThePrintedMetrics(id, detail);
    }

    /**
     * A run that ended before its last iteration says after which and why, under the lineage of {@code runs show}
     * and in its JSON: here the quickstart at the size above, whose second iteration keeps its whole pool.
     */
    @Test
    void runsShowSaysWhyTheIterationsEndedEarly() throws Exception {
        InJvm.Out run = sift("run", "workflows/quickstart.yaml", "--name", "cli-early-end",
                "--set", "dataset.generate.rows=800", "--set", "fine_tune.epochs=2",
                "--set", "model.buckets=256", "--set", "evaluate.seeds=2", "--set", "iterations=3");
        assertEquals(0, run.code(), run.err());
        Matcher m = Pattern.compile("run (\\d+) \\(").matcher(run.err());
        assertTrue(m.find(), run.err());
        String id = m.group(1);
        String why = "iterations ended after iteration 2 of 3: nothing left to filter: drop_groups kept the whole pool";
        List<String> lines = sift("runs", "show", id).out().lines().toList();
        int lineage = lines.indexOf("lineage (what each iteration filtered and kept)");
        assertTrue(lineage >= 0, lines.toString());
        String said = lines.stream().skip(lineage).filter(l -> l.startsWith("iterations ended")).findFirst()
                .orElseThrow(() -> new AssertionError(String.join("\n", lines)));
        assertTrue(said.startsWith(why), said);
        assertTrue(lines.indexOf(said) < lines.indexOf("metrics (means over seeds; _sd: sample standard deviation, "
                + "NaN for one seed)"), "under the lineage, before the metrics");
        JsonNode json = JSON.readTree(sift("runs", "show", id, "--format", "json").out());
        assertEquals(said, json.get("stopped").asText());
    }

    /**
     * {@code sweep}: one run per value of the varied setting, each with that value stored, and the pooled table of
     * those runs, the same as {@code runs compare --pooled} gives for them.
     */
    @Test
    void sweepRunsOncePerValueAndPoolsTheRuns() throws Exception {
        InJvm.Out sweep = sift("sweep", "workflows/quickstart.yaml", "--vary", "dataset.noise.seed=1..5",
                "--set", "dataset.generate.rows=800", "--set", "fine_tune.epochs=2", "--set", "model.buckets=256",
                "--set", "evaluate.seeds=2", "--set", "iterations=1", "--format", "json");
        assertEquals(0, sweep.code(), sweep.err());
        JsonNode j = JSON.readTree(sweep.out());
        assertEquals("dataset.noise.seed", j.get("varied").asText());
        assertEquals(5, j.get("runs").size(), j.toString());
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JsonNode r = j.get("runs").get(i);
            assertEquals(Integer.toString(i + 1), r.get("value").asText());
            ids.add(r.get("run").asText());
        }
        assertEquals("1", j.get("iteration").asText());
        List<String> args = new java.util.ArrayList<>(List.of("runs", "compare"));
        args.addAll(ids);
        args.addAll(List.of("--pooled", "--format", "json"));
        InJvm.Out cmp = sift(args.toArray(new String[0]));
        assertEquals(0, cmp.code(), cmp.err());
        JsonNode compared = JSON.readTree(cmp.out());
        assertEquals(compared.get("pooled"), j.get("pooled"), "the sweep's table is runs compare --pooled's");
        for (JsonNode p : compared.get("parameters")) {
            if (p.get("key").asText().equals("fine_tune.epochs")) {
                for (String id : ids) {
                    assertEquals(2, p.get("run " + id).asInt(), "every run got the --set: " + p);
                }
            }
        }
        JsonNode first = JSON.readTree(sift("runs", "show", ids.get(0), "--format", "json").out());
        assertEquals("quickstart dataset.noise.seed=1", first.get("run").get("name").asText());
        JsonNode params = j.get("parameters");
        assertEquals(1, params.size(), "only the varied setting differs: " + params);
        assertEquals("dataset.noise.seed", params.get(0).get("key").asText());
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, params.get(0).get("run " + ids.get(i)).asInt(), "run " + ids.get(i) + " ran value "
                    + (i + 1) + ": " + params);
        }
        boolean share = false;
        for (JsonNode row : j.get("pooled")) {
            share |= row.get("metric").asText().equals("kappa") && row.get("compared").asText().equals(
                    "recovered share") && row.get("runs").asInt() == 5;
        }
        assertTrue(share, "five runs with query noise and a clean reference: " + j.get("pooled"));
    }

    /** {@code runs export}: each subset's samples, once each, with the run's texts and labels; never over a file. */
    private void exportWritesTheKeptSamplesAsTheyTrain(long id, JsonNode detail) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("export");
        java.nio.file.Path csv = dir.resolve("sub/kept.csv");
        InJvm.Out kept = sift("runs", "export", Long.toString(id), "--out", csv.toString());
        assertEquals(0, kept.code(), kept.err());
        JsonNode last = detail.get("iterations").get(1);
        int keptSize = last.get("kept_size").asInt();
        assertTrue(kept.err().contains("wrote " + keptSize + " samples of run " + id + ", iteration 2, subset kept"),
                kept.err() + " " + last);
        List<String> lines = java.nio.file.Files.readAllLines(csv);
        assertEquals("sample,source_line,query,title,description,label", lines.get(0));
        assertEquals(keptSize + 1, lines.size());
        // the scores of iteration 2 are of its pool (iteration 1's kept set): every kept sample has one
        java.util.Set<String> pool = new java.util.HashSet<>();
        JSON.readTree(sift("runs", "scores", Long.toString(id), "--method", "loss", "--iteration", "2", "--top",
                "100000", "--format", "json").out()).forEach(r -> pool.add(r.get("sample").asText()));
        java.nio.file.Path jsonl = dir.resolve("random.jsonl");
        assertEquals(0, sift("runs", "export", Long.toString(id), "--out", jsonl.toString(), "--subset", "random",
                "--iteration", "1").code());
        List<String> rows = java.nio.file.Files.readAllLines(jsonl);
        assertEquals(detail.get("iterations").get(0).get("kept_size").asInt(), rows.size(), "random is kept's size");
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        int previous = -1;
        for (String r : rows) {
            JsonNode n = JSON.readTree(r);
            int sample = n.get("sample").asInt();
            assertTrue(seen.add(sample) && sample > previous, "once each, in sample order: " + r);
            previous = sample;
            assertTrue(n.get("label").isIntegralNumber() && n.get("query").isTextual(), r);
        }
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(pool.contains(line.substring(0, line.indexOf(','))), "a kept sample outside its pool: " + line);
        }
        long before = java.nio.file.Files.size(csv);
        InJvm.Out again = sift("runs", "export", Long.toString(id), "--out", csv.toString());
        assertEquals(2, again.code(), "an existing file is never replaced");
        assertTrue(again.err().contains("exists"), again.err());
        assertEquals(before, java.nio.file.Files.size(csv));
        InJvm.Out none = sift("runs", "export", Long.toString(id), "--out", dir.resolve("rt.csv").toString(),
                "--subset", "random-train", "--iteration", "1");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("random-train is drawn from iteration 2 on"), none.err());
        assertEquals(2, sift("runs", "export", Long.toString(id), "--out", dir.resolve("x.csv").toString(),
                "--iteration", "9").code());
    }

    /**
     * {@code runs export --predictions}: every evaluated model's test answers, from which the printed accuracy and
     * quadratic weighted kappa are recomputed here by hand (grades 0-3), subset by subset, as means over the seeds.
     */
    private void predictionsRecomputeThePrintedMetrics(long id, JsonNode detail) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("predictions").resolve("p.jsonl");
        InJvm.Out out = sift("runs", "export", Long.toString(id), "--predictions", "--iteration", "1", "--out",
                file.toString());
        assertEquals(0, out.code(), out.err());
        java.util.Map<String, java.util.Map<Integer, List<int[]>>> answers = new java.util.TreeMap<>();
        for (String line : java.nio.file.Files.readAllLines(file)) {
            JsonNode n = JSON.readTree(line);
            answers.computeIfAbsent(n.get("subset").asText(), k -> new java.util.TreeMap<>())
                    .computeIfAbsent(n.get("seed").asInt(), k -> new java.util.ArrayList<>())
                    .add(new int[] {n.get("label").asInt(), n.get("prediction").asInt()});
        }
        assertEquals(java.util.Set.of("full", "full-clean", "selected", "random", "majority", "zero-shot"),
                answers.keySet());
        assertEquals(1, answers.get("majority").size(), "the majority is one model");
        int checked = 0;
        for (JsonNode m : detail.get("metrics")) {
            if (m.get("iteration").asInt() != 1 || !answers.containsKey(m.get("subset").asText())) {
                continue;
            }
            double accuracy = 0;
            double kappa = 0;
            java.util.Collection<List<int[]>> seeds = answers.get(m.get("subset").asText()).values();
            for (List<int[]> pairs : seeds) {
                double[][] observed = new double[4][4];
                pairs.forEach(p -> observed[p[0]][p[1]]++);
                double agree = 0;
                double disagreement = 0;
                double expected = 0;
                for (int a = 0; a < 4; a++) {
                    agree += observed[a][a];
                    for (int b = 0; b < 4; b++) {
                        double row = java.util.Arrays.stream(observed[a]).sum();
                        double column = observed[0][b] + observed[1][b] + observed[2][b] + observed[3][b];
                        disagreement += (a - b) * (a - b) * observed[a][b];
                        expected += (a - b) * (a - b) * row * column / pairs.size();
                    }
                }
                accuracy += agree / pairs.size() / seeds.size();
                kappa += (expected == 0 ? 0 : 1 - disagreement / expected) / seeds.size();
            }
            assertEquals(m.get("accuracy").asDouble(), accuracy, 1e-9, m.toString());
            assertEquals(m.get("kappa").asDouble(), kappa, 1e-9, m.toString());
            checked++;
        }
        assertEquals(6, checked);
        InJvm.Out last = sift("runs", "export", Long.toString(id), "--predictions", "--out",
                file.resolveSibling("last.csv").toString());
        assertTrue(last.err().contains("test predictions of run " + id + ", iteration 2"), last.err());
        assertTrue(java.nio.file.Files.readString(file.resolveSibling("last.csv")).contains("\nrandom-train,1,"));
        InJvm.Out both = sift("runs", "export", Long.toString(id), "--predictions", "--subset", "random", "--out",
                file.resolveSibling("x.csv").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("give one of them"), both.err());
    }
}
