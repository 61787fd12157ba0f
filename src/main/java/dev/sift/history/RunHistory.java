package dev.sift.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.SiftException;
import dev.sift.data.PreparedDataset;
import dev.sift.data.Text;
import dev.sift.evaluation.Protocol;
import dev.sift.data.Sample;
import dev.sift.stage.StageOutputs.IngestOutput;
import dev.sift.store.IterationEntity;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.ScoreStore;
import dev.sift.workflow.StageJson;
import dev.sift.store.MetricEntity;
import dev.sift.store.MetricStore;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.StageRunEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Queries over past runs, shaped as tables for the terminal, CSV or JSON. */
@ApplicationScoped
public class RunHistory {
    /** Split of the metric rows that say how well each method found known-noisy labels (the score stage's). */
    private static final String NOISE_SPLIT = "pool";
    /** Comparisons of curve points name their fraction after this, e.g. {@code el2n lowest@0.5}. */
    private static final String AT = "@";

    @Inject
    RunStore runs;
    @Inject
    MetricStore metricStore;
    @Inject
    ScoreStore scores;
    @Inject
    ObjectStore objects;
    @Inject
    RunParams params;

    /** What a run's bootstrap resamples and its test metrics average over: users for recommendation, else queries. */
    public String units(long runId) {
        return units(params.of(List.of(runId)).getOrDefault(runId, new TreeMap<>()));
    }

    /** {@link #units(long)} from a run's resolved parameters. */
    static String units(Map<String, Object> runParams) {
        return "recommendation".equals(runParams.get("task.type")) ? "users" : "queries";
    }

    /**
     * The headers of a sample's two texts in this run's tables: {@code user_hash} (the keyed hash ingest stores in
     * place of a user id) and {@code item} for recommendation, {@code query} and {@code title} otherwise.
     */
    public List<String> textNames(long runId) {
        return units(runId).equals("users") ? List.of("user_hash", "item") : List.of("query", "title");
    }

    /** The unit a run's bootstrap resamples, singular: {@code user} or {@code query}. */
    public String unit(long runId) {
        return units(runId).equals("users") ? "user" : "query";
    }

    /** The title over {@link #comparisons}. */
    public String comparisonsTitle(long runId) {
        boolean room = metricStore.comparisons(runId).stream().anyMatch(dev.sift.store.Headroom::isHeadroom);
        return "kept vs others" + (room ? ", random vs full" : "") + " (paired per-" + unit(runId) + " bootstrap, "
                + "95% interval)";
    }

    public Table stages(long runId) {
        Table t = new Table(List.of("seq", "stage", "iteration", "status", "attempt", "seconds", "reused_from",
                "error")).whole("error");
        for (StageRunEntity s : runs.stages(runId)) {
            // reused_from: the run that computed this output, when the stage cache copied it here
            t.add(s.seq + 1, s.stage, s.iteration, s.status.name(), s.attempt,
                    s.durationMs == null ? null : s.durationMs / 1000.0, s.reusedFrom, s.error);
        }
        return t;
    }

    /**
     * Lineage, one row per iteration: the set it filtered (its parent iteration's kept subset, or the training
     * split), the method, order and policy that kept what, how many left, and the kept subset's digest.
     */
    public Table lineage(long runId) {
        Table t = new Table(List.of("iteration", "filtered", "method", "order", "policy", "pool", "kept", "left",
                "kept_digest"));
        for (IterationEntity it : runs.iterations(runId)) {
            String from = it.parent == null ? "?" : it.parent == 0 ? "training split" : "iteration " + it.parent;
            t.add(it.k, from, it.method, it.order == null ? "" : it.order, it.policy == null ? "" : it.policy,
                    it.poolSize, it.keptSize, it.poolSize - it.keptSize,
                    it.subsetDigest == null ? "" : new Table.Abbreviated(it.subsetDigest, 12));
        }
        return t;
    }

