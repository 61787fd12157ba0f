package dev.sift.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.store.IterationEntity;
import dev.sift.store.MetricEntity;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.StageRunEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Queries over past runs, shaped as tables for the terminal, CSV or JSON. */
@ApplicationScoped
public class RunHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RunStore runs;
    @Inject
    dev.sift.store.ScoreStore scores;
    @Inject
    dev.sift.store.ObjectStore objects;

    public Table list(String workflow, RunEntity.Status status, int limit) {
        Table t = new Table(List.of("id", "name", "workflow", "status", "created", "duration_s", "stages"));
        for (RunEntity r : runs.listRuns(workflow, status, limit)) {
            List<StageRunEntity> stages = runs.stages(r.id);
            long done = stages.stream().filter(s -> s.status == RunEntity.Status.SUCCEEDED).count();
            Double seconds = r.finishedAt == null || r.startedAt == null ? null
                    : Duration.between(r.startedAt, r.finishedAt).toMillis() / 1000.0;
            String state = RunStore.stale(r) ? r.status.name() + " (stale: owner process " + r.ownerPid + " is gone)"
                    : r.status.name();
            t.add(r.id, r.name, r.workflow, state, r.createdAt.toString().substring(0, 19) + "Z", seconds,
                    done + " done");
        }
        return t;
    }

    public Table stages(long runId) {
        Table t = new Table(List.of("seq", "stage", "iteration", "status", "attempt", "seconds", "error"));
        for (StageRunEntity s : runs.stages(runId)) {
            t.add(s.seq + 1, s.stage, s.iteration, s.status.name(), s.attempt,
                    s.durationMs == null ? null : s.durationMs / 1000.0, s.error);
        }
        return t;
    }

    /** One row per iteration and subset with every metric as a column. */
    public Table metrics(long runId) {
        List<MetricEntity> ms = runs.metrics(runId);
        TreeSet<String> names = new TreeSet<>();
        Map<String, Map<String, Double>> byRow = new TreeMap<>();
        for (MetricEntity m : ms) {
            names.add(m.name);
            byRow.computeIfAbsent(String.format("%03d|%s|%s", m.iteration, order(m.subset), m.split),
                    k -> new TreeMap<>()).put(m.name, m.value);
        }
        List<String> metricNames = new ArrayList<>();
        metricNames.add("train_size");
        names.stream().filter(n -> !n.equals("train_size") && !n.equals("train_seconds")).forEach(metricNames::add);
        metricNames.add("train_seconds");
        List<String> cols = new ArrayList<>(List.of("iteration", "subset", "split"));
        cols.addAll(metricNames);
        Table t = new Table(cols);
        for (var e : byRow.entrySet()) {
            String[] key = e.getKey().split("\\|");
            List<Object> row = new ArrayList<>();
            row.add(Integer.parseInt(key[0]));
            row.add(key[1].substring(2));
            row.add(key[2]);
            for (String n : metricNames) {
                Double v = e.getValue().get(n);
                row.add(n.equals("train_size") && v != null ? (Object) (long) (double) v : v);
            }
            t.add(row.toArray());
        }
        return t;
    }

    private static String order(String subset) {
        return switch (subset) {
            case "full" -> "0 full";
            case "selected" -> "1 selected";
            case "random" -> "2 random";
            default -> "3 " + subset;
        };
    }

    /**
     * The {@code top} samples of one method's scores in one iteration, from the highest (or lowest) end, with
     * their text and label from the prepared dataset.
     */
    public Table scores(long runId, int iteration, String method, int top, boolean highest) {
        List<dev.sift.store.ScoreStore.Row> rows = new ArrayList<>(scores.read(runId, iteration, method));
        if (rows.isEmpty()) {
            throw dev.sift.SiftException.usage("run " + runId + " has no " + method + " scores in iteration "
                    + iteration);
        }
        rows.sort((a, b) -> highest ? Double.compare(b.score(), a.score()) : Double.compare(a.score(), b.score()));
        List<dev.sift.data.Sample> samples = dataset(runId);
        Table t = new Table(List.of("rank", "sample", "score", "weight", "label", "query", "title", "source_line"));
        for (int i = 0; i < Math.min(top, rows.size()); i++) {
            var r = rows.get(i);
            dev.sift.data.Sample s = samples.get(r.sampleIndex());
            t.add(i + 1, r.sampleIndex(), r.score(), r.weight(), s.label(), s.query(), s.title(), s.sourceLine());
        }
        return t;
    }

    /**
     * Why a sample scored as it did: every method's value and rank in its iteration, the grade confident
     * learning suggests (when it flagged the sample), and its nearest neighbours in the scoring model's hidden
     * space with their labels.
     */
    public ObjectNode explain(RunEntity run, int iteration, int sample, int neighbours) {
        var spec = dev.sift.workflow.WorkflowParser.parse("run " + run.id, run.specYaml, null, java.util.Map.of(),
                false).spec();
        List<dev.sift.data.Sample> samples = dataset(run.id);
        if (sample < 0 || sample >= samples.size()) {
            throw dev.sift.SiftException.usage("run " + run.id + " has no sample " + sample + " (0.."
                    + (samples.size() - 1) + ")");
        }
        dev.sift.data.Sample s = samples.get(sample);
        ObjectNode o = JSON.createObjectNode();
        ObjectNode so = o.putObject("sample");
        so.put("index", sample);
        so.put("query", s.query());
        so.put("title", s.title());
        so.put("label", s.label());
        so.put("split", s.split().key());
        so.put("source_line", s.sourceLine());
        if (s.noisy()) {
            so.put("known_noisy", true);
        }
        List<String> methods = scores.methods(run.id, iteration);
        if (methods.isEmpty()) {
            throw dev.sift.SiftException.usage("run " + run.id + " has no scores in iteration " + iteration);
        }
        var ms = o.putArray("methods");
        int[] pool = null;
        for (String m : methods) {
            List<dev.sift.store.ScoreStore.Row> rows = scores.read(run.id, iteration, m);
            if (pool == null) {
                pool = rows.stream().mapToInt(dev.sift.store.ScoreStore.Row::sampleIndex).toArray();
            }
            var mine = rows.stream().filter(r -> r.sampleIndex() == sample).findFirst().orElse(null);
            if (mine == null) {
                throw dev.sift.SiftException.usage("sample " + sample + " is not in the pool of iteration "
                        + iteration + " of run " + run.id);
            }
            long higher = rows.stream().filter(r -> r.score() > mine.score()).count();
            ObjectNode n = ms.addObject();
            n.put("method", m);
            n.put("score", mine.score());
            n.put("weight", mine.weight());
            n.put("rank", higher + 1);
            n.put("of", rows.size());
            n.put("meaning", m.equals("ensemble") ? "higher = ranked more likely noisy on average"
                    : dev.sift.importance.ImportanceMethods.byName(m).meaning());
        }
        int suggested = scores.suggestion(run.id, iteration, sample);
        if (suggested >= 0) {
            o.put("suggested_label", spec.task().minLabel() + suggested);
        }
        String key = "runs/" + run.id + "/iter-" + iteration + "/hidden.f32";
        var near = o.putArray("neighbours");
        if (objects.exists(key)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(objects.get(key)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int d = b.remaining() / 4 / pool.length;
            float[][] h = new float[pool.length][d];
            for (float[] row : h) {
                for (int j = 0; j < d; j++) {
                    row[j] = b.getFloat();
                }
            }
            int at = java.util.Arrays.binarySearch(pool, sample);
            Integer[] order = new Integer[pool.length];
            double[] dist = new double[pool.length];
            for (int i = 0; i < pool.length; i++) {
                order[i] = i;
                for (int j = 0; j < d; j++) {
                    double diff = h[i][j] - h[at][j];
                    dist[i] += diff * diff;
                }
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> dist[i]));
            for (int k = 0, added = 0; k < order.length && added < neighbours; k++) {
                if (order[k] == at) {
                    continue;
                }
                dev.sift.data.Sample nb = samples.get(pool[order[k]]);
                ObjectNode n = near.addObject();
                n.put("sample", nb.index());
                n.put("distance", Math.sqrt(dist[order[k]]));
                n.put("label", nb.label());
                n.put("query", nb.query());
                n.put("title", nb.title());
                added++;
            }
        }
        return o;
    }

    private List<dev.sift.data.Sample> dataset(long runId) {
        StageRunEntity ingest = runs.findStage(runId, "ingest", 0)
                .orElseThrow(() -> dev.sift.SiftException.usage("run " + runId + " has no ingested data"));
        try {
            String sha = JSON.readTree(ingest.outputJson).get("dataset").asText();
            return dev.sift.data.PreparedDataset.read(objects.get("datasets/" + sha + "/data.jsonl"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public ObjectNode showJson(RunEntity r) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode run = o.putObject("run");
        run.put("id", r.id);
        run.put("name", r.name);
        run.put("workflow", r.workflow);
        run.put("workflow_path", r.workflowPath);
        run.put("status", r.status.name());
        run.put("error", r.error);
        run.put("created_at", String.valueOf(r.createdAt));
        run.put("finished_at", r.finishedAt == null ? null : r.finishedAt.toString());
        var stageJson = stages(r.id).json();
        List<StageRunEntity> stageRows = runs.stages(r.id);
        for (int i = 0; i < stageRows.size(); i++) {
            String out = stageRows.get(i).outputJson;
            try {
                ((ObjectNode) stageJson.get(i)).set("output", out == null ? null : JSON.readTree(out));
            } catch (java.io.IOException e) {
                ((ObjectNode) stageJson.get(i)).put("output", out);
            }
        }
        o.set("stages", stageJson);
        o.set("metrics", metrics(r.id).json());
        var its = o.putArray("iterations");
        for (IterationEntity it : runs.iterations(r.id)) {
            ObjectNode n = its.addObject();
            n.put("k", it.k);
            n.put("pool_size", it.poolSize);
            n.put("kept_size", it.keptSize);
            n.put("method", it.method);
            n.put("selected_uri", it.selectedUri);
            n.put("random_uri", it.randomUri);
            n.put("selected_weights", it.selectedWeights);
        }
        return o;
    }
}
