package dev.sift.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.stage.StageOutputs.EvaluateOutput;
import dev.sift.stage.StageOutputs.FilterOutput;
import dev.sift.stage.StageOutputs.FineTuneOutput;
import dev.sift.store.ObjectStore;
import dev.sift.workflow.StageContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Sample-index lists (pools, kept and random subsets) stored as JSON in S3 under the run. */
final class Subsets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Subsets() {
    }

    static void write(ObjectStore objects, String key, int[] indices) {
        ObjectNode n = JSON.createObjectNode();
        n.put("count", indices.length);
        ArrayNode a = n.putArray("indices");
        for (int i : indices) {
            a.add(i);
        }
        try {
            objects.put(key, JSON.writeValueAsBytes(n), "application/json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] read(ObjectStore objects, String key) {
        try {
            var n = JSON.readTree(objects.get(key));
            int[] out = new int[n.get("indices").size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = n.get("indices").get(i).asInt();
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ofSplit(List<Sample> samples, Split split) {
        return samples.stream().filter(s -> s.split() == split).mapToInt(Sample::index).toArray();
    }

    /** The pool an iteration scores: the training split first, then what the previous iteration kept. */
    static int[] pool(StageContext ctx, List<Sample> samples, ObjectStore objects) {
        if (ctx.iteration() == 1) {
            return ofSplit(samples, Split.TRAIN);
        }
        return read(objects, ctx.output(FilterOutput.class, ctx.iteration() - 1).selectedKey());
    }

    /** Weights of the model that scores an iteration: the fine-tuned one, then the previous kept-set model. */
    static String scoringModel(StageContext ctx) {
        if (ctx.iteration() == 1) {
            return ctx.output(FineTuneOutput.class).weights();
        }
        return ctx.output(EvaluateOutput.class, ctx.iteration() - 1).selectedWeights();
    }
}