    /**
     * Why a finished run ran fewer iterations than its workflow asked for: the first stop reason a filter or evaluate
     * stage stored before the last iteration asked for (a pool kept whole, a stop rule met). Empty when none did, when
     * the run has not succeeded, for recommendation (one iteration, other outputs) and when the count is not stored.
     */
    public java.util.Optional<String> stopped(long runId) {
        Map<String, Object> p = params.of(List.of(runId)).getOrDefault(runId, new TreeMap<>());
        if (!(p.get("iterations") instanceof Number n) || units(p).equals("users")
                || runs.require(runId).status != RunEntity.Status.SUCCEEDED) {
            return java.util.Optional.empty();
        }
        int asked = n.intValue();
        for (StageRunEntity s : runs.stages(runId)) {
            if (s.status != RunEntity.Status.SUCCEEDED || s.outputJson == null || s.iteration >= asked) {
                continue;
            }
            String why = s.stage.equals(RunLayout.FILTER)
                    ? StageJson.read(s.outputJson, dev.sift.stage.StageOutputs.FilterOutput.class).stop()
                    : s.stage.equals(RunLayout.EVALUATE)
                    ? StageJson.read(s.outputJson, dev.sift.stage.StageOutputs.EvaluateOutput.class).stop() : null;
            if (why != null) {
                return java.util.Optional.of("iterations ended after iteration " + s.iteration + " of " + asked + ": "
                        + why);
            }
        }
        return java.util.Optional.empty();
    }

    /** One row per iteration and subset with every metric as a column (noise detection rows apart). */
    public Table metrics(long runId) {
        List<MetricEntity> ms = runs.metrics(runId).stream().filter(m -> !m.split.equals(NOISE_SPLIT)
                && !m.split.equals(MetricStore.CURVE)).toList();
        TreeSet<String> names = new TreeSet<>();
        Map<String, Map<String, Double>> byRow = new TreeMap<>();
        for (MetricEntity m : ms) {
            names.add(m.name);
            byRow.computeIfAbsent(String.format("%03d|%s|%s", m.iteration, order(m.subset), m.split),
                    k -> new TreeMap<>()).put(m.name, m.value);
        }
        List<String> metricNames = columns(names);
        // an evaluate cut short (killed, failed) has stored the subsets it finished: said, until a resume ends it
        java.util.Set<Integer> partial = runs.stages(runId).stream().filter(st -> st.stage.equals(
                RunLayout.EVALUATE) && st.status != RunEntity.Status.SUCCEEDED).map(st -> st.iteration)
                .collect(java.util.stream.Collectors.toSet());
        List<String> cols = new ArrayList<>(List.of("iteration", "subset", "split"));
        cols.addAll(metricNames);
        Table t = new Table(cols);
        for (var e : byRow.entrySet()) {
            String[] key = e.getKey().split("\\|");
            List<Object> row = new ArrayList<>();
            row.add(Integer.parseInt(key[0]));
            row.add(partial.contains(Integer.parseInt(key[0])) ? new Table.Noted(key[1].substring(2), "evaluate "
                    + "unfinished: partial") : key[1].substring(2));
            row.add(key[2]);
            metricNames.forEach(n -> row.add(Protocol.asCount(n, e.getValue().get(n))));
            t.add(row.toArray());
        }
        return t;
    }

    /** Metrics in the order the README's tables use, led by the headline ones; the rest alphabetically. */
    private static final List<String> LEADING = List.of("kappa", "accuracy", "rmse", "hr@10", "ndcg@10", "recall@20",
            "mrr", "auc", "f1");

    /**
     * The metric columns: the training set's size, then each metric followed by its {@code _sd} (headline metrics
     * first), then the counts (seeds, queries scored) and the training time. A size's sd (always 0: every seed
     * trains on the same set) is left out.
     */
    static List<String> columns(java.util.Collection<String> names) {
        List<String> means = new ArrayList<>();
        List<String> counts = new ArrayList<>();
        for (String n : new TreeSet<>(names)) {
            if (n.endsWith("_sd") || n.equals("train_size") || n.equals("train_seconds")) {
                continue;
            }
            (n.equals("seeds") || n.endsWith("_queries") || n.endsWith("_users") ? counts : means).add(n);
        }
        means.sort(java.util.Comparator.comparingInt((String n) -> LEADING.contains(n) ? LEADING.indexOf(n)
                : LEADING.size()));
        List<String> out = new ArrayList<>();
        if (names.contains("train_size")) {
            out.add("train_size");
        }
        for (String n : means) {
            out.add(n);
            if (names.contains(n + "_sd")) {
                out.add(n + "_sd");
            }
        }
        out.addAll(counts);
        List.of("train_seconds", "train_seconds_sd").stream().filter(names::contains).forEach(out::add);
        return out;
    }

