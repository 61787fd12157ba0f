package dev.sift.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Arrays;

/** Forward passes in inference mode, a batch at a time, into {@link Predictions}. */
final class Inference {
    static final int BATCH = 256;

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

    Predictions predict(Model model, int[] which) {
        return predict(model, which, BATCH);
    }

    Predictions predict(Model model, int[] which, int batchSize) {
        float[][] probs = new float[which.length][];
        float[][] hidden = new float[which.length][];
        ParameterStore ps = new ParameterStore(model.getNDManager(), false);
        for (int start = 0; start < which.length; start += batchSize) {
            int n = Math.min(batchSize, which.length - start);
            int[] sel = Arrays.copyOfRange(which, start, start + n);
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList out = model.getBlock().forward(ps, features.batch(m, sel), false);
                NDArray y = regression ? out.get(0) : out.get(0).softmax(1);
                float[] yf = y.toFloatArray();
                float[] hf = out.get(1).toFloatArray();
                int k = (int) out.get(0).getShape().get(1);
                int h = (int) out.get(1).getShape().get(1);
                for (int i = 0; i < n; i++) {
                    probs[start + i] = Arrays.copyOfRange(yf, i * k, (i + 1) * k);
                    hidden[start + i] = Arrays.copyOfRange(hf, i * h, (i + 1) * h);
                }
            }
        }
        return new Predictions(probs, hidden, regression);
    }
}
