package dev.sift.importance;

import com.google.auto.service.AutoService;

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
        double[] out = new double[in.size()];
        for (int i = 0; i < out.length; i++) {
            float[] p = in.predictions().probs()[i];
            if (in.regression()) {
                double d = p[0] - in.values()[i];
                out[i] = d * d;
            } else {
                out[i] = -Math.log(Math.max(p[in.classes()[i]], FLOOR));
            }
        }
        return out;
    }
}
