package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.PostgresResource;
import dev.sift.history.HistoryBenchmark;
import dev.sift.history.WhereParser;
import dev.sift.store.BulkRuns;
import dev.sift.store.BulkRuns.NewMetric;
import dev.sift.store.BulkRuns.NewRun;
import dev.sift.store.HistoryStore;
import dev.sift.store.MetricStore;
import dev.sift.store.RunQuery;
import dev.sift.store.RunQuery.Compare;
import dev.sift.store.RunQuery.Key;
import dev.sift.store.RunQuery.Op;
import dev.sift.store.RunEntity;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import dev.sift.workflow.WorkflowParams;
import dev.sift.workflow.WorkflowParser;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code runs list --where/--order-by} and {@code runs compare}, through the commands in this JVM (no application
 * launch) against the test database: generated runs checked against a brute-force filter in Java, injection
 * attempts, and the comparison of two quickstart-shaped runs.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class HistoryCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WF = "history-test-" + System.nanoTime();
    private static final int RUNS = 200;
    private static List<NewRun> generated;
    private static List<Long> ids;

    @Inject
    CommandLine.IFactory factory;
    @Inject
    BulkRuns bulk;
    @Inject
    RunStore runs;
    @Inject
    dev.sift.store.RunRemoval removal;
    @Inject
    MetricStore metricStore;
    @Inject
    HistoryStore store;
    @Inject
    Instance<AgroalDataSource> dataSource;

    private InJvm.Out sift(String... args) {
        return InJvm.sift(factory, args);
    }

    private synchronized void generate() {
        if (generated == null) {
            Random rnd = new Random(20261130);
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(RUNS, ChronoUnit.MINUTES);
            List<NewRun> g = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                g.add(HistoryBenchmark.generated(rnd, i, start, WF));
            }
            ids = bulk.insert(g);
            generated = g;
        }
    }

    private static boolean ndcgAbove(NewRun r, double x) {
        Double v = latest(r, "selected", "ndcg@10");
        return v != null && v > x;
    }

    // ---- brute force: the same semantics, computed in Java over the generated runs ----

    /** The latest iteration's mean test value of a subset's metric, or null. */
    private static Double latest(NewRun r, String subset, String name) {
        return r.metrics().stream().filter(m -> m.seed() == null && m.subset().equals(subset)
                && m.name().equals(name)).max(Comparator.comparingInt(NewMetric::iteration))
                .map(NewMetric::value).orElse(null);
    }

    private static boolean holds(RunQuery.Filter f, NewRun r) {
        if (f instanceof RunQuery.And a) {
            return holds(a.left(), r) && holds(a.right(), r);
        }
        if (f instanceof RunQuery.Or o) {
            return holds(o.left(), r) || holds(o.right(), r);
        }
        if (f instanceof RunQuery.Not n) {
            return !holds(n.inner(), r);
        }
        Compare c = (Compare) f;
        Object v = value(c.key(), r);
        if (v instanceof Number n && c.value() instanceof Double d) {
            return c.op().test(Double.compare(n.doubleValue(), d));
        }
        if (v instanceof String s && c.value() instanceof String t) {
            return c.op().test(s.compareTo(t));
        }
        if (v instanceof Instant i && c.value() instanceof Instant t) {
            return c.op().test(i.compareTo(t));
        }
        return false;
    }

    private static Object value(Key k, NewRun r) {
        return switch (k.field()) {
            case STATUS -> r.status().name();
            case WORKFLOW -> r.workflow();
            case NAME -> r.name();
            case CREATED -> r.created();
            case PARAM -> r.params().get(k.name());
            case METRIC -> latest(r, k.subset(), k.name());
        };
    }

    /** Indices of the generated runs that hold, ordered as the query orders (missing values last, ties newest). */
    private List<Long> expected(Predicate<NewRun> p, Key orderKey, boolean desc, int limit) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            if (p.test(generated.get(i))) {
                idx.add(i);
            }
        }
        Comparator<Integer> byId = Comparator.comparing((Integer i) -> ids.get(i)).reversed();
        Comparator<Integer> order = byId;
        if (orderKey != null) {
            Comparator<Integer> byValue = (a, b) -> compareValues(value(orderKey, generated.get(a)),
                    value(orderKey, generated.get(b)));
            Comparator<Integer> nullsLast = (a, b) -> Boolean.compare(value(orderKey, generated.get(a)) == null,
                    value(orderKey, generated.get(b)) == null);
            order = nullsLast.thenComparing(desc ? byValue.reversed() : byValue).thenComparing(byId);
        }
        return idx.stream().sorted(order).limit(limit).map(ids::get).toList();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return 0;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return ((Comparable) a).compareTo(b);
    }

    private List<Long> listed(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("runs", "list", "--workflow", WF, "--format", "json"));
        all.addAll(List.of(args));
        InJvm.Out r = sift(all.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<Long> out = new ArrayList<>();
        JSON.readTree(r.out()).forEach(n -> out.add(n.get("id").asLong()));
        return out;
    }

    @Test
    void theAcceptanceQueryReturnsWhatABruteForceFilterFinds() throws Exception {
        generate();
        Predicate<NewRun> p = r -> {
            Double ndcg = latest(r, "selected", "ndcg@10");
            return ndcg != null && ndcg > 0.9 || "el2n".equals(r.params().get("filter.by"));
        };
        Key kappa = Key.metric("selected", "kappa");
        List<Long> want = expected(p, kappa, true, 1000);
        String where = "metrics.selected.ndcg@10 > 0.9 or params.filter.by = 'el2n'";
        assertEquals(want, listed("--where", where, "--order-by", "metrics.selected.kappa", "desc", "--limit", "1000"));
        assertEquals(want.subList(0, 7), listed("--where", where, "--order-by", "metrics.selected.kappa desc",
                "--limit", "7"));
        // the test means something: both sides of the or select runs, and the latest iteration is what counts
        long byNdcg = generated.stream().filter(r -> ndcgAbove(r, 0.9)
                && !"el2n".equals(r.params().get("filter.by"))).count();
        long byMethod = generated.stream().filter(r -> "el2n".equals(r.params().get("filter.by"))).count();
        long earlierOnly = generated.stream().filter(r -> !p.test(r) && r.metrics().stream().anyMatch(m ->
                m.seed() == null && m.subset().equals("selected") && m.name().equals("ndcg@10") && m.value() > 0.9))
                .count();
        assertTrue(byNdcg > 3 && byMethod > 10 && earlierOnly > 0, byNdcg + " " + byMethod + " " + earlierOnly);
        // the ordering key and the filter's keys are shown with each run
        InJvm.Out json = sift("runs", "list", "--workflow", WF, "--where", where, "--order-by", "metrics.selected.kappa",
                "desc", "--format", "json", "--limit", "3");
        JsonNode first = JSON.readTree(json.out()).get(0);
        NewRun top = generated.get(ids.indexOf(want.get(0)));
        assertEquals(latest(top, "selected", "kappa"), first.get("metrics.selected.kappa").asDouble(), 1e-12);
        assertEquals(top.params().get("filter.by"), first.get("params.filter.by").asText());
    }

    @Test
    void moreExpressionsAndOrderingsAgreeWithTheBruteForce() throws Exception {
        generate();
        String[][] cases = {
            {"not (params.filter.keep >= 0.5) and status = 'succeeded'", null},
            {"params.fine_tune.learning_rate < 0.005 and metrics.full.kappa > 0.4", "params.filter.keep desc"},
            {"metrics.random-train.kappa != 0.5 or params.filter.policy = 'ccs'", "created"},
            {"not metrics.selected.accuracy > 0.6", "status"},
            {"params.filter.by >= 'k' and params.filter.by < 'l'", "metrics.full.ndcg@10_sd asc"},
            {"params.missing.key = 1 or params.filter.keep = '0.5'", null},
            {"created >= '2000-01-01' and workflow = '" + WF + "'", "params.filter.by desc"},
            {"params.fine_tune.seed < 300 and (status = 'failed' or metrics.majority.kappa <= 0.3)", "workflow"}};
        for (String[] c : cases) {
            RunQuery.Filter f = WhereParser.parse(c[0]);
            RunQuery.Order o = c[1] == null ? null : WhereParser.order(List.of(c[1]));
            List<Long> want = expected(r -> holds(f, r), o == null ? null : o.key(), o != null && o.descending(), 1000);
            assertEquals(c[0].contains("missing"), want.isEmpty(), "only the type-mismatch case selects none: " + c[0]);
            List<String> args = new ArrayList<>(List.of("--where", c[0], "--limit", "1000"));
            if (c[1] != null) {
                args.addAll(List.of("--order-by", c[1]));
            }
            assertEquals(want, listed(args.toArray(String[]::new)), String.join(" ", c[0], String.valueOf(c[1])));
        }
    }

    private long runCount() throws Exception {
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM run"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aNanMetricMatchesNoComparisonAndSortsLast() throws Exception {
        String wf = "nan-metrics";
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Long> two = bulk.insert(List.of(
                new NewRun("nan", wf, RunEntity.Status.SUCCEEDED, t, Map.of("name", wf),
                        List.of(new NewMetric(1, "selected", "kappa", Double.NaN, null)), List.of()),
                new NewRun("half", wf, RunEntity.Status.SUCCEEDED, t.plusSeconds(1), Map.of("name", wf),
                        List.of(new NewMetric(1, "selected", "kappa", 0.5, null)), List.of())));
        InJvm.Out above = sift("runs", "list", "--workflow", wf, "--format", "json", "--where",
                "metrics.selected.kappa > 0.99");
        assertEquals(0, above.code(), above.err());
        assertEquals(0, JSON.readTree(above.out()).size(), above.out());
        InJvm.Out ordered = sift("runs", "list", "--workflow", wf, "--format", "json", "--order-by",
                "metrics.selected.kappa desc");
        List<Long> order = new ArrayList<>();
        JSON.readTree(ordered.out()).forEach(n -> order.add(n.get("id").asLong()));
        assertEquals(List.of(two.get(1), two.get(0)), order, "the NaN run last");
    }

    @Test
    void workSecondsSumTheStagesWhileDurationIsWallTime() throws Exception {
        long id = runs.createRun("work", "work-seconds", "/w.yaml", "name: w\n").id;
        for (String stage : List.of("ingest", "fine-tune")) {
            var s = runs.beginStage(id, stage, stage.equals("ingest") ? 0 : 1, 0, "");
            Thread.sleep(30);
            runs.finishStage(s.id, "{}");
        }
        long idle = runs.createRun("idle", "work-seconds", "/w.yaml", "name: w\n").id;
        JsonNode listed = JSON.readTree(sift("runs", "list", "--workflow", "work-seconds", "--format", "json").out());
        assertEquals(idle, listed.get(0).get("id").asLong());
        assertTrue(listed.get(0).get("work_s").isNull(), "no stage has ended: " + listed);
        double work = listed.get(1).get("work_s").asDouble();
        assertTrue(work >= 0.06 && work < 30, listed.toString());
    }

    @Test
    void injectionAttemptsAreRefusedOrHarmless() throws Exception {
        generate();
        long before = runCount();
        // a value is a bind parameter: the quote is part of the string, nothing runs
        for (String where : List.of("workflow = 'x'' ; DROP TABLE run; --'",
                "params.filter.by = 'x'' OR ''1''=''1' or workflow = 'a''); DELETE FROM run; --'")) {
            InJvm.Out r = sift("runs", "list", "--where", where);
            assertEquals(0, r.code(), r.err());
            assertEquals(2, r.out().lines().count(), "header and rule, no run: " + r.out());
        }
        // what the grammar cannot read is refused with its column, exit 2, one line
        InJvm.Out status = sift("runs", "list", "--where", "status = 'x'' ; DROP TABLE run; --'");
        assertEquals(2, status.code());
        assertEquals("sift: --where: column 10: status is one of 'running', 'succeeded', 'failed', 'interrupted', "
                + "not 'x'' ; DROP TABLE run; --'", status.err().strip());
        InJvm.Out key = sift("runs", "list", "--where", "params.filter'by = 'el2n'");
        assertEquals(2, key.code());
        assertTrue(key.err().startsWith("sift: --where: column 14: expected an operator"), key.err());
        assertEquals(1, key.err().strip().lines().count(), key.err());
        assertEquals(2, sift("runs", "list", "--where", "status = 'failed'; DROP TABLE run").code());
        // as many comparisons as the grammar takes nest the SQL that deep: PostgreSQL reads it
        String many = String.join(" or ", java.util.Collections.nCopies(dev.sift.history.WhereParser.MAX_COMPARISONS,
                "params.fine_tune.seed = 7"));
        assertEquals(0, sift("runs", "list", "--where", many).code());
        assertEquals(2, sift("runs", "list", "--order-by", "metrics.selected.kappa; DROP TABLE run").code());
        assertEquals(2, sift("runs", "list", "--order-by", "params.filter'by").code());
        // key names are bind parameters too, whatever they hold (the store takes them as data)
        RunQuery.Filter wf = new Compare(Key.of(RunQuery.Field.WORKFLOW), Op.EQ, WF);
        for (RunQuery.Filter evil : List.<RunQuery.Filter>of(
                new Compare(Key.param("filter.by' = '' OR 1=1 --"), Op.EQ, "x"),
                new Compare(Key.param("x') IS NULL OR TRUE; DROP TABLE run; --"), Op.NE, 0.0),
                new Compare(Key.metric("selected' OR 1=1 --", "kappa') OR TRUE --"), Op.GT, -1e9))) {
            assertEquals(List.of(), store.search(new RunQuery.Query(new RunQuery.And(wf, evil), null, 10,
                    List.of(Key.param("a'b\"c"), Key.metric("'", "\"")))));
        }
        assertEquals(before, runCount(), "the run table is still there, with every run");
    }

    /** Two runs of the quickstart that differ only in filter.keep and filter.by, with metrics and an interval. */
    private long[] twoQuickstartRuns() {
        long[] out = new long[2];
        String[][] sets = {{"loss", "0.5"}, {"oof_loss", "0.7"}};
        for (int i = 0; i < 2; i++) {
            var parsed = WorkflowParser.parseFile(Path.of("workflows/quickstart.yaml"), Map.of("filter.by",
                    sets[i][0], "filter.keep", sets[i][1]));
            out[i] = runs.createRun("cmp-" + i, "quickstart", "/q.yaml", parsed.snapshot(),
                    WorkflowParams.of(parsed.spec())).id;
            runs.replaceMetrics(out[i], 1, "test", "selected", Map.of("kappa", 0.5 + 0.1 * i, "ndcg@10", 0.8,
                    "train_size", 900.0));
            runs.replaceMetrics(out[i], 1, "test", "random", Map.of("kappa", 0.45, "ndcg@10", 0.79));
            runs.replaceMetrics(out[i], 1, "test", "full", Map.of("kappa", 0.6 + 0.01 * i, "ndcg@10", 0.9));
            runs.replaceMetrics(out[i], 1, "test", "majority", Map.of("kappa", 0.0, "ndcg@10", 0.7));
        }
        runs.replaceMetrics(out[0], 2, "test", "selected", Map.of("kappa", 0.4, "ndcg@10", 0.85));
        metricStore.replaceComparisons(out[1], 1, List.of(new MetricStore.Comparison(1, "kappa", "selected",
                "random", 0.15, 0.05, 0.25, 3, 120, 1000)));
        return out;
    }

    /** A probe found runs show printing NaN where runs compare leaves an interval end blank (too few test units). */
    @Test
    void anUndrawnIntervalIsBlankInRunsShowAsInRunsCompare() throws Exception {
        long[] r = twoQuickstartRuns();
        metricStore.replaceComparisons(r[0], 1, List.of(new MetricStore.Comparison(1, "kappa", "selected", "random",
                0.25, Double.NaN, Double.NaN, 2, 4, 1000)));
        InJvm.Out csv = sift("runs", "show", Long.toString(r[0]), "--table", "comparisons", "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        assertEquals("1,selected,random,kappa,0.25,,,n/a,2,4", csv.out().lines().skip(1).findFirst().orElseThrow());
        InJvm.Out text = sift("runs", "show", Long.toString(r[0]), "--table", "comparisons");
        assertTrue(!text.out().contains("NaN"), text.out());
        JsonNode row = JSON.readTree(sift("runs", "show", Long.toString(r[0]), "--table", "comparisons", "--format",
                "json").out()).get(0);
        assertTrue(row.get("ci_low").isNull() && row.get("ci_high").isNull(), row.toString());
        // a table the run did not fill says why beside its header (a probe found bare headers); while the run is not
        // done, that its later stages may not have stored them
        InJvm.Out running = sift("runs", "show", Long.toString(r[0]), "--table", "noise_detection");
        assertTrue(running.err().startsWith("run " + r[0] + " has no noise_detection rows: it is RUNNING"),
                running.err());
        runs.finishRun(r[0], RunEntity.Status.SUCCEEDED, null);
        InJvm.Out noise = sift("runs", "show", Long.toString(r[0]), "--table", "noise_detection");
        assertEquals("run " + r[0] + " has no noise_detection rows: it knew no noisy labels (dataset.noise, or the "
                + "data's own noise marks)", noise.err().strip());
        InJvm.Out curve = sift("runs", "show", Long.toString(r[0]), "--table", "curve", "--format", "json");
        assertEquals("[ ]", curve.out().strip());
        assertTrue(curve.err().contains("has no curve rows: it drew no kept-fraction curve (evaluate.curve)"),
                curve.err());
        assertEquals("", csv.err(), "a filled table says nothing more");
    }

    @Test
    void compareOnlyChangedShowsExactlyTheTwoChangedParametersAndTheDeltas() throws Exception {
        long[] r = twoQuickstartRuns();
        String a = Long.toString(r[0]);
        String b = Long.toString(r[1]);
        // a key the hashed model does not read, as runs stored before such keys were left out hold: no difference
        try (Connection c = dataSource.get().getConnection(); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE run SET params = params || '{\"model.pooling\": \"mean\"}' WHERE id = " + r[0]);
        }
        InJvm.Out text = sift("runs", "compare", a, b, "--only-changed");
        assertEquals(0, text.code(), text.err());
        List<String> lines = text.out().lines().toList();
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("parameters that differ (2 of ")).findFirst()
                .orElseThrow(() -> new AssertionError(text.out())));
        assertTrue(lines.get(at + 1).matches("key\\s+run " + a + "\\s+run " + b), lines.get(at + 1));
        assertTrue(lines.get(at + 3).matches("filter\\.by\\s+loss\\s+oof_loss"), lines.get(at + 3));
        assertTrue(lines.get(at + 4).matches("filter\\.keep\\s+0\\.5\\s+0\\.7"), lines.get(at + 4));
        assertEquals("", lines.get(at + 5), text.out());
        assertTrue(text.out().contains("kept vs random"), text.out());

        InJvm.Out json = sift("runs", "compare", a, b, "--only-changed", "--format", "json");
        assertEquals(0, json.code(), json.err());
        JsonNode j = JSON.readTree(json.out());
        assertEquals(2, j.get("parameters").size(), json.out());
        assertEquals("filter.by", j.get("parameters").get(0).get("key").asText());
        assertEquals("oof_loss", j.get("parameters").get(0).get("run " + b).asText());
        assertEquals(0.7, j.get("parameters").get(1).get("run " + b).asDouble());
        assertEquals(2, j.get("parameters_differing").asInt());
        JsonNode kappa1 = row(j.get("metrics"), 1, "selected", "kappa");
        assertEquals(0.5, kappa1.get("run " + a).asDouble(), 1e-12);
        assertEquals(0.1, kappa1.get("delta " + b).asDouble(), 1e-12);
        assertTrue(row(j.get("metrics"), 2, "selected", "kappa").get("delta " + b).isNull(), "b has no iteration 2");
        assertEquals(900, row(j.get("metrics"), 1, "selected", "train_size").get("run " + a).asLong());
        JsonNode interval = j.get("kept_vs_random").get(0);
        assertEquals(r[1], interval.get("run").asLong());
        assertEquals(0.05, interval.get("ci_low").asDouble(), 1e-12);
        // booleans in JSON (a probe's: "yes" as a string), yes and no in text and CSV
        assertTrue(interval.get("excludes_0").isBoolean() && interval.get("excludes_0").asBoolean());
        assertTrue(interval.get("seeds_drawn").isBoolean() && interval.get("seeds_drawn").asBoolean(),
                "3 seeds, evaluate.bootstrap_seeds true");

        InJvm.Out all = sift("runs", "compare", a, b, "--format", "json");
        assertTrue(JSON.readTree(all.out()).get("parameters").size() > 50, "every resolved parameter without the flag");
        InJvm.Out csv = sift("runs", "compare", a, b, "--format", "csv", "--only-changed");
        assertTrue(csv.out().startsWith("# runs\nrun,name,workflow,status,created,iteration\n"), csv.out());
        assertTrue(csv.out().contains("\n\n# parameters\nkey,run " + a + ",run " + b + "\n"), csv.out());
        assertTrue(csv.out().contains("\nfilter.keep,0.5,0.7\n"), csv.out());
        InJvm.Out one = sift("runs", "compare", a, b, "--format", "csv", "--only-changed", "--table", "parameters");
        assertEquals(3, one.out().lines().count(), "the header and the two changed parameters: " + one.out());
        assertTrue(one.out().startsWith("key,run " + a + ",run " + b + "\n"), one.out());
        InJvm.Out wrong = sift("runs", "compare", a, b, "--table", "params");
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("--table 'params': one of runs, parameters, metrics, kept_vs_random"),
                wrong.err());
        InJvm.Out show = sift("runs", "show", a, "--format", "csv");
        for (String name : List.of("stages", "lineage", "metrics", "comparisons", "noise_detection", "curve")) {
            assertTrue(show.out().contains("# " + name + "\n"), name + " in " + show.out());
        }
        InJvm.Out metrics = sift("runs", "show", a, "--format", "csv", "--table", "metrics");
        assertTrue(metrics.out().startsWith("iteration,") && !metrics.out().contains("#"), metrics.out());
    }

    /** Five runs as five noise seeds would leave them: the differences pooled over the runs, read back by hand. */
    @Test
    void comparePooledPoolsTheKeptSubsetsDifferencesOverTheRuns() throws Exception {
        double[][] v = { // full, full-clean, selected, random (kappa)
            {0.70, 0.90, 0.80, 0.75}, {0.80, 0.90, 0.85, 0.85}, {0.60, 0.90, 0.75, 0.80}, {0.75, 0.90, 0.85, 0.70},
            {0.70, 0.85, 0.72, 0.60}};
        List<String> ids = new ArrayList<>();
        for (double[] r : v) {
            long id = runs.createRun("pool", "pool", "/pool.yaml", "name: pool\n").id;
            runs.replaceMetrics(id, 1, "test", "full", Map.of("kappa", r[0], "kappa_sd", 0.01));
            runs.replaceMetrics(id, 1, "test", "full-clean", Map.of("kappa", r[1]));
            runs.replaceMetrics(id, 1, "test", "selected", Map.of("kappa", r[2], "kappa_sd", 0.02, "train_size",
                    100.0));
            runs.replaceMetrics(id, 1, "test", "random", Map.of("kappa", r[3]));
            runs.replaceMetrics(id, 1, "test", "majority", Map.of("kappa", 0.0));
            runs.replaceMetrics(id, 2, "test", "selected", Map.of("kappa", 0.1));
            runs.finishRun(id, RunEntity.Status.SUCCEEDED, null);
            ids.add(Long.toString(id));
        }
        List<String> args = new ArrayList<>(List.of("runs", "compare"));
        args.addAll(ids);
        args.addAll(List.of("--pooled", "--format", "json"));
        InJvm.Out json = sift(args.toArray(new String[0]));
        assertEquals(0, json.code(), json.err());
        JsonNode pooled = JSON.readTree(json.out()).get("pooled");
        assertEquals(5, pooled.size(), "kappa only (not its sd or the train size), five comparisons (no zero-shot "
                + "was stored): " + pooled);
        JsonNode random = pooled.get(0);
        assertEquals("kept - random", random.get("compared").asText());
        assertEquals(5, random.get("runs").asInt());
        assertEquals((0.05 + 0.0 - 0.05 + 0.15 + 0.12) / 5, random.get("value").asDouble(), 1e-9, "iteration 1's");
        assertEquals("3 / 1 / 1", random.get("above_level_below").asText());
        assertTrue(random.get("ci_low").asDouble() < random.get("value").asDouble() && random.get("ci_high")
                .asDouble() > random.get("value").asDouble(), "five runs are resampled: " + random);
        JsonNode majority = pooled.get(2);
        assertEquals("kept - majority", majority.get("compared").asText());
        assertEquals((0.80 + 0.85 + 0.75 + 0.85 + 0.72) / 5, majority.get("value").asDouble(), 1e-9);
        JsonNode cost = pooled.get(3);
        assertEquals("full - full-clean", cost.get("compared").asText());
        assertEquals((-0.2 - 0.1 - 0.3 - 0.15 - 0.15) / 5, cost.get("value").asDouble(), 1e-9);
        assertEquals("0 / 0 / 5", cost.get("above_level_below").asText());
        assertTrue(cost.get("ci_high").asDouble() < 0, "a cost in every run: " + cost);
        JsonNode share = pooled.get(4);
        assertEquals("recovered share", share.get("compared").asText());
        // of the means: full 0.71, kept 0.794, clean 0.89
        assertEquals(0.084 / 0.18, share.get("value").asDouble(), 1e-9);
        assertTrue(share.get("above_level_below").isNull() && share.get("excludes_0").isNull(), share.toString());
        InJvm.Out text = sift(args.subList(0, args.size() - 2).toArray(new String[0]));
        assertTrue(text.out().contains("pooled over the runs (each run a mean over its seeds"), text.out());
        List<String> four = new ArrayList<>(args.subList(0, 6));
        four.add("--pooled");
        JsonNode few = JSON.readTree(sift(append(four, "--format", "json")).out()).get("pooled");
        assertEquals("fewer than 5 runs: no interval of the cost", few.get(4).get("value_note").asText(),
                few.toString());
        assertTrue(few.get(4).get("value").isNull(), "four runs: no share");
        InJvm.Out best = sift(append(args.subList(0, args.size() - 2), "--iteration", "best"));
        assertEquals(2, best.code());
        assertTrue(best.err().contains("--pooled with --iteration best"), best.err());
        InJvm.Out lone = sift(append(args.subList(0, args.size() - 3), "--table", "pooled"));
        assertEquals(2, lone.code());
        assertTrue(lone.err().contains("--table pooled needs --pooled"), lone.err());
        List<String> two = new ArrayList<>(args.subList(0, args.size() - 2));
        two.addAll(List.of("--iteration", "2", "--format", "json"));
        JsonNode second = JSON.readTree(sift(two.toArray(new String[0])).out()).get("pooled");
        // iteration 2 stored the kept subset alone; the full model, its clean reference and the majority baseline
        // carry over from 1, random does not
        assertEquals(4, second.size(), second.toString());
        assertEquals("kept - full", second.get(0).get("compared").asText());
        assertEquals(0.1 - (0.70 + 0.80 + 0.60 + 0.75 + 0.70) / 5, second.get(0).get("value").asDouble(), 1e-9);
    }

    /** A probe's: a run killed in evaluate showed the subsets it had finished as if they were the whole table. */
    @Test
    void metricsOfAnEvaluateCutShortAreMarkedPartial() throws Exception {
        long id = runs.createRun("cut", "cut", "/cut.yaml", "name: cut\n").id;
        runs.replaceMetrics(id, 1, "test", "selected", Map.of("kappa", 0.5));
        runs.replaceMetrics(id, 2, "test", "selected", Map.of("kappa", 0.6));
        runs.finishStage(runs.beginStage(id, "evaluate", 1, 1, "").id, "{}");
        runs.failStage(runs.beginStage(id, "evaluate", 2, 2, "").id, "killed");
        runs.finishRun(id, RunEntity.Status.FAILED, "evaluate: killed");
        InJvm.Out text = sift("runs", "show", Long.toString(id), "--table", "metrics");
        assertEquals(0, text.code(), text.err());
        List<String> lines = text.out().lines().filter(l -> l.contains("selected")).toList();
        assertEquals(2, lines.size(), text.out());
        assertTrue(!lines.get(0).contains("partial") && lines.get(1).contains("selected (evaluate unfinished: "
                + "partial)"), text.out());
        JsonNode json = JSON.readTree(sift("runs", "show", Long.toString(id), "--table", "metrics", "--format",
                "json").out());
        assertEquals("selected", json.get(1).get("subset").asText(), "the value stays as it is: " + json);
    }

    @Test
    void compareGivesNoDeltaBetweenRunsOfDifferentTaskTypes() throws Exception {
        long search = twoQuickstartRuns()[0];
        var parsed = WorkflowParser.parse("rec.yaml", """
                name: rec
                dataset:
                  path: /nowhere/u.data
                  separator: tab
                  header: false
                  columns: {user: "0", item: "1", rating: "2", time: "3"}
                task: {type: recommendation, positive_at: 4}
                model: {encoder: minilm}
                """, Path.of("."), Map.of(), false);
        long rec = runs.createRun("cmp-rec", "rec", "/rec.yaml", parsed.snapshot(), WorkflowParams.of(parsed.spec())).id;
        runs.replaceMetrics(rec, 1, "test", "selected", Map.of("ndcg@10", 0.3));
        InJvm.Out text = sift("runs", "compare", Long.toString(search), Long.toString(rec), "--iteration", "1");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("no delta for run " + rec + " (recommendation): its task type is not run "
                + search + "'s (graded), so its metrics are measured on another kind of test set"), text.out());
        JsonNode j = JSON.readTree(sift("runs", "compare", Long.toString(search), Long.toString(rec), "--iteration",
                "1", "--format", "json").out());
        JsonNode ndcg = row(j.get("metrics"), 0, "selected", "ndcg@10");
        assertEquals(0.3, ndcg.get("run " + rec).asDouble(), 1e-12, "each run's own value is shown");
        assertTrue(ndcg.get("delta " + rec).isNull(), "0.3 - 0.8 would mean nothing: " + ndcg);
        assertEquals("other task", ndcg.get("delta " + rec + "_note").asText());
        assertTrue(j.get("metrics_note").asText().startsWith("no delta for run " + rec), j.toString());
        InJvm.Out pooled = sift("runs", "compare", Long.toString(search), Long.toString(rec), "--pooled");
        assertEquals(2, pooled.code());
        assertTrue(pooled.err().contains("runs compare --pooled pools runs of one task type; these are run " + search
                + " graded, run " + rec + " recommendation"), pooled.err());
        JsonNode same = JSON.readTree(sift("runs", "compare", Long.toString(search), Long.toString(search + 1),
                "--iteration", "1", "--format", "json").out());
        assertTrue(same.get("metrics_note") == null, "runs of one task type get deltas and no note");
    }

    private static String[] append(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    private static JsonNode row(JsonNode metrics, int iteration, String subset, String metric) {
        for (JsonNode m : metrics) {
            if ((iteration == 0 || m.get("iteration").asInt() == iteration) && m.get("subset").asText().equals(subset)
                    && m.get("metric").asText().equals(metric)) {
                return m;
            }
        }
        return null;
    }

    @Test
    void compareReadsTheChosenIteration() throws Exception {
        long[] r = twoQuickstartRuns();
        String a = Long.toString(r[0]);
        String b = Long.toString(r[1]);
        JsonNode last = JSON.readTree(sift("runs", "compare", a, b, "--iteration", "last", "--format", "json").out());
        assertEquals(2, last.get("runs").get(0).get("iteration").asInt());
        assertEquals(1, last.get("runs").get(1).get("iteration").asInt());
        JsonNode kappa = row(last.get("metrics"), 0, "selected", "kappa");
        assertNull(kappa.get("iteration"), "no iteration column when one is chosen");
        assertEquals(0.4, kappa.get("run " + a).asDouble(), 1e-12);
        assertEquals(0.2, kappa.get("delta " + b).asDouble(), 1e-12);
        JsonNode full = row(last.get("metrics"), 0, "full", "kappa");
        assertEquals(0.6, full.get("run " + a).asDouble(), 1e-12, "the full model is stored in iteration 1 only");
        JsonNode majority = row(last.get("metrics"), 0, "majority", "ndcg@10");
        assertEquals(0.7, majority.get("run " + a).asDouble(), 1e-12, "so are the baselines");
        assertEquals(0.0, majority.get("delta " + b).asDouble(), 1e-12);
        assertEquals(0.01, full.get("delta " + b).asDouble(), 1e-12);
        JsonNode best = JSON.readTree(sift("runs", "compare", a, b, "--iteration", "best", "--format", "json").out());
        assertEquals(1, best.get("runs").get(0).get("iteration").asInt(), "0.5 in iteration 1 beats 0.4");
        assertEquals(0.1, row(best.get("metrics"), 0, "selected", "kappa").get("delta " + b).asDouble(), 1e-12);
        JsonNode two = JSON.readTree(sift("runs", "compare", a, b, "--iteration", "2", "--format", "json").out());
        JsonNode k2 = row(two.get("metrics"), 0, "selected", "kappa");
        assertEquals(0.4, k2.get("run " + a).asDouble(), 1e-12);
        assertTrue(k2.get("run " + b).isNull());
        assertTrue(two.get("runs").get(1).get("iteration").isNull(), "no iteration 2 in b: null, not a string");
        assertEquals("no test metrics", two.get("runs").get(1).get("iteration_note").asText());
        assertTrue(sift("runs", "compare", a, b, "--iteration", "2").out().contains("(no test metrics)"));
        JsonNode one = JSON.readTree(sift("runs", "compare", a, b, "--iteration", "1", "--format", "json").out());
        JsonNode size = row(one.get("metrics"), 0, "selected", "train_size");
        assertTrue(size.get("delta " + b).isIntegralNumber(), "a count's delta is a count: " + size);
        assertEquals(0, two.get("kept_vs_random").size(), "b's interval is of iteration 1");
        // usage errors exit 2
        assertEquals(2, sift("runs", "compare", a).code());
        assertEquals(2, sift("runs", "compare", a, "999999999").code());
        assertEquals(2, sift("runs", "compare", a, a).code());
        assertEquals(2, sift("runs", "compare", a, b, "--iteration", "0").code());
        assertEquals(2, sift("runs", "compare", a, b, "--iteration", "first").code());
        InJvm.Out seven = sift("runs", "compare", a, b, "--iteration", "7");
        assertEquals(2, seven.code(), "no run has iteration 7: an error, not an empty table");
        assertTrue(seven.err().contains("none of the runs has test metrics in iteration 7 (they have 1, 2)"),
                seven.err());
        InJvm.Out top = sift("runs", "scores", a, "--method", "loss", "--top", "-3");
        assertEquals(2, top.code());
        assertTrue(top.err().contains("--top must be at least 1, got -3"), top.err());
    }

    @Test
    void deleteRemovesRunsWithTheirRowsAllOrNoneAndRefusesOneUnderWay() throws Exception {
        RunEntity done = runs.createRun("to-delete", "del", "/d.yaml", "name: del\n");
        runs.beginStage(done.id, "ingest", 0, 1, "");
        runs.finishRun(done.id, RunEntity.Status.SUCCEEDED, null);
        RunEntity live = runs.createRun("live", "del", "/d.yaml", "name: del\n"); // this process owns it: RUNNING
        InJvm.Out busy = sift("runs", "delete", Long.toString(done.id), Long.toString(live.id));
        assertEquals(4, busy.code(), busy.err());
        assertTrue(busy.err().contains("run " + live.id + " is RUNNING in process ") && busy.err().contains("nothing "
                + "was deleted"), busy.err());
        assertEquals(2, sift("runs", "delete", Long.toString(done.id), "999999999").code(), "an unknown run");
        InJvm.Out word = sift("runs", "delete", Long.toString(done.id), "abc");
        assertEquals(2, word.code());
        assertTrue(word.err().contains("RUN must be a run id (a whole number), got 'abc'"), word.err());
        assertTrue(runs.findRun(done.id).isPresent(), "nothing deleted by a refused command");
        String job = "job-" + System.nanoTime(); // an AWS Batch job still queued would resume the run
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO "
                + "batch_job (run_id, job_id, job_name, job_queue, job_definition, status) VALUES (?, ?, 'n', 'q', "
                + "'d', 'RUNNABLE')")) {
            ps.setLong(1, done.id);
            ps.setString(2, job);
            ps.executeUpdate();
        }
        InJvm.Out queued = sift("runs", "delete", Long.toString(done.id));
        assertEquals(4, queued.code(), queued.err());
        assertTrue(queued.err().contains("run " + done.id + " has AWS Batch job " + job + ", RUNNABLE at the last look"),
                queued.err());
        // Batch is read again first; here it cannot be (no region, no endpoint), said in a few words on one line
        assertTrue(queued.err().strip().lines().count() == 1 && queued.err().length() < 500, queued.err());
        assertTrue(runs.findRun(done.id).isPresent(), "nothing deleted while its job is queued");
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE "
                + "batch_job SET status = 'SUCCEEDED' WHERE job_id = ?")) {
            ps.setString(1, job);
            ps.executeUpdate();
        }
        InJvm.Out ok = sift("runs", "delete", Long.toString(done.id));
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.err().contains("deleted run " + done.id + " (to-delete, SUCCEEDED)"), ok.err());
        assertTrue(runs.findRun(done.id).isEmpty());
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM stage_run WHERE run_id = ?")) {
            ps.setLong(1, done.id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "its stage rows went with it");
            }
        }
        runs.finishRun(live.id, RunEntity.Status.FAILED, "ended");
        assertEquals(0, sift("runs", "delete", Long.toString(live.id)).code(), "once it has ended");
    }

    @Test
    void runsFromBeforeStoredParametersGetThemFromTheirWorkflow() throws Exception {
        String wf = "old-" + System.nanoTime();
        long id;
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO run "
                + "(name, workflow, workflow_path, spec_yaml, status) VALUES ('old', ?, '/o.yaml', ?, 'SUCCEEDED') "
                + "RETURNING id")) {
            ps.setString(1, wf);
            ps.setString(2, java.nio.file.Files.readString(Path.of("workflows/quickstart.yaml")));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        assertFalse(store.params(List.of(id)).containsKey(id));
        InJvm.Out r = sift("runs", "list", "--workflow", wf, "--where", "params.filter.by = 'label_quality' and "
                + "params.evaluate.seeds = 3", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals(id, JSON.readTree(r.out()).get(0).get("id").asLong(), r.out());
        assertNotNull(store.params(List.of(id)).get(id));
        assertEquals("drop_groups", store.params(List.of(id)).get(id).get("filter.policy"));
        assertEquals("false", store.params(List.of(id)).get(id).get("evaluate.bootstrap_seeds"), "a key added since "
                + "has the value such a run behaved as, not today's default");
    }

    @Test
    void whereReadsNoMetricOfAnEvaluateThatDidNotFinish() throws Exception {
        String wf = "cut-" + System.nanoTime();
        long id = runs.createRun("cut", wf, "/c.yaml", "name: c").id;
        runs.finishStage(runs.beginStage(id, RunLayout.EVALUATE, 1, 4, null).id, "{}");
        runs.replaceMetrics(id, 1, "test", "selected", Map.of("kappa", 0.3));
        // iteration 2's evaluate stored the kept subset's metrics, then stopped before the rest
        long cut = runs.beginStage(id, RunLayout.EVALUATE, 2, 8, null).id;
        runs.replaceMetrics(id, 2, "test", "selected", Map.of("kappa", 0.9));
        assertEquals(List.of(), matching(wf, "metrics.selected.kappa > 0.5"), "a running evaluate's rows");
        runs.failStage(cut, "killed");
        assertEquals(List.of(), matching(wf, "metrics.selected.kappa > 0.5"), "a failed evaluate's rows");
        assertEquals(List.of(id), matching(wf, "metrics.selected.kappa = 0.3"), "iteration 1 finished: it counts");
        runs.finishStage(cut, "{}");
        assertEquals(List.of(id), matching(wf, "metrics.selected.kappa > 0.5"), "once resumed and finished");
    }

    @Test
    void aStepBegunAfterTheChecksStopsTheDeletion() {
        RunEntity r = runs.createRun("stepping", "del", "/d.yaml", "name: del\n");
        runs.finishRun(r.id, RunEntity.Status.INTERRUPTED, "stopped");
        RunEntity seen = runs.findRun(r.id).orElseThrow();
        runs.beginStage(r.id, "ingest", 0, 1, ""); // a resume --only-stage began a step after the checks read none
        dev.sift.SiftException e = assertThrows(dev.sift.SiftException.class, () -> removal.delete(List.of(seen),
                Map.of(r.id, List.of())));
        assertEquals(dev.sift.ExitCodes.BUSY, e.exitCode());
        assertTrue(runs.findRun(r.id).isPresent(), "nothing deleted");
        long step = runs.runningSteps(r.id).get(0).id;
        removal.delete(List.of(seen), Map.of(r.id, List.of(step + ":1"))); // the step the checks saw (found dead)
        assertTrue(runs.findRun(r.id).isEmpty());
    }

    @Test
    void whereReadsTheRunsOwnName() throws Exception {
        String wf = "named-" + System.nanoTime();
        long nightly = runs.createRun("nightly", wf, "/n.yaml", "name: n").id;
        long other = runs.createRun(wf, wf, "/n.yaml", "name: n").id;
        assertEquals(List.of(nightly), matching(wf, "name = 'nightly'"));
        assertEquals(List.of(other), matching(wf, "name != 'nightly'"));
        InJvm.Out r = sift("runs", "list", "--workflow", wf, "--order-by", "name", "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals(other, JSON.readTree(r.out()).get(0).get("id").asLong(), "'named-...' sorts before 'nightly'");
    }

    private List<Long> matching(String workflow, String where) throws Exception {
        InJvm.Out r = sift("runs", "list", "--workflow", workflow, "--where", where, "--format", "json");
        assertEquals(0, r.code(), r.err());
        List<Long> ids = new ArrayList<>();
        JSON.readTree(r.out()).forEach(n -> ids.add(n.get("id").asLong()));
        return ids;
    }

    @Test
    void benchHistoryNeedsTheDatabaseAndItsHelpDoesNot() {
        assertTrue(SiftMain.needsDatabase(new String[] {"bench", "history", "--runs", "100"}));
        assertTrue(SiftMain.needsDatabase(new String[] {"runs", "compare", "1", "2"}));
        assertFalse(SiftMain.needsDatabase(new String[] {"bench", "grand"}));
        assertFalse(SiftMain.needsDatabase(new String[] {"bench", "history", "--help"}));
        assertTrue(SiftMain.needsDatabase(new String[] {"report", "1", "--out", "r.html"}));
        assertTrue(SiftMain.needsDatabase(new String[] {"serve", "--port", "8080"}));
        assertFalse(SiftMain.needsDatabase(new String[] {"serve", "--help"}));
    }

    /** A probe's: an error quoting a value with a newline ran over two lines, an escape sequence reached the screen. */
    @Test
    void anErrorThatQuotesControlCharactersIsOneVisibleLine() {
        InJvm.Out status = sift("runs", "list", "--status", "a\nb\u001b]0;PWN\u0007");
        assertEquals(2, status.code());
        assertEquals(1, status.err().strip().lines().count(), status.err());
        assertTrue(status.err().contains("a\\nb\\u001B]0;PWN\\u0007"), status.err());
        InJvm.Out set = sift("validate", "workflows/quickstart.yaml", "--set", "filter.by=lo\nss");
        assertEquals(2, set.code());
        assertEquals(1, set.err().strip().lines().count(), set.err());
        assertTrue(set.err().contains("lo\\nss"), set.err());
        // runs explain's texts: one line, at most 2,000 characters (a 100 KB title was one line of it)
        assertEquals("x\\ty" + "z".repeat(1997) + "... (2003 characters; --format json gives it whole)",
                RunsCommand.Explain.shown("x\ty" + "z".repeat(2000)));
        // counted and cut by characters, never inside a pair of surrogates or an escape (a review's)
        String emoji = "\uD83D\uDE00".repeat(2001);
        assertEquals("\uD83D\uDE00".repeat(2000) + "... (2001 characters; --format json gives it whole)",
                RunsCommand.Explain.shown(emoji));
    }

    @Test
    void compareHelpSaysWhatBestMeans() {
        InJvm.Out help = sift("runs", "compare", "--help");
        assertEquals(0, help.code());
        String flat = help.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("best: each run's iteration whose kept subset has the highest test kappa (NDCG@k for "
                + "regression), so best is chosen on the test split"), help.out());
        assertTrue(flat.contains("95% paired bootstrap interval"), help.out());
        assertFalse(help.err().contains("Could not format"), help.err());
    }

    @Test
    void benchHistoryRunsOnAFewRunsAndCleansUp() throws Exception {
        InJvm.Out r = sift("bench", "history", "--runs", "30", "--repeats", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("runs compare (10 runs)") && r.out().contains("report RUN --compare (3 runs)")
                && r.out().contains("deleted the generated runs"), r.out());
        try (Connection c = dataSource.get().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM run WHERE workflow = ?")) {
            ps.setString(1, HistoryBenchmark.WORKFLOW);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1));
            }
        }
    }
}
