package dev.sift.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.model.Targets;
import dev.sift.stage.StageOutputs.EvaluateOutput;
import dev.sift.stage.StageOutputs.FilterOutput;
import dev.sift.stage.StageOutputs.FineTuneOutput;
import dev.sift.store.ObjectStore;
import dev.sift.workflow.StageContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Sample-index lists (pools, kept and random subsets) stored as JSON in S3 under the run; a training set also
 * carries its loss weights and replacement labels when its policy set any. History reads them back ({@link #read},
 * {@link #ofSplit}) for lineage.
 */
public final class Subsets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Subsets() {
    }

    /**
     * A training set a policy built: sample indices and, aligned with them, loss weights and replacement classes
     * (-1 = own label); either may be null.
     */
    public record Training(int[] indices, double[] weights, int[] labels) {
        /** The run's targets as this set trains on them. */
        Targets targets(Targets base) {
            return weights == null && labels == null ? base : base.adjusted(indices, weights, labels);
        }
    }

    static void write(ObjectStore objects, String key, int[] indices) {
        write(objects, key, new Training(indices, null, null));
    }

    static void write(ObjectStore objects, String key, Training t) {
        ObjectNode n = JSON.createObjectNode();
        n.put("count", t.indices().length);
        ArrayNode a = n.putArray("indices");
        for (int i : t.indices()) {
            a.add(i);
        }
        if (t.weights() != null) {
            ArrayNode w = n.putArray("weights");
            for (double v : t.weights()) {
                w.add(v);
            }
        }
        if (t.labels() != null) {
            ArrayNode l = n.putArray("labels");
            for (int v : t.labels()) {
                l.add(v);
            }
        }
        try {
            objects.put(key, JSON.writeValueAsBytes(n), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample indices stored under {@code key}, in stored order. */
    public static int[] read(ObjectStore objects, String key) {
        return training(objects, key).indices();
    }

    /** The indices with their weights and replacement classes (null where the file has none). */
    public static Training training(ObjectStore objects, String key) {
        try {
            JsonNode n = JSON.readTree(objects.get(key));
            int[] idx = new int[n.get("indices").size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = n.get("indices").get(i).asInt();
            }
            double[] w = null;
            if (n.has("weights")) {
                w = new double[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    w[i] = n.get("weights").get(i).asDouble();
                }
            }
            int[] l = null;
            if (n.has("labels")) {
                l = new int[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    l[i] = n.get("labels").get(i).asInt();
                }
            }
            return new Training(idx, w, l);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SHA-256 of the training set: its indices in ascending order, comma-separated, then (when the policy set them)
     * each index's loss weight and replacement class; equal training sets have equal digests.
     */
    static String digest(Training t) {
        Integer[] order = new Integer[t.indices().length];
        java.util.Arrays.setAll(order, i -> i);
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> t.indices()[i]));
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < order.length; k++) {
            int i = order[k];
            sb.append(k == 0 ? "" : ",").append(t.indices()[i]);
            if (t.weights() != null) {
                sb.append(":w").append(t.weights()[i]);
            }
            if (t.labels() != null && t.labels()[i] >= 0) {
                sb.append(":l").append(t.labels()[i]);
            }
        }
        return dev.sift.Sha256.hex(sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** The indices of the samples of one split, ascending. */
    public static int[] ofSplit(List<Sample> samples, Split split) {
        return samples.stream().filter(s -> s.split() == split).mapToInt(Sample::index).toArray();
    }

    /** The pool an iteration scores: the training split first, then what the previous iteration kept. */
    static int[] pool(StageContext ctx, List<Sample> samples, ObjectStore objects) {
        if (ctx.iteration() == 1) {
            return ofSplit(samples, Split.TRAIN);
        }
        return read(objects, ctx.output(FilterOutput.class, ctx.iteration() - 1).selectedKey());
    }

    /**
     * Weights of the model that scores an iteration (the fine-tuned one, then the previous kept-set model): the
     * checkpoints {@code score.checkpoint} chose, newest first, or the trained (early-stopped) weights.
     */
    static List<String> scoringModels(StageContext ctx) {
        if (ctx.iteration() == 1) {
            FineTuneOutput ft = ctx.output(FineTuneOutput.class);
            return ft.scoringWeights() == null || ft.scoringWeights().isEmpty() ? List.of(ft.weights())
                    : ft.scoringWeights();
        }
        EvaluateOutput ev = ctx.output(EvaluateOutput.class, ctx.iteration() - 1);
        return ev.selectedScoring() == null || ev.selectedScoring().isEmpty() ? List.of(ev.selectedWeights())
                : ev.selectedScoring();
    }
}
