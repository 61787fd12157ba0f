package dev.sift.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.SiftException;
import dev.sift.data.Sample;
import dev.sift.importance.ImportanceMethods;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunEntity;
import dev.sift.store.RunLayout;
import dev.sift.store.ScoreStore;
import dev.sift.workflow.WorkflowParser;
import dev.sift.workflow.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a sample scored as it did: every method's value and rank in its iteration, the grade confident learning
 * suggests (when it flagged the sample), and its nearest neighbours in the scoring model's hidden space.
 */
@ApplicationScoped
public class SampleExplainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ScoreStore scores;
    @Inject
    ObjectStore objects;
    @Inject
    RunHistory history;

    public ObjectNode explain(RunEntity run, int iteration, int sample, int neighbours) {
        return explain(run, history.dataset(run.id), iteration, new int[] {sample}, neighbours).get(0);
    }

    /**
     * The same for several samples of one iteration of a run whose prepared dataset is {@code samples}, reading the
     * scores, the flags and the hidden activations once.
     */
    public List<ObjectNode> explain(RunEntity run, List<Sample> samples, int iteration, int[] ids, int neighbours) {
        WorkflowSpec spec = WorkflowParser.parse("run " + run.id, run.specYaml, null, Map.of(), false).spec();
        for (int sample : ids) {
            if (sample < 0 || sample >= samples.size()) {
                throw SiftException.usage("run " + run.id + " has no sample " + sample + " (0.." + (samples.size() - 1)
                        + ")");
            }
        }
        List<String> methods = scores.methods(run.id, iteration);
        if (methods.isEmpty()) {
            throw SiftException.usage("run " + run.id + " has no scores in iteration " + iteration);
        }
        Map<String, List<ScoreStore.Row>> rows = new LinkedHashMap<>();
        methods.forEach(m -> rows.put(m, scores.read(run.id, iteration, m)));
        int[] pool = rows.values().iterator().next().stream().mapToInt(ScoreStore.Row::sampleIndex).toArray();
        Map<Integer, Integer> suggested = scores.suggestions(run.id, iteration);
        String key = RunLayout.hidden(run.id, iteration);
        float[][] h = objects.exists(key) ? hidden(objects.get(key), pool.length, objects.uri(key)) : null;
        List<ObjectNode> out = new ArrayList<>();
        for (int sample : ids) {
            ObjectNode o = JSON.createObjectNode();
            describe(o.putObject("sample"), samples.get(sample), spec.task().recommendation());
            methods(o.putArray("methods"), rows, run.id, iteration, sample, samples.get(sample).split().key());
            if (suggested.containsKey(sample)) {
                o.put("suggested_label", spec.task().minLabel() + suggested.get(sample));
            }
            ArrayNode near = o.putArray("neighbours");
            if (h == null) {
                o.put("neighbours_unavailable", spec.task().recommendation() ? "a recommendation run keeps no "
                        + "hidden activations of its samples to find neighbours in" : objects.uri(key) + " is missing");
            } else {
                neighbours(near, h, pool, samples, sample, neighbours);
            }
            out.add(o);
        }
        return out;
    }

    /** A sample's fields; a recommendation sample's two texts under their table names, user_hash and item. */
    private static void describe(ObjectNode so, Sample s, boolean recommendation) {
        so.put("index", s.index());
        so.put(recommendation ? "user_hash" : "query", s.query());
        so.put(recommendation ? "item" : "title", s.title());
        so.put("label", s.label());
        so.put("split", s.split().key());
        so.put("source_line", s.sourceLine());
        if (s.noisy()) {
            so.put("known_noisy", true);
        }
    }

    /** Each method's score, weight and rank for the sample. */
    private static void methods(ArrayNode ms, Map<String, List<ScoreStore.Row>> byMethod, long runId, int iteration,
            int sample, String split) {
        for (var e : byMethod.entrySet()) {
            List<ScoreStore.Row> rows = e.getValue();
            ScoreStore.Row mine = rows.stream().filter(r -> r.sampleIndex() == sample).findFirst()
                    .orElseThrow(() -> SiftException.usage("sample " + sample + " is not in the pool of iteration "
                            + iteration + " of run " + runId + (split.equals("train") ? " (an earlier iteration "
                            + "dropped it)" : " (it is a " + split + " sample; only training samples are scored)")));
            long higher = rows.stream().filter(r -> r.score() > mine.score()).count();
            ObjectNode n = ms.addObject();
            n.put("method", e.getKey());
            n.put("score", mine.score());
            n.put("weight", mine.weight());
            n.put("rank", higher + 1);
            n.put("of", rows.size());
            n.put("meaning", ImportanceMethods.find(e.getKey()).map(x -> x.meaning()).orElse(
                    e.getKey().equals("mean_loss") ? "higher = the model fit the interaction worse over its epochs"
                    : ""));
        }
    }

    /** The pool's hidden activations; a size that is not n whole float32 vectors means the object is damaged. */
    private static float[][] hidden(byte[] bytes, int n, String uri) {
        if (n == 0 || bytes.length == 0 || bytes.length % (4L * n) != 0) {
            throw SiftException.usage(uri + " is truncated or corrupt: " + bytes.length + " bytes is not " + n
                    + " float32 vectors");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int d = b.remaining() / 4 / n;
        float[][] h = new float[n][d];
        for (float[] row : h) {
            for (int j = 0; j < d; j++) {
                row[j] = b.getFloat();
            }
        }
        return h;
    }

    private static void neighbours(ArrayNode near, float[][] h, int[] pool, List<Sample> samples, int sample,
            int count) {
        int at = Arrays.binarySearch(pool, sample);
        Integer[] order = new Integer[pool.length];
        double[] dist = new double[pool.length];
        for (int i = 0; i < pool.length; i++) {
            order[i] = i;
            for (int j = 0; j < h[i].length; j++) {
                double diff = h[i][j] - h[at][j];
                dist[i] += diff * diff;
            }
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> dist[i]));
        for (int k = 0, added = 0; k < order.length && added < count; k++) {
            if (order[k] == at) {
                continue;
            }
            Sample nb = samples.get(pool[order[k]]);
            ObjectNode n = near.addObject();
            n.put("sample", nb.index());
            n.put("distance", Math.sqrt(dist[order[k]]));
            n.put("label", nb.label());
            n.put("query", nb.query());
            n.put("title", nb.title());
            added++;
        }
    }
}
