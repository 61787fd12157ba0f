package dev.sift.history;

import dev.sift.SiftException;
import dev.sift.data.Sample;
import dev.sift.history.ReportCharts.Interval;
import dev.sift.history.ReportCharts.Line;
import dev.sift.history.ReportView.Block;
import dev.sift.history.ReportView.Cell;
import dev.sift.history.ReportView.Row;
import dev.sift.history.ReportView.RunHeader;
import dev.sift.history.ReportView.Section;
import dev.sift.history.ReportView.TableView;
import dev.sift.store.IterationEntity;
import dev.sift.store.MetricEntity;
import dev.sift.store.MetricStore;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * {@code sift report}: one run, and optionally others beside it, as one self-contained HTML page ({@link ReportPage}):
 * resolved parameters (those that differ highlighted), test metrics per iteration and subset with their standard
 * deviation over seeds and the stored bootstrap intervals, the kept-fraction and per-iteration curves (kept vs
 * random vs full) overlaid across the runs, a histogram of each method's scores with the known-noisy samples apart,
 * the lineage, and the most and least valuable samples with their explanation. The report server renders the same.
 */
@ApplicationScoped
public class RunReport {
    /** Metrics drawn as curves, in this order, when a run has them. */
    private static final List<String> HEADLINE = List.of("kappa", "ndcg@", "mrr", "accuracy", "rmse", "f1", "auc");

    @Inject
    RunStore runs;
    @Inject
    RunHistory history;
    @Inject
    RunComparison comparison;
    @Inject
    MetricStore metricStore;
    @Inject
    ReportSamples sampleParts;
    @Inject
    ReportPage page;
    @Inject
    MethodAgreement agreement;

    /** The report of {@code runId} beside {@code compare} (may be empty), as HTML. */
    public String html(long runId, List<Long> compare) {
        return page.render(view(runId, compare, null));
    }

    /** The same with each run linked to {@code link.apply(id)} (the server's pages). */
    public String html(long runId, List<Long> compare, LongFunction<String> link) {
        return page.render(view(runId, compare, link));
    }