    /**
     * Per iteration and importance method, how well its ranking found the pool's known-noisy labels (runs with
     * {@code dataset.noise} or a noise flag column); empty otherwise.
     */
    public Table noiseDetection(long runId) {
        Map<String, Map<String, Double>> byRow = new TreeMap<>();
        Map<String, String[]> keys = new TreeMap<>();
        for (MetricEntity m : runs.metrics(runId)) {
            if (m.split.equals(NOISE_SPLIT)) {
                String k = String.format("%03d|%s", m.iteration, m.subset);
                keys.put(k, new String[] {Integer.toString(m.iteration), m.subset});
                byRow.computeIfAbsent(k, x -> new TreeMap<>()).put(m.name, m.value);
            }
        }
        Table t = new Table(List.of("iteration", "method", "noisy", "auroc", "auprc", "f1_at_noisy",
                "auroc_within_label"));
        for (var e : byRow.entrySet()) {
            Map<String, Double> v = e.getValue();
            Double n = v.get("noise_count");
            t.add(Integer.parseInt(keys.get(e.getKey())[0]), keys.get(e.getKey())[1],
                    n == null ? null : (Object) (long) (double) n, v.get("noise_auroc"), v.get("noise_auprc"),
                    v.get("noise_f1"), v.get("noise_auroc_within"));
        }
        return t;
    }

    /**
     * The kept subset against each other model, and random against full, per iteration and metric: the difference
     * of seed means and its paired per-query bootstrap 95% interval; {@code excludes_0}: the interval leaves out 0.
     */
    public Table comparisons(long runId) {
        Table t = new Table(List.of("iteration", "subset", "baseline", "metric", "delta", "ci_low", "ci_high",
                "excludes_0", "seeds", units(runId)));
        for (MetricStore.Comparison c : metricStore.comparisons(runId)) {
            if (!c.subset().contains(AT)) {
                t.add(c.iteration(), c.subset(), c.baseline(), c.metric(), c.delta(), Table.end(c.lo()),
                        Table.end(c.hi()), Table.YesNo.excludesZero(c.lo(), c.hi()), c.seeds(), c.queries());
            }
        }
        return t;
    }

    /** The noise's cost to the full model and the kept subset's share of it, one line per metric (empty without). */
    public List<String> noiseRecovery(long runId) {
        return dev.sift.store.NoiseRecovery.lines(metricStore.comparisons(runId));
    }

    /** Per iteration, the room a subset of the kept size has ({@link dev.sift.store.Headroom}; empty without). */
    public List<String> headroom(long runId) {
        return dev.sift.store.Headroom.of(runs, metricStore, runId);
    }

    /**
     * The kept-fraction curves ({@code evaluate.curve}): per fraction, random and each method kept from each end,
     * their mean metrics, and each one's difference from random at that fraction with its interval, on the metric
     * a policy is chosen by (kappa, or NDCG for regression); empty when the run drew none.
     */
    public Table curve(long runId) {
        List<MetricStore.CurvePoint> points = metricStore.curve(runId);
        Map<String, MetricStore.Comparison> vsRandom = new HashMap<>();
        for (MetricStore.Comparison c : metricStore.comparisons(runId)) {
            if (c.subset().contains(AT)) {
                vsRandom.put(c.iteration() + "|" + c.subset() + "|" + c.metric(), c);
            }
        }
        TreeSet<String> names = new TreeSet<>();
        points.forEach(p -> p.metrics().keySet().stream().filter(n -> !n.endsWith("_sd") && !n.equals("seeds")
                && !n.equals("train_size") && !n.equals("ndcg_queries")).forEach(names::add));
        String key = names.contains("kappa") ? "kappa" : names.stream().filter(n -> n.startsWith("ndcg@"))
                .findFirst().orElse("metric"); // no curve: no metric to name (a binary run's said ndcg@10)
        List<String> cols = new ArrayList<>(List.of("iteration", "kept", "subset", "train_size"));
        cols.addAll(names);
        cols.addAll(List.of(key + " - random", "ci_low", "ci_high", "excludes_0"));
        Table t = new Table(cols);
        for (MetricStore.CurvePoint p : points) {
            List<Object> row = new ArrayList<>(List.of(p.iteration(), Table.exact(p.fraction()), p.subset(),
                    (long) (double) p.metrics().getOrDefault("train_size", 0.0)));
            names.forEach(n -> row.add(p.metrics().get(n)));
            MetricStore.Comparison c = vsRandom.get(p.iteration() + "|" + p.subset() + AT
                    + Text.plain(p.fraction()) + "|" + key);
            row.addAll(c == null ? java.util.Arrays.asList(null, null, null, null)
                    : java.util.Arrays.asList(c.delta(), Table.end(c.lo()), Table.end(c.hi()),
                            Table.YesNo.excludesZero(c.lo(), c.hi())));
            t.add(row.toArray());
        }
        return t;
    }

