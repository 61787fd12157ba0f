package dev.sift.stage;

import dev.sift.SiftException;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.importance.GradientSimilarity;
import dev.sift.model.Checkpoint;
import dev.sift.model.CrossEncoder;
import dev.sift.model.DenseFeatures;
import dev.sift.model.HeadModel;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.SentenceEmbedder;
import dev.sift.model.TrainSpec;
import dev.sift.store.ObjectStore;
import dev.sift.stage.StageOutputs.FineTuneOutput;
import dev.sift.store.RunLayout;
import dev.sift.store.WeightStore;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;
import dev.sift.model.ModelSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the model a workflow asks for, once per run and process: the hashed bag-of-words model, or a
 * pretrained BERT-family encoder as a cross-encoder (full or last layers) or frozen under an MLP head (with
 * its embeddings cached in S3 per checkpoint and dataset).
 */
@ApplicationScoped
public class ModelFactory {
    /** TracIn's term at one checkpoint; the trainer records it per epoch for the tracin method. */

    @Inject
    ObjectStore objects;
    @Inject
    RunInputs inputs;
    @Inject
    WeightStore weights;

    public RelevanceTrainer trainer(StageContext ctx) {
        // TracIn at every epoch's checkpoint is measured against the utility split, not the epoch-picking one
        return ctx.cached("trainer", () -> build(ctx).withEpochScorer(GradientSimilarity.EPOCH_TRACIN,
                Subsets.ofSplit(inputs.samples(ctx), Split.UTILITY)));
    }

    private RelevanceTrainer build(StageContext ctx) {
        WorkflowSpec spec = ctx.spec();
        ModelSpec m = spec.model();
        int k = spec.task().classes();
        boolean regression = !spec.task().classification();
        // gpu without one fails here for every model, as it did for the pretrained ones only
        var device = RelevanceTrainer.device(spec.fineTune().device());
        if (!m.pretrained()) {
            if (spec.fineTune().device() == TrainSpec.DeviceChoice.GPU) { // device() found one
                ctx.console().info("  hashed-bow trains on the CPU (its sparse features are built and looked up in "
                        + "Java); fine_tune.device: gpu applies to pretrained encoders");
            }
            return new RelevanceTrainer(m, inputs.encoded(ctx), k, regression);
        }
        Checkpoint cp = checkpoint(ctx);
        if (m.mode() == ModelSpec.Mode.HEAD) {
            float[][][] e = embeddings(ctx);
            DenseFeatures f = new DenseFeatures(e[0], e[1]);
            return new RelevanceTrainer(() -> new HeadModel(m.hidden(), k), f, k, regression, name -> true,
                    block -> { }, device);
        }
        ctx.console().info(String.format("  %s (%d layers, hidden %d), mode %s%s, max length %d, %s pooling, on %s",
                cp.name(), cp.config().layers(), cp.config().hidden(), m.mode().key(),
                m.mode() == ModelSpec.Mode.LAST_LAYERS ? " " + m.lastLayers() : "", m.maxLength(), m.pooling().key(),
                device));
        return CrossEncoder.trainer(cp, m, inputs.samples(ctx), k, regression, device);
    }

    /**
     * The initial weights of evaluation seed {@code seed}: seed 0 starts from the fine-tune's stored initial weights,
     * seed j from the seed fine_tune.seed + j. Every model trained per seed (evaluation, policy choice, scoring
     * seeds) starts from these.
     */
    public byte[] initialWeights(StageContext ctx, int seed) {
        return seed == 0 ? weights.get(ctx.output(FineTuneOutput.class).initWeights())
                : trainer(ctx).initialWeights(ctx.spec().fineTune().seed() + seed);
    }

    /** The pretrained checkpoint of the workflow. */
    public Checkpoint checkpoint(StageContext ctx) {
        return ctx.cached("checkpoint", () -> {
            ModelSpec m = ctx.spec().model();
            try {
                return Checkpoint.of(m, name -> read(m.source(), name));
            } catch (IOException e) {
                throw SiftException.usage("model.source: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw SiftException.usage(e.getMessage());
            }
        });
    }

    private byte[] read(String source, String name) throws IOException {
        if (source.startsWith("s3://")) {
            try (InputStream in = objects.open(source.replaceAll("/+$", "") + "/" + name)) {
                return in.readAllBytes();
            }
        }
        try {
            return Files.readAllBytes(Path.of(source).resolve(name));
        } catch (NoSuchFileException e) {
            throw new IOException(source + "/" + name + ": not found");
        }
    }

    /**
     * Frozen-encoder sentence embeddings of every sample's query and title, [0] queries and [1] titles,
     * computed once per checkpoint, dataset and maximum length and kept in S3.
     */
    public float[][][] embeddings(StageContext ctx) {
        return ctx.cached("embeddings", () -> {
            Checkpoint cp = checkpoint(ctx);
            int maxLength = ctx.spec().model().pretrained() ? ctx.spec().model().maxLength() : 64;
            String key = RunLayout.pairEmbeddings(cp.digest(), inputs.datasetSha(ctx), maxLength);
            List<Sample> samples = inputs.samples(ctx);
            int h = cp.config().hidden();
            if (objects.exists(key)) {
                return decode(objects.get(key), samples.size(), h);
            }
            float[][][] out = SentenceEmbedder.queriesAndTitles(cp, samples, maxLength,
                    RelevanceTrainer.device(ctx.spec().fineTune().device()), m -> ctx.console().info("  " + m));
            objects.put(key, encode(out, h), "application/octet-stream");
            return out;
        });
    }

    /**
     * Each distinct vector once (samples share the vectors of texts they share), then every sample's query and title
     * vector as an index: {@code [d, h, n]} ints, {@code d * h} floats, {@code 2 * n} ints, little-endian. A
     * million samples of 20,000 distinct texts take 39 MB instead of 3 GB.
     */
    static byte[] encode(float[][][] e, int h) {
        java.util.Map<float[], Integer> ids = new java.util.IdentityHashMap<>();
        List<float[]> distinct = new java.util.ArrayList<>();
        int n = e[0].length;
        int[][] index = new int[2][n];
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < n; i++) {
                float[] v = e[s][i];
                index[s][i] = ids.computeIfAbsent(v, x -> {
                    distinct.add(x);
                    return distinct.size() - 1;
                });
            }
        }
        long size = 12L + 4L * distinct.size() * h + 8L * n;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(distinct.size() + " distinct texts x " + h + " dimensions are too many "
                    + "to cache in one object");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(distinct.size()).putInt(h).putInt(n);
        for (float[] v : distinct) {
            for (float f : v) {
                b.putFloat(f);
            }
        }
        for (int[] side : index) {
            for (int i : side) {
                b.putInt(i);
            }
        }
        return b.array();
    }

    static float[][][] decode(byte[] bytes, int n, int h) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int d = b.getInt();
        if (b.getInt() != h || b.getInt() != n) {
            throw new IllegalStateException("cached embeddings are of another shape than " + n + " samples x " + h);
        }
        float[][] vec = new float[d][h];
        for (float[] v : vec) {
            for (int j = 0; j < h; j++) {
                v[j] = b.getFloat();
            }
        }
        float[][][] out = new float[2][n][];
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < n; i++) {
                out[s][i] = vec[b.getInt()];
            }
        }
        return out;
    }
}
