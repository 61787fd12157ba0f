package dev.sift.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/** Mean-pooled sentence embeddings from a pretrained encoder, with no training: for frozen heads and zero-shot. */
public final class SentenceEmbedder {
    private static final int BATCH = 64;
    static final long PROGRESS_NANOS = 10_000_000_000L;

    private SentenceEmbedder() {
    }

    public static float[][] embed(BertConfig config, Map<String, NamedTensor> weights,
            TextTokenizer tokenizer, List<String> texts, Device device) {
        return embed(config, weights, tokenizer, texts, device, line -> {
        });
    }

    /**
     * Embeddings of {@code texts}, in batches of texts of similar length (batches pad to their longest), with a
     * progress line every {@link #PROGRESS_NANOS} on long passes. Grad mode is off: no autograd graph is built.
     */
    public static float[][] embed(BertConfig config, Map<String, NamedTensor> weights,
            TextTokenizer tokenizer, List<String> texts, Device device, Consumer<String> progress) {
        return embed(config, weights, tokenizer, texts, device, true, progress);
    }

    /** {@code byLength} false: batches in the order of {@code texts} (the baseline of {@code sift bench embed}). */
    public static float[][] embed(BertConfig config, Map<String, NamedTensor> weights, TextTokenizer tokenizer,
            List<String> texts, Device device, boolean byLength, Consumer<String> progress) {
        float[][] out = new float[texts.size()][];
        Autograd.offOnThisThread();
        Devices.threadsFor(false);
        int[] order = IntStream.range(0, texts.size()).boxed()
                .sorted(Comparator.comparingInt(i -> byLength ? texts.get(i).length() : 0))
                .mapToInt(Integer::intValue).toArray();
        long begin = System.nanoTime();
        long last = begin;
        boolean said = false; // a progress line was printed: the pass then ends with one that says it is done
        boolean onnx = Devices.onnxInference(device);
        try (Model model = Model.newInstance("embedder", device, "PyTorch");
                OnnxBert ort = onnx ? OnnxBert.of(config, weights) : null) {
            BertEncoder encoder = new BertEncoder(config);
            model.setBlock(encoder);
            if (!onnx) {
                encoder.load(model.getNDManager(), weights);
            }
            ParameterStore ps = new ParameterStore(model.getNDManager(), false);
            for (int start = 0; start < texts.size(); start += BATCH) {
                int n = Math.min(BATCH, texts.size() - start);
                List<String> part = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    part.add(texts.get(order[start + i]));
                }
                try (NDManager m = model.getNDManager().newSubManager()) {
                    NDList in = tokenizer.batch(m, part, null);
                    float[] flat = ort != null ? ort.pooled(in, false)
                            : BertEncoder.meanPool(encoder.forward(ps, in, false).singletonOrThrow(), in.get(2))
                            .toType(DataType.FLOAT32, false).toFloatArray();
                    int h = config.hidden();
                    for (int i = 0; i < n; i++) {
                        out[order[start + i]] = java.util.Arrays.copyOfRange(flat, i * h, (i + 1) * h);
                    }
                }
                long now = System.nanoTime();
                if (now - last >= PROGRESS_NANOS && start + n < texts.size()) {
                    last = now;
                    said = true;
                    progress.accept(String.format("embedded %d of %d texts (%.0f/s)", start + n, texts.size(),
                            (start + n) / ((now - begin) / 1e9)));
                }
            }
            if (said) { // the last line was "576 of 680", which read as if the rest were skipped (a probe's)
                double seconds = (System.nanoTime() - begin) / 1e9;
                progress.accept(String.format("embedded all %d texts in %.0f s (%.0f/s)", texts.size(), seconds,
                        texts.size() / seconds));
            }
        } finally {
            MemoryRelief.afterInference(4L * weights.values().stream().mapToLong(t -> t.values().length).sum());
        }
        return out;
    }

    /**
     * Embeddings of every sample's query ([0]) and title ([1]); each distinct text is embedded once.
     */
    public static float[][][] queriesAndTitles(Checkpoint cp, java.util.List<dev.sift.data.Sample> samples,
            int maxLength, Device device, java.util.function.Consumer<String> progress) {
        java.util.Map<String, Integer> ids = new java.util.LinkedHashMap<>();
        for (var s : samples) {
            ids.putIfAbsent(s.query(), ids.size());
            ids.putIfAbsent(s.title(), ids.size());
        }
        progress.accept("embedding " + ids.size() + " distinct queries and titles with " + cp.name());
        float[][] vec;
        try (TextTokenizer tok = cp.tokenizer(maxLength)) {
            vec = embed(cp.config(), cp.weights(), tok, new java.util.ArrayList<>(ids.keySet()), device, progress);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        float[][][] out = new float[2][samples.size()][];
        for (int i = 0; i < samples.size(); i++) {
            out[0][i] = vec[ids.get(samples.get(i).query())];
            out[1][i] = vec[ids.get(samples.get(i).title())];
        }
        return out;
    }

    public static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return aa == 0 || bb == 0 ? 0 : ab / Math.sqrt(aa * bb);
    }
}