    private static String order(String subset) {
        return switch (subset) {
            case "full" -> "0 full";
            case "full-clean" -> "1 full-clean"; // after "0 full", before "1 selected"
            case "selected" -> "1 selected";
            case "random" -> "2 random";
            case "random-train" -> "3 random-train";
            case "majority" -> "4 majority";
            case "zero-shot" -> "5 zero-shot";
            default -> "6 " + subset;
        };
    }

    /**
     * The {@code top} samples of one method's scores in one iteration, from the highest (or lowest) end, with
     * their text and label from the prepared dataset.
     */
    public Table scores(long runId, int iteration, String method, int top, boolean highest) {
        List<ScoreStore.Row> rows = new ArrayList<>(scores.read(runId, iteration, method));
        if (rows.isEmpty()) {
            List<String> held = scores.methods(runId, iteration);
            throw SiftException.usage("run " + runId + " has no " + method + " scores in iteration " + iteration
                    + (held.isEmpty() ? " (it has no scores there)" : "; its methods there: " + String.join(", ",
                            held)));
        }
        rows.sort((a, b) -> highest ? Double.compare(b.score(), a.score()) : Double.compare(a.score(), b.score()));
        List<Sample> samples = dataset(runId);
        List<String> text = textNames(runId);
        Table t = new Table(List.of("rank", "sample", "score", "weight", "label", text.get(0), text.get(1),
                "source_line"));
        for (int i = 0; i < Math.min(top, rows.size()); i++) {
            var r = rows.get(i);
            Sample s = samples.get(r.sampleIndex());
            t.add(i + 1, r.sampleIndex(), r.score(), r.weight(), Table.exact(s.label()), s.query(), s.title(),
                    s.sourceLine());
        }
        return t;
    }

    /** The run's prepared dataset, as its ingest stage recorded it. */
    List<Sample> dataset(long runId) {
        StageRunEntity ingest = runs.findStage(runId, RunLayout.INGEST, 0).filter(s -> s.outputJson != null)
                .orElseThrow(() -> SiftException.usage("run " + runId + " has no ingested data"));
        String sha = StageJson.read(ingest.outputJson, IngestOutput.class).dataset();
        String key = RunLayout.dataset(sha);
        if (!objects.exists(key)) {
            throw SiftException.usage("run " + runId + ": its prepared dataset " + objects.uri(key) + " is missing");
        }
        PreparedDataset.Hashed read = objects.read(key, PreparedDataset::readHashed);
        if (!read.intact(sha)) {
            throw SiftException.usage("run " + runId + ": its prepared dataset " + objects.uri(key) + " is corrupt "
                    + "(its sha256 is " + read.sha256() + ")");
        }
        return read.samples();
    }

    /** The tables of {@code runs show}, by the name {@code --table} takes, in the order it prints them. */
    public static final List<String> TABLES = List.of("stages", "lineage", "metrics", "comparisons", "noise_detection",
            "curve");

    /** Every table of {@code runs show}, by name, in the order it prints them. */
    public Map<String, Table> tables(long runId) {
        Map<String, Table> out = new java.util.LinkedHashMap<>();
        TABLES.forEach(name -> out.put(name, table(runId, name)));
        return out;
    }

    /** The table of {@code runs show} that {@code name} (one of {@link #TABLES}) names. */
    public Table table(long runId, String name) {
        return switch (name) {
            case "stages" -> stages(runId);
            case "lineage" -> lineage(runId);
            case "metrics" -> metrics(runId);
            case "comparisons" -> comparisons(runId);
            case "noise_detection" -> noiseDetection(runId);
            case "curve" -> curve(runId);
            default -> throw new IllegalArgumentException("no table " + name + "; one of " + TABLES);
        };
    }

    /** The stages table as JSON, each stage with its recorded output (as the whole run's JSON has it). */
    public com.fasterxml.jackson.databind.JsonNode stagesJson(long runId) {
        return RunJson.stages(this, runs, runId);
    }

    /** {@link #showJson(RunEntity)} of the run {@code runId} (a usage error when there is none). */
    public ObjectNode showJson(long runId) {
        return showJson(runs.require(runId));
    }

    /** The whole run as {@code runs show --format json} gives it ({@link RunJson}). */
    public ObjectNode showJson(RunEntity r) {
        return RunJson.show(this, runs, r);
    }
}
