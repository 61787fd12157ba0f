package dev.sift.importance;

import com.google.auto.service.AutoService;
import dev.sift.model.TrainingDynamics;
import java.util.EnumSet;
import java.util.Set;

/**
 * Forgetting events (Toneva et al., 2019): how often a sample went from correctly to incorrectly classified
 * between consecutive epochs of training. A sample never classified correctly counts as forgotten in every
 * epoch (the paper treats it as unforgettable-never-learned, ranked with the most forgotten).
 */
@AutoService(ImportanceMethod.class)
public final class ForgettingEvents implements ImportanceMethod {
    @Override
    public String name() {
        return "forgetting";
    }

    @Override
    public String meaning() {
        return "higher = forgotten more often during training (hard or mislabelled)";
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_REMOVE;
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.TRAINING_DYNAMICS);
    }

    @Override
    public String regressionNote() {
        return "a forgetting event is a change from correct to wrong class";
    }

    @Override
    public double[] score(ScoringInput in) {
        return counts(in.requireDynamics(name()));
    }

    public static double[] counts(TrainingDynamics d) {
        int n = d.samples().length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            boolean ever = false;
            int events = 0;
            for (int e = 0; e < d.epochs(); e++) {
                ever |= d.correct()[e][i];
                if (e > 0 && d.correct()[e - 1][i] && !d.correct()[e][i]) {
                    events++;
                }
            }
            out[i] = ever ? events : d.epochs();
        }
        return out;
    }
}
