package dev.sift.importance;

import com.google.auto.service.AutoService;

/**
 * EL2N (Paul et al., 2021): the L2 norm of the error vector ||softmax(f(x)) - onehot(y)||_2; for regression
 * the absolute error.
 */
@AutoService(ImportanceMethod.class)
public final class El2n implements ImportanceMethod {
    @Override
    public String name() {
        return "el2n";
    }

    @Override
    public String meaning() {
        return "higher = larger prediction error";
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_REMOVE;
    }

    @Override
    public double[] score(ScoringInput in) {
        double[] out = new double[in.size()];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (double e : in.error(i)) {
                s += e * e;
            }
            out[i] = Math.sqrt(s);
        }
        return out;
    }
}
