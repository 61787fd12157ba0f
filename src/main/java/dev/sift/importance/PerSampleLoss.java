package dev.sift.importance;

import com.google.auto.service.AutoService;
import dev.sift.model.Predictions;

/**
 * The training loss of each sample under the fitted model: -log p(y) for classification, (prediction - y)^2
 * for regression (y scaled to [0, 1]).
 */
@AutoService(ImportanceMethod.class)
public final class PerSampleLoss implements ImportanceMethod {
    private static final double FLOOR = 1e-12;

    @Override
    public String name() {
        return "loss";
    }

    @Override
    public String meaning() {
        return "higher = the model fits the sample worse";
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_REMOVE;
    }

    @Override
    public double[] score(ScoringInput in) {
        return losses(in.predictions(), in.classes(), in.values());
    }

    /**
     * Per-sample loss of {@code p} against the targets: -log p(y) (floored at 1e-12) for classification, the
     * squared error of the scaled prediction for regression.
     */
    static double[] losses(Predictions p, int[] classes, float[] values) {
        double[] out = new double[p.size()];
        for (int i = 0; i < out.length; i++) {
            float[] q = p.probs()[i];
            if (p.regression()) {
                double d = q[0] - values[i];
                out[i] = d * d;
            } else {
                out[i] = -Math.log(Math.max(q[classes[i]], FLOOR));
            }
        }
        return out;
    }
}
