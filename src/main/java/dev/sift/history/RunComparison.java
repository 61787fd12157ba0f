package dev.sift.history;

import dev.sift.SiftException;
import dev.sift.evaluation.Protocol;
import dev.sift.store.HistoryStore;
import dev.sift.store.HistoryStore.MetricRow;
import dev.sift.store.MetricStore;
import dev.sift.store.NoiseRecovery;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.workflow.WorkflowParams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code runs compare}: runs side by side. Their resolved parameters; their test metrics (means over seeds) per
 * iteration and subset with each run's difference from the first; the kept subset's difference from random
 * with its paired bootstrap interval, where the runs stored one; and on request those differences pooled over the
 * runs ({@link PooledRuns}).
 */
@ApplicationScoped
public class RunComparison {
    /** Where no iteration is chosen: every iteration, row by row. */
    public static final String ALL = "all";

    @Inject
    RunStore runs;
    @Inject
    HistoryStore store;
    @Inject
    RunParams params;

    /**
     * The compared runs, their parameters, metrics and kept-vs-random intervals; {@code pooled}: the differences
     * pooled over the runs ({@link PooledRuns}), or null when not asked for.
     */
    public record Result(Table runs, Table parameters, Table metrics, Table intervals, int parametersDiffering,
            int parametersTotal, String note, Table pooled) {
    }

    /** Why some deltas are left out: runs of another task type than the first, or "" when all are of one. */
    static String taskNote(List<Long> ids, Map<Long, String> types) {
        List<String> other = ids.stream().filter(id -> !Objects.equals(types.get(id), types.get(ids.get(0))))
                .map(id -> "run " + id + " (" + types.get(id) + ")").toList();
        return other.isEmpty() ? "" : "no delta for " + String.join(", ", other) + ": " + (other.size() == 1 ? "its"
                : "their") + " task type is not run " + ids.get(0) + "'s (" + types.get(ids.get(0)) + "), so "
                + (other.size() == 1 ? "its" : "their") + " metrics are measured on another kind of test set";
    }

    /** Metrics of one run: iteration -> subset -> name -> value. */
    private static final class RunMetrics extends TreeMap<Integer, Map<String, Map<String, Double>>> {
    }

    /** A usage error when a run is named twice. */
    public static void checkDistinct(List<Long> ids) {
        if (new HashSet<>(ids).size() != ids.size()) {
            throw SiftException.usage("runs compare: a run is named twice");
        }
    }

    /**
     * @param iteration {@link #ALL}, {@code last} (each run's last iteration with test metrics), {@code best} (each
     *     run's iteration whose kept subset has the highest kappa, NDCG@k for regression) or a number
     */
    public Result compare(List<Long> ids, boolean onlyChanged, String iteration) {
        return compare(ids, onlyChanged, iteration, false);
    }