    /** What the page shows. */
    public ReportView view(long runId, List<Long> compare, LongFunction<String> link) {
        List<Long> ids = new ArrayList<>();
        ids.add(runId);
        for (Long c : compare) {
            if (ids.contains(c)) {
                throw SiftException.usage("report: run " + c + " is named twice");
            }
            ids.add(c);
        }
        Map<Long, RunEntity> found = new LinkedHashMap<>();
        for (Long id : ids) {
            found.put(id, runs.require(id));
        }
        RunComparison.Result cmp = comparison.compare(ids, false, RunComparison.ALL);
        Map<Long, List<MetricEntity>> tests = new LinkedHashMap<>();
        ids.forEach(id -> tests.put(id, runs.metrics(id).stream().filter(m -> m.split.equals("test")).toList()));
        List<String> headline = headline(tests);
        List<Section> sections = new ArrayList<>();
        sections.add(parameters(cmp, ids.size()));
        sections.add(metrics(ids, cmp, headline));
        sections.add(curves(ids, tests, headline));
        RunEntity main = found.get(runId);
        List<IterationEntity> iterations = runs.iterations(runId);
        sections.add(lineage(ids));
        sections.addAll(sampleSections(main, iterations));
        List<RunHeader> headers = new ArrayList<>();
        // a run whose process is gone says so, as runs list does
        found.values().forEach(r -> headers.add(new RunHeader(r.id, r.name, r.workflow,
                dev.sift.store.RunStore.statusText(r), String.valueOf(r.createdAt),
                r.finishedAt == null ? "" : r.finishedAt.toString(),
                r.error == null ? "" : r.error, link == null ? null : link.apply(r.id))));
        String title = "Sift report: run " + runId + (compare.isEmpty() ? "" : " compared with run"
                + (compare.size() > 1 ? "s " : " ") + String.join(", ", compare.stream().map(String::valueOf)
                        .toList()));
        return new ReportView(title, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), headers, sections,
                ReportPage.script());
    }

    /** The metrics drawn and charted: of {@link #HEADLINE}, those some run has on its test split. */
    private static List<String> headline(Map<Long, List<MetricEntity>> tests) {
        Set<String> names = new java.util.TreeSet<>();
        tests.values().forEach(ms -> ms.forEach(m -> names.add(m.name)));
        List<String> out = new ArrayList<>();
        for (String h : HEADLINE) {
            names.stream().filter(n -> h.endsWith("@") ? n.startsWith(h) && !n.endsWith("_sd") : n.equals(h))
                    .findFirst().ifPresent(out::add);
        }
        return out;
    }

    private static Section parameters(RunComparison.Result cmp, int runCount) {
        List<Row> rows = new ArrayList<>();
        List<Row> same = new ArrayList<>();
        for (List<Object> r : cmp.parameters().rows()) {
            boolean differs = r.subList(1, r.size()).stream().map(String::valueOf).distinct().count() > 1;
            (differs ? rows : same).add(Row.of(r, differs));
        }
        rows.addAll(same);
        String note = runCount == 1 ? "The run's resolved workflow parameters (defaults included), by flattened key."
                : "Resolved workflow parameters side by side; the " + cmp.parametersDiffering() + " of "
                        + cmp.parametersTotal() + " that differ between the runs come first, highlighted.";
        return new Section("parameters", "Parameters", note,
                List.of(Block.of(new TableView("table-parameters", cmp.parameters().columns(), rows))));
    }

    private Section metrics(List<Long> ids, RunComparison.Result cmp, List<String> headline) {
        List<Block> blocks = new ArrayList<>();
        for (Long id : ids) {
            Table m = history.metrics(id);
            if (m.size() == 0) {
                blocks.add(Block.text("Run " + id + ": no test metrics stored (its evaluate stage has not finished; "
                        + "runs show " + id + " gives its stages)."));
                continue;
            }
            blocks.add(Block.text("Run " + id + ": test metrics, mean ± standard deviation over the training seeds."));
            blocks.add(Block.of(meanSd("table-metrics-run-" + id, m)));
        }
        Map<String, List<Interval>> intervals = new java.util.LinkedHashMap<>();
        String key = headline.isEmpty() ? null : headline.get(0);
        for (Long id : ids) {
            Table c = history.comparisons(id);
            if (c.size() > 0) {
                blocks.add(Block.text("Run " + id + ": the kept subset (and full) against the others, and random "
                        + "against full, the difference of seed means with its paired per-" + history.unit(id)
                        + " bootstrap 95% interval."));
                blocks.add(Block.of(TableView.of("table-comparisons-run-" + id, c)));
                history.headroom(id).forEach(line -> blocks.add(Block.text(line.trim())));
            }
            // each run on its own headline metric (kappa, NDCG for regression): runs of different tasks compared in
            // one report get a chart each, none left out
            List<MetricStore.Comparison> kept = metricStore.comparisons(id).stream()
                    .filter(x -> x.subset().equals("selected")).toList();
            String own = headline.stream().filter(h -> kept.stream().anyMatch(x -> x.metric().equals(h))).findFirst()
                    .orElse(key);
            for (MetricStore.Comparison x : kept) {
                if (x.metric().equals(own)) {
                    intervals.computeIfAbsent(own, k -> new ArrayList<>()).add(new Interval((ids.size() > 1 ? "run "
                            + id + " " : "") + "it " + x.iteration() + " vs " + x.baseline(), x.delta(), x.lo(),
                            x.hi()));
                }
            }
        }
        intervals.forEach((metric, points) -> blocks.add(Block.of(ReportCharts.intervals(ReportCharts.id("intervals",
                metric), "kept minus each baseline: " + metric + " (box: 95% interval, line: difference)", metric
                + " difference", points))));
        if (ids.size() > 1) {
            blocks.add(Block.text("Test metrics side by side (delta N: run N minus run " + ids.get(0) + ")."));
            blocks.add(Block.of(TableView.of("table-metrics-compared", cmp.metrics())));
        }
        return new Section("metrics", "Metrics", null, blocks);
    }

    /** A metrics table with each {@code X} and {@code X_sd} pair shown as one "mean ± sd" cell. */
    static TableView meanSd(String id, Table t) {
        List<String> cols = t.columns();
        List<String> shown = new ArrayList<>();
        for (String c : cols) {
            if (!c.endsWith("_sd")) { // ndcg_queries too: how many test queries NDCG and MRR rest on (0: undefined)
                shown.add(c);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (List<Object> r : t.rows()) {
            List<Cell> cells = new ArrayList<>();
            for (String c : shown) {
                Object v = r.get(cols.indexOf(c));
                int sd = cols.indexOf(c + "_sd");
                Object s = sd < 0 ? null : r.get(sd);
                String text = v instanceof Double d && d.isNaN() ? "undefined" // no test query informs it
                        : Table.cell((c.equals("seeds") || c.equals("ndcg_queries")) && v instanceof Double d
                                ? (Object) Math.round(d) : v)
                        + (s == null || s instanceof Double d && d.isNaN() ? "" : " ± " + Table.cell(s));
                cells.add(new Cell(text, v instanceof Number, null));
            }
            rows.add(new Row(cells, false));
        }
        return new TableView(id, shown, rows);
    }

    private Section curves(List<Long> ids, Map<Long, List<MetricEntity>> tests, List<String> headline) {
        List<Block> blocks = new ArrayList<>();
        String prefix = ids.size() > 1 ? "run %d " : "";
        for (String m : headline) {
            List<Line> lines = new ArrayList<>();
            for (Long id : ids) {
                lines.addAll(iterationLines(String.format(prefix, id), tests.get(id), m));
            }
            List<Line> shown = finite(lines);
            blocks.add(shown.isEmpty() ? noChart(m) : Block.of(ReportCharts.lines(ReportCharts.id("iterations", m),
                    "iterations", m + " by training-set size over the iterations: kept vs random vs full",
                    "training set (fraction of the full training split)", m, shown)));
        }
        Map<Long, List<MetricStore.CurvePoint>> curves = new LinkedHashMap<>();
        ids.forEach(id -> curves.put(id, metricStore.curve(id)));
        if (curves.values().stream().anyMatch(c -> !c.isEmpty())) {
            for (String m : headline) {
                List<Line> lines = new ArrayList<>();
                for (Long id : ids) {
                    lines.addAll(curveLines(String.format(prefix, id), curves.get(id), tests.get(id), m));
                }
                List<Line> shown = finite(lines);
                blocks.add(shown.isEmpty() ? noChart(m) : Block.of(ReportCharts.lines(ReportCharts.id("curve", m),
                        "curve", m + " by kept fraction (evaluate.curve): each method kept from either end vs random "
                        + "vs full", "kept fraction", m, shown)));
            }
            for (Long id : ids) {
                if (!curves.get(id).isEmpty()) {
                    blocks.add(Block.text("Run " + id + ": kept-fraction curve points, each with its difference from "
                            + "random at the same fraction."));
                    blocks.add(Block.of(TableView.of("table-curve-run-" + id, history.curve(id))));
                }
            }
        } else {
            blocks.add(Block.text("No kept-fraction curve: the runs set no evaluate.curve fractions."));
        }
        return new Section("curves", "Pruning curves", "Selected (kept) vs random at the same size vs the full "
                + "training split, on the test split (means over seeds).", blocks);
    }

    /** The lines' points with a defined value (NDCG, MRR: NaN where no test query informs them); no empty line. */
    private static List<Line> finite(List<Line> lines) {
        return lines.stream().map(l -> new Line(l.name(), l.points().stream().filter(p -> Double.isFinite(p[1]))
                .toList(), l.dash())).filter(l -> !l.points().isEmpty()).toList();
    }

    /** Said in place of a chart with no defined point (a probe's report drew axes and a legend and nothing else). */
    private static Block noChart(String metric) {
        return Block.text("No chart of " + metric + ": it is undefined on the test split of every run shown (no test "
                + "query informs it; see ndcg_queries).");
    }

    /** Kept, random and full over the iterations, x = training-set size over the full training split's size. */
    private static List<Line> iterationLines(String prefix, List<MetricEntity> tests, String metric) {
        Map<Integer, Map<String, Map<String, Double>>> byIt = new TreeMap<>();
        tests.stream().filter(m -> m.seed == null).forEach(m -> byIt.computeIfAbsent(m.iteration, k -> new TreeMap<>())
                .computeIfAbsent(m.subset, k -> new TreeMap<>()).put(m.name, m.value));
        double full = byIt.values().stream().map(s -> s.get("full")).filter(f -> f != null && f.containsKey(
                "train_size")).mapToDouble(f -> f.get("train_size")).findFirst().orElse(Double.NaN);
        double denominator = Double.isNaN(full) ? tests.stream().filter(m -> m.name.equals("train_size"))
                .mapToDouble(m -> m.value).max().orElse(1) : full;
        List<Line> out = new ArrayList<>();
        for (String subset : List.of("selected", "random", "full")) {
            List<double[]> pts = new ArrayList<>();
            byIt.values().forEach(s -> {
                Map<String, Double> v = s.get(subset);
                if (v != null && v.containsKey(metric) && v.containsKey("train_size")) {
                    pts.add(new double[] {v.get("train_size") / Math.max(1, denominator), v.get(metric)});
                }
            });
            if (!pts.isEmpty()) {
                out.add(new Line(prefix + (subset.equals("selected") ? "kept" : subset), pts, dash(subset)));
            }
        }
        return out;
    }

    /** Each curve subset's points, random at the same fractions, and the full set as a level line. */
    private static List<Line> curveLines(String prefix, List<MetricStore.CurvePoint> points, List<MetricEntity> tests,
            String metric) {
        Map<String, List<double[]>> bySubset = new TreeMap<>();
        for (MetricStore.CurvePoint p : points) {
            Double v = p.metrics().get(metric);
            if (v != null) {
                bySubset.computeIfAbsent(p.subset(), k -> new ArrayList<>()).add(new double[] {p.fraction(), v});
            }
        }
        List<Line> out = new ArrayList<>();
        if (bySubset.isEmpty()) {
            return out;
        }
        bySubset.forEach((s, pts) -> out.add(new Line(prefix + s, pts, dash(s))));
        tests.stream().filter(m -> m.seed == null && m.subset.equals("full") && m.name.equals(metric)).findFirst()
                .ifPresent(f -> out.add(new Line(prefix + "full", List.of(new double[] {0, f.value},
                        new double[] {1, f.value}), "dotted")));
        return out;
    }

    private static String dash(String subset) {
        return subset.startsWith("random") ? "dashed" : subset.equals("full") ? "dotted" : "solid";
    }

    private Section lineage(List<Long> ids) {
        List<Block> blocks = new ArrayList<>();
        for (Long id : ids) {
            List<IterationEntity> its = runs.iterations(id);
            if (its.isEmpty()) {
                blocks.add(Block.text("Run " + id + " has no filtered iteration."));
                continue;
            }
            blocks.add(Block.text("Run " + id + ":"));
            blocks.add(Block.of(TableView.of("table-lineage-run-" + id, history.lineage(id))));
            long[] kept = its.stream().mapToLong(i -> i.keptSize).toArray();
            long[] left = its.stream().mapToLong(i -> i.poolSize - i.keptSize).toArray();
            blocks.add(Block.of(ReportCharts.lineage(ReportCharts.id("lineage", "run", Long.toString(id)), "run " + id
                    + ": kept and left per iteration", its.stream().map(i -> "iteration " + i.k).toList(), kept,
                    left)));
        }
        return new Section("lineage", "Lineage", "Per iteration: the set it filtered (its parent iteration's kept "
                + "subset, or the training split), method, order and policy, how many it kept and how many left "
                + "(sift runs diff-subsets lists them).", blocks);
    }

    /** Iteration 1's method agreement, or null where there is nothing to compare (one method, no removal). */
    private MethodAgreement.Result agreement(RunEntity run) {
        try {
            MethodAgreement.Result r = agreement.of(run, 1, null);
            return r.table().size() == 0 ? null : r;
        } catch (SiftException e) {
            return null;
        }
    }

    /** Score histograms, noise detection and the most and least valuable samples of the report's run. */
    private List<Section> sampleSections(RunEntity run, List<IterationEntity> iterations) {
        List<Sample> samples;
        try {
            samples = iterations.isEmpty() ? null : history.dataset(run.id);
        } catch (SiftException e) {
            String why = "Not available: " + e.getMessage() + ".";
            return List.of(new Section("scores", "Importance scores", why, List.of()),
                    new Section("samples", "Most and least valuable samples", why, List.of()));
        }
        if (samples == null) {
            String why = "Run " + run.id + " scored no samples.";
            return List.of(new Section("scores", "Importance scores", why, List.of()),
                    new Section("samples", "Most and least valuable samples", why, List.of()));
        }
        List<Block> scores = new ArrayList<>(sampleParts.histograms(run.id, iterations, samples));
        Table noise = history.noiseDetection(run.id);
        if (noise.size() > 0) {
            scores.add(Block.text("How well each method's ranking found the known-noisy labels of the pool; "
                    + "auroc_within_label: among the samples of the same given label; label_only: the baseline "
                    + "that reads only the given label, scored by its true noise share."));
            scores.add(Block.of(TableView.of("table-noise-detection", noise)));
        }
        MethodAgreement.Result agree = agreement(run);
        if (agree != null) {
            scores.add(Block.text("Whether the methods agree on what to drop, iteration 1 (sift runs agreement): "
                    + agree.note() + "."));
            scores.add(Block.of(TableView.of("table-agreement", agree.table())));
        }
        boolean marked = samples.stream().anyMatch(Sample::noisy);
        return List.of(new Section("scores", "Importance scores", "Run " + run.id + ": each method's scores per "
                + "iteration" + (marked ? "; samples whose label the data marks as corrupted (injected noise) are "
                + "stacked in red." : "."), scores),
                new Section("samples", "Most and least valuable samples", null,
                        sampleParts.valuable(run, samples, iterations.get(0).method)));
    }
}
