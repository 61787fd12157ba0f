package dev.sift.stage;

import dev.sift.data.Split;
import dev.sift.model.Checkpoint;
import dev.sift.model.NamedTensor;
import dev.sift.model.Safetensors;
import dev.sift.model.SentenceEmbedder;
import dev.sift.model.TextTokenizer;
import dev.sift.recommend.Interactions;
import dev.sift.recommend.RankingMetrics;
import dev.sift.recommend.TwoTower;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.WeightStore;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the recommendation stages share: the indexed interactions, the items' frozen text embeddings (computed once
 * per encoder, dataset and length, kept in S3 beside the relevance caches), the two-tower spec for a seed, stored
 * weights, and full-ranking measurement of a model's scores.
 */
@ApplicationScoped
public class RecModels {
    @Inject
    RunInputs inputs;
    @Inject
    ModelFactory models;
    @Inject
    ObjectStore objects;
    @Inject
    WeightStore weights;

    Interactions data(StageContext ctx) {
        return ctx.cached("interactions", () -> Interactions.of(inputs.samples(ctx)));
    }

    /** The item tower's input: every item's text embedded by the frozen encoder, by item index. */
    float[][] text(StageContext ctx) {
        return ctx.cached("item-text", () -> {
            Interactions data = data(ctx);
            Checkpoint cp = models.checkpoint(ctx);
            int maxLength = ctx.spec().model().maxLength();
            String key = RunLayout.itemEmbeddings(cp.digest(), inputs.datasetSha(ctx), maxLength);
            int h = cp.config().hidden();
            if (objects.exists(key)) {
                return decode(objects.get(key), data.items(), h);
            }
            ctx.console().info("  embedding " + data.items() + " item texts with " + cp.name());
            float[][] out;
            try (TextTokenizer tok = cp.tokenizer(maxLength)) {
                out = SentenceEmbedder.embed(cp.config(), cp.weights(), tok, data.itemTexts(),
                        dev.sift.model.Devices.select(ctx.spec().fineTune().device()),
                        m -> ctx.console().info("  " + m));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            objects.putFloats(key, out);
            return out;
        });
    }

    /** The two-tower settings for evaluation seed {@code seed} (0: the fine-tune's own seed). */
    static TwoTower.Spec spec(WorkflowSpec spec, int seed) {
        WorkflowSpec.Recommend r = spec.recommend();
        return new TwoTower.Spec(r.dim(), r.history(), r.negatives(), r.temperature(), r.idEmbedding(),
                spec.fineTune().withSeed(spec.fineTune().seed() + seed));
    }

    /** Trains a two-tower model, a console line after the first and the last epoch. */
    TwoTower.Trained train(StageContext ctx, String what, int[] rows, float[] w, int seed, boolean dynamics) {
        return train(ctx, what, rows, w, seed, dynamics, TwoTower.Truncation.NONE);
    }

    /** The same with ADT's truncated loss during training. */
    TwoTower.Trained train(StageContext ctx, String what, int[] rows, float[] w, int seed, boolean dynamics,
            TwoTower.Truncation truncation) {
        int epochs = ctx.spec().fineTune().epochs();
        return TwoTower.train(data(ctx), text(ctx), rows, w, spec(ctx.spec(), seed).withTruncation(truncation),
                dynamics,
                (e, loss, s) -> {
                    if (e == epochs || e == 1) {
                        ctx.console().info(String.format("  %s: epoch %d/%d, loss %.4f, %.1f s", what, e, epochs, loss,
                                s));
                    }
                });
    }

    String store(Map<String, NamedTensor> w) {
        try {
            return weights.put(Safetensors.write(w), "safetensors");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Map<String, NamedTensor> load(String sha) {
        try {
            return Safetensors.read(weights.get(sha), "weights " + sha);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Each metric's per-user values for the users with a {@code split} target, ranking every item by
     * {@code scores[user]} with the user's known items left out.
     */
    static Map<String, double[]> measure(Interactions data, float[][] scores, Split split) {
        int[] users = data.usersWith(split);
        BitSet[] known = data.known(split);
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int i = 0; i < users.length; i++) {
            int u = users[i];
            int target = data.item(data.target(u, split));
            Map<String, Double> m = RankingMetrics.of(RankingMetrics.rank(scores[u], target, known[u]));
            for (var e : m.entrySet()) {
                out.computeIfAbsent(e.getKey(), k -> new double[users.length])[i] = e.getValue();
            }
        }
        return out;
    }

    /** The mean of every per-user metric. */
    static Map<String, Double> means(Map<String, double[]> perUser) {
        Map<String, Double> out = new LinkedHashMap<>();
        perUser.forEach((k, v) -> out.put(k, java.util.Arrays.stream(v).average().orElse(Double.NaN)));
        return out;
    }

    /** A trained two-tower model's scores for every user, from its training rows' histories. */
    float[][] scores(StageContext ctx, Map<String, NamedTensor> w, int[] rows, Split split) {
        Interactions data = data(ctx);
        return TwoTower.scores(w, text(ctx), data.histories(rows, split == Split.TEST), spec(ctx.spec(), 0));
    }

    private static float[][] decode(byte[] bytes, int n, int h) {
        if (bytes.length != n * h * 4) {
            throw new IllegalStateException("cached item embeddings hold " + bytes.length + " bytes, expected "
                    + n * h * 4);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[n][h];
        for (float[] v : out) {
            for (int j = 0; j < h; j++) {
                v[j] = b.getFloat();
            }
        }
        return out;
    }
}