    /** As {@link #compare(List, boolean, String)}, with the differences pooled over the runs when {@code pooled}. */
    public Result compare(List<Long> ids, boolean onlyChanged, String iteration, boolean pooled) {
        checkDistinct(ids);
        if (pooled && (iteration.equals(ALL) || iteration.equals("best"))) {
            throw SiftException.usage("runs compare --pooled reads one iteration of every run: --iteration K or last "
                    + "(best picks each run's iteration on the test split, which would bias what is pooled)");
        }
        Map<Long, RunEntity> found = new HashMap<>();
        runs.findRuns(ids).forEach(r -> found.put(r.id, r));
        for (Long id : ids) {
            if (!found.containsKey(id)) {
                throw SiftException.usage("no run with id " + id);
            }
        }
        Map<Long, RunMetrics> metrics = testMetrics(ids);
        Map<Long, Integer> chosen = new LinkedHashMap<>();
        if (!iteration.equals(ALL)) {
            ids.forEach(id -> chosen.put(id, choose(metrics.get(id), iteration)));
            if (iteration.matches("\\d+") && chosen.values().stream().allMatch(Objects::isNull)) {
                throw SiftException.usage("--iteration " + iteration + ": none of the runs has test metrics in "
                        + "iteration " + iteration + " (they have " + iterationsHeld(metrics) + ")");
            }
        }
        Table runTable = new Table(List.of("run", "name", "workflow", "status", "created", "iteration"))
                .whole("workflow");
        for (Long id : ids) {
            RunEntity r = found.get(id);
            runTable.add(id, r.name, r.workflow, r.status.name(), r.createdAt.toString().substring(0, 19) + "Z",
                    iteration.equals(ALL) ? ALL : chosen.get(id) == null
                            ? new Table.Noted(null, unchosen(metrics.get(id), iteration)) : (Object) chosen.get(id));
        }
        Map<Long, SortedMap<String, Object>> ps = params.of(ids);
        TreeSet<String> keys = new TreeSet<>();
        ps.values().forEach(m -> keys.addAll(m.keySet()));
        List<String> cols = new ArrayList<>(List.of("key"));
        ids.forEach(id -> cols.add("run " + id));
        Table paramTable = new Table(cols);
        int differing = 0;
        for (String k : keys) {
            // a key a run does not read (a pretrained encoder's buckets, kept by runs stored before such keys were
            // left out) is no difference
            boolean differs = ids.stream().map(id -> ps.getOrDefault(id, new TreeMap<>())).map(m -> WorkflowParams
                    .reads(m, k) ? m.get(k) : null).distinct().count() > 1;
            differing += differs ? 1 : 0;
            if (differs || !onlyChanged) {
                List<Object> row = new ArrayList<>(List.of(k));
                ids.forEach(id -> row.add(Table.exact(ps.getOrDefault(id, new TreeMap<>()).get(k))));
                paramTable.add(row.toArray());
            }
        }
        Map<Long, String> types = taskTypes(ids, ps);
        if (pooled && new HashSet<>(types.values()).size() > 1) {
            throw SiftException.usage("runs compare --pooled pools runs of one task type; these are " + ids.stream()
                    .map(id -> "run " + id + " " + types.get(id)).collect(Collectors.joining(", ")));
        }
        return new Result(runTable, paramTable, metricTable(ids, metrics, chosen, types),
                intervals(ids, chosen, ps), differing, keys.size(), taskNote(ids, types),
                pooled ? pooledTable(ids, metrics, chosen) : null);
    }

    /** Every run's task type; a run whose stored parameters lack it (from a YAML that left it out) is graded. */
    private static Map<Long, String> taskTypes(List<Long> ids, Map<Long, SortedMap<String, Object>> ps) {
        Map<Long, String> types = new HashMap<>();
        ids.forEach(id -> types.put(id, String.valueOf(ps.getOrDefault(id, new TreeMap<>()).getOrDefault("task.type",
                "graded"))));
        return types;
    }

    /** Every run's test metrics (means over seeds), by iteration and subset. */
    private Map<Long, RunMetrics> testMetrics(List<Long> ids) {
        Map<Long, RunMetrics> metrics = new LinkedHashMap<>();
        ids.forEach(id -> metrics.put(id, new RunMetrics()));
        for (MetricRow m : store.testMetrics(ids)) {
            metrics.get(m.runId()).computeIfAbsent(m.iteration(), k -> new TreeMap<>())
                    .computeIfAbsent(m.subset(), k -> new TreeMap<>()).put(m.name(), m.value());
        }
        return metrics;
    }

    /**
     * Why a run has no iteration for {@code --iteration}: no test metrics, or (for {@code best}) metrics whose kappa or
     * NDCG is undefined in every iteration (a probe's run whose test labels were all one grade was said to have none).
     */
    private static String unchosen(RunMetrics m, String iteration) {
        boolean undefined = iteration.equals("best") && m != null && m.values().stream().map(i -> i.get("selected"))
                .anyMatch(sel -> sel != null && sel.entrySet().stream().anyMatch(x -> (x.getKey().equals("kappa")
                        || x.getKey().startsWith("ndcg@") && !x.getKey().endsWith("_sd")) && x.getValue() != null
                        && x.getValue().isNaN()));
        return undefined ? "no best: the kept subset's kappa (NDCG@k for regression) is undefined in every iteration"
                : "no test metrics";
    }

