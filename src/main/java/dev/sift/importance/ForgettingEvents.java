package dev.sift.importance;

import dev.sift.model.TrainingDynamics;

/**
 * Forgetting events (Toneva et al., 2019): how often a sample went from correctly to incorrectly classified
 * between consecutive epochs of training. A sample never classified correctly counts as forgotten in every
 * epoch (the paper treats it as unforgettable-never-learned, ranked with the most forgotten).
 */
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
