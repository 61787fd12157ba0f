package dev.sift.importance;

import dev.sift.model.TrainingDynamics;
import java.util.EnumSet;
import java.util.Set;

/**
 * Dataset cartography (Swayamdipta et al., 2020) from the training dynamics: {@code confidence} is the mean
 * probability of the true label over epochs, {@code variability} its standard deviation. Low confidence with
 * low variability marks hard-to-learn (often mislabelled) samples; high variability marks ambiguous ones.
 */
public abstract class Cartography implements ImportanceMethod {
    private final boolean variability;

    Cartography(boolean variability) {
        this.variability = variability;
    }

    public static Cartography confidence() {
        return new Confidence();
    }

    public static Cartography variability() {
        return new Variability();
    }

    @Override
    public String name() {
        return variability ? "variability" : "confidence";
    }

    @Override
    public String meaning() {
        return variability ? "higher = the model's belief in the label changed more (ambiguous)"
                : "higher = the model was surer of the label during training (easy)";
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.TRAINING_DYNAMICS);
    }

    @Override
    public String regressionNote() {
        return "cartography follows the probability of the given class";
    }

    @Override
    public double[] score(ScoringInput in) {
        TrainingDynamics d = in.requireDynamics(name());
        int n = d.samples().length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (int e = 0; e < d.epochs(); e++) {
                mean += d.pTrue()[e][i];
            }
            mean /= d.epochs();
            if (!variability) {
                out[i] = mean;
                continue;
            }
            double var = 0;
            for (int e = 0; e < d.epochs(); e++) {
                double x = d.pTrue()[e][i] - mean;
                var += x * x;
            }
            out[i] = Math.sqrt(var / d.epochs());
        }
        return out;
    }
}