    private static String iterationsHeld(Map<Long, RunMetrics> metrics) {
        TreeSet<Integer> held = new TreeSet<>();
        metrics.values().forEach(m -> held.addAll(m.keySet()));
        return held.isEmpty() ? "none" : held.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** The iteration a run's metrics are read from: null when it has none such. */
    static Integer choose(TreeMap<Integer, Map<String, Map<String, Double>>> m, String iteration) {
        if (iteration.equals("last")) {
            return m.isEmpty() ? null : m.lastKey();
        }
        if (iteration.equals("best")) {
            Integer best = null;
            double top = Double.NEGATIVE_INFINITY;
            for (var e : m.entrySet()) {
                Map<String, Double> sel = e.getValue().get("selected");
                Double v = sel == null ? null : sel.containsKey("kappa") ? sel.get("kappa")
                        : sel.entrySet().stream().filter(x -> x.getKey().startsWith("ndcg@") && !x.getKey()
                                .endsWith("_sd")).map(Map.Entry::getValue).findFirst().orElse(null);
                if (v != null && v > top) {
                    top = v;
                    best = e.getKey();
                }
            }
            return best;
        }
        int k = Integer.parseInt(iteration);
        return m.containsKey(k) ? k : null;
    }

    private static Table metricTable(List<Long> ids, Map<Long, RunMetrics> metrics, Map<Long, Integer> chosen,
            Map<Long, String> types) {
        boolean all = chosen.isEmpty();
        List<String> cols = new ArrayList<>(all ? List.of("iteration", "subset", "metric")
                : List.of("subset", "metric"));
        for (int i = 0; i < ids.size(); i++) {
            cols.add("run " + ids.get(i));
            if (i > 0) {
                cols.add("delta " + ids.get(i));
            }
        }
        Table t = new Table(cols);
        TreeSet<String> rows = new TreeSet<>();
        for (Long id : ids) {
            if (all) {
                metrics.get(id).forEach((k, subsets) -> subsets.forEach((subset, names) -> names.keySet().forEach(
                        n -> rows.add(String.format("%06d", k) + "|" + order(subset) + "|" + subset + "|" + n))));
            } else {
                at(metrics.get(id), chosen.get(id)).forEach((subset, names) -> names.keySet().forEach(
                        n -> rows.add("|" + order(subset) + "|" + subset + "|" + n)));
            }
        }
        for (String key : rows) {
            String[] p = key.split("\\|", -1);
            List<Object> row = new ArrayList<>();
            if (all) {
                row.add(Integer.parseInt(p[0]));
            }
            row.add(p[2]);
            row.add(p[3]);
            Double first = null;
            for (int i = 0; i < ids.size(); i++) {
                Map<String, Double> names = all
                        ? metrics.get(ids.get(i)).getOrDefault(Integer.valueOf(p[0]), Map.of()).get(p[2])
                        : at(metrics.get(ids.get(i)), chosen.get(ids.get(i))).get(p[2]);
                Double v = names == null ? null : names.get(p[3]);
                row.add(Protocol.asCount(p[3], v));
                if (i == 0) {
                    first = v;
                } else if (!Objects.equals(types.get(ids.get(i)), types.get(ids.get(0)))) {
                    row.add(v == null || first == null ? null : new Table.Noted(null, "other task"));
                } else {
                    row.add(v == null || first == null ? null : Protocol.asCount(p[3], v - first));
                }
            }
            t.add(row.toArray());
        }
        return t;
    }

    /**
     * The subsets of iteration {@code k}, and the full model's (with its clean reference) and the free baselines'
     * from the latest earlier iteration that stored them: they are measured in iteration 1 only, and stay the same.
     */
    private static Map<String, Map<String, Double>> at(RunMetrics m, Integer k) {
        if (k == null) {
            return Map.of();
        }
        Map<String, Map<String, Double>> out = new TreeMap<>(m.getOrDefault(k, Map.of()));
        for (String fixed : List.of("full", "full-clean", "majority", "zero-shot")) {
            if (!out.containsKey(fixed)) {
                m.headMap(k, true).descendingMap().values().stream().map(s -> s.get(fixed)).filter(Objects::nonNull)
                        .findFirst().ifPresent(names -> out.put(fixed, names));
            }
        }
        return out;
    }

    /** Metrics pooled over runs: not the spreads, sizes, times and thresholds stored beside them. */
    private static boolean pooledMetric(String name) {
        return !name.endsWith("_sd") && !name.endsWith("_queries") && !List.of("train_size", "train_seconds", "seeds",
                "threshold").contains(name);
    }

    /**
     * Per metric of the kept subset: kept minus every other subset the runs have (random, full, the free baselines),
     * and where the runs knew their injected noise, full - full-clean and the share of that cost won back, pooled over
     * the runs at each run's chosen iteration.
     */
    private static Table pooledTable(List<Long> ids, Map<Long, RunMetrics> metrics, Map<Long, Integer> chosen) {
        Table t = new Table(List.of("metric", "compared", "runs", "value", "ci_low", "ci_high", "excludes_0",
                "above_level_below"));
        TreeSet<String> names = new TreeSet<>();
        // random first (the control every claim is measured against), then as runs show sorts the subsets
        TreeSet<String> others = new TreeSet<>(Comparator.<String>comparingInt(x -> x.equals("random") ? -1
                : order(x)).thenComparing(x -> x));
        for (Long id : ids) {
            Map<String, Map<String, Double>> s = at(metrics.get(id), chosen.get(id));
            names.addAll(s.getOrDefault("selected", Map.of()).keySet());
            others.addAll(s.keySet());
        }
        others.removeAll(List.of("selected", NoiseRecovery.CLEAN));
        for (String name : names.stream().filter(RunComparison::pooledMetric).toList()) {
            List<PooledRuns.RunValues> values = new ArrayList<>();
            for (Long id : ids) {
                Map<String, Double> bySubset = new HashMap<>();
                at(metrics.get(id), chosen.get(id)).forEach((subset, m) -> {
                    if (m.get(name) != null) {
                        bySubset.put(subset, m.get(name));
                    }
                });
                if (bySubset.containsKey("selected")) {
                    values.add(new PooledRuns.RunValues(bySubset));
                }
            }
            for (String b : others) {
                pooledRow(t, name, "kept - " + b, PooledRuns.difference(values, "selected", b));
            }
            pooledRow(t, name, "full - full-clean", PooledRuns.noiseCost(values));
            pooledRow(t, name, "recovered share", PooledRuns.recovered(values, Protocol.lowerIsBetter(name)));
        }
        return t;
    }

    private static void pooledRow(Table t, String name, String compared, PooledRuns.Pooled p) {
        if (p.runs() > 0) {
            boolean share = p.above() < 0; // a share is not a difference: no sign count, no test of 0
            t.add(name, compared, p.runs(), p.note() != null ? new Table.Noted(null, p.note()) : Table.end(p.value()),
                    Table.end(p.lo()), Table.end(p.hi()), share ? new Table.YesNo(null)
                            : Table.YesNo.excludesZero(p.lo(), p.hi()),
                    share ? null : p.above() + " / " + p.level() + " / " + p.below());
        }
    }

    /** Sorts the subsets as runs show does: full (and its clean reference), selected, random, baselines, the rest. */
    private static int order(String subset) {
        int i = List.of("full", "full-clean", "selected", "random", "random-train", "majority", "zero-shot")
                .indexOf(subset);
        return i < 0 ? 9 : i;
    }

    /** What the intervals resample, as RunHistory#units says per run: queries, users, or both when the runs mix them. */
    private static String units(List<Long> ids, Map<Long, SortedMap<String, Object>> ps) {
        Set<String> units = new TreeSet<>();
        ids.forEach(id -> units.add(RunHistory.units(ps.getOrDefault(id, new TreeMap<>()))));
        return String.join("_or_", units);
    }

    /**
     * @param ps the runs' parameters: {@code seeds_drawn} says whether a run's resamples drew its training seeds too
     *     ({@code evaluate.bootstrap_seeds}; runs from before stop 38 have no such key and drew test units only)
     */
    private Table intervals(List<Long> ids, Map<Long, Integer> chosen, Map<Long, SortedMap<String, Object>> ps) {
        Table t = new Table(List.of("run", "iteration", "metric", "delta", "ci_low", "ci_high", "excludes_0", "seeds",
                "seeds_drawn", units(ids, ps)));
        Map<Long, List<MetricStore.Comparison>> byRun = store.comparisons(ids, "selected", "random");
        for (Long id : ids) {
            for (MetricStore.Comparison c : byRun.getOrDefault(id, List.of())) {
                if (chosen.isEmpty() || Objects.equals(chosen.get(id), c.iteration())) {
                    boolean drawn = "true".equals(ps.getOrDefault(id, new TreeMap<>()).get("evaluate.bootstrap_seeds"));
                    // no interval (too few test units): no seeds were drawn either (a probe's "yes" there)
                    Boolean seedsDrawn = Double.isNaN(c.lo()) ? null : drawn && c.seeds() > 1;
                    t.add(id, c.iteration(), c.metric(), c.delta(), Table.end(c.lo()), Table.end(c.hi()),
                            Table.YesNo.excludesZero(c.lo(), c.hi()), c.seeds(), new Table.YesNo(seedsDrawn),
                            c.queries());
                }
            }
        }
        return t;
    }
}
