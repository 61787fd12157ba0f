package dev.sift.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Arrays;

/** Forward passes in inference mode, a batch at a time, into {@link Predictions}. */
final class Inference {
    private final FeatureSource features;
    private final boolean regression;

    Inference(FeatureSource features, boolean regression) {
        this.features = features;
        this.regression = regression;
    }

    FeatureSource features() {
        return features;
    }

    boolean regression() {
        return regression;
    }

    /** Predictions in batches of the features' {@link FeatureSource#inferenceBatch}. */
    Predictions predict(Model model, int[] which) {
        return predict(model, which, features.inferenceBatch());
    }

    Predictions predict(Model model, int[] which, int batchSize) {
        try (OnnxBert onnx = onnx(model)) {
            return predict(model, which, batchSize, onnx);
        }
    }

    /**
     * The encoder of {@code model} in ONNX Runtime on its current weights, where inference runs there ({@link
     * Devices#onnxInference}: a BERT cross-encoder on the CPU); else null.
     */
    static OnnxBert onnx(Model model) {
        return model.getBlock() instanceof CrossEncoder ce && Devices.onnxInference(model.getNDManager().getDevice())
                ? OnnxBert.of(ce.encoder()) : null;
    }

    /** {@link #predict}, the encoder run by {@code onnx} when not null. */
    Predictions predict(Model model, int[] which, int batchSize, OnnxBert onnx) {
        float[][] probs = new float[which.length][];
        float[][] hidden = new float[which.length][];
        ParameterStore ps = new ParameterStore(model.getNDManager(), false);
        int[] order = byLength(features, which);
        for (int start = 0; start < which.length; start += batchSize) {
            int n = Math.min(batchSize, which.length - start);
            int[] sel = new int[n];
            for (int i = 0; i < n; i++) {
                sel[i] = which[order[start + i]];
            }
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList in = features.batch(m, sel);
                NDList out = onnx == null ? model.getBlock().forward(ps, in, false)
                        : onnxForward(ps, model, onnx, m, in);
                NDArray y = regression ? out.get(0) : out.get(0).softmax(1);
                float[] yf = y.toFloatArray();
                float[] hf = out.get(1).toFloatArray();
                int k = (int) out.get(0).getShape().get(1);
                int h = (int) out.get(1).getShape().get(1);
                for (int i = 0; i < n; i++) {
                    probs[order[start + i]] = Arrays.copyOfRange(yf, i * k, (i + 1) * k);
                    hidden[order[start + i]] = Arrays.copyOfRange(hf, i * h, (i + 1) * h);
                }
            }
        }
        return new Predictions(probs, hidden, regression);
    }

    /** The cross-encoder's outputs with its encoder and pooling run by {@code onnx}, the head in DJL. */
    private static NDList onnxForward(ParameterStore ps, Model model, OnnxBert onnx, NDManager m, NDList in) {
        CrossEncoder ce = (CrossEncoder) model.getBlock();
        float[] pooled = onnx.pooled(in, ce.clsPooling());
        long n = in.get(0).getShape().get(0);
        return ce.fromPooled(ps, m.create(pooled, new ai.djl.ndarray.types.Shape(n, pooled.length / n)), false);
    }

    /**
     * Positions in {@code which} ordered by the samples' padded lengths, ties in their order: batches of similar
     * lengths pad little. The identity when every sample has the same length.
     */
    static int[] byLength(FeatureSource features, int[] which) {
        int[] len = new int[which.length];
        boolean varies = false;
        for (int i = 0; i < which.length; i++) {
            len[i] = features.length(which[i]);
            varies |= len[i] != len[0];
        }
        Integer[] order = new Integer[which.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (varies) {
            Arrays.sort(order, (a, b) -> Integer.compare(len[a], len[b]));
        }
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }
}
