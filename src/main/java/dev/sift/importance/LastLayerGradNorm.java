package dev.sift.importance;

import com.google.auto.service.AutoService;

/**
 * Norm of the per-sample loss gradient with respect to the output layer (weights W and bias b), in closed
 * form. For out = W h + b, the gradient of cross-entropy over softmax is dL/dW = e h^T, dL/db = e with
 * e = p - onehot(y), so ||grad|| = ||e|| * sqrt(||h||^2 + 1). For the squared error (out - y)^2, e = 2 (out - y).
 */
@AutoService(ImportanceMethod.class)
public final class LastLayerGradNorm implements ImportanceMethod {
    @Override
    public String name() {
        return "grad_norm";
    }

    @Override
    public String meaning() {
        return "higher = the sample pulls the output layer harder";
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_REMOVE;
    }

    @Override
    public double[] score(ScoringInput in) {
        double[] out = new double[in.size()];
        for (int i = 0; i < out.length; i++) {
            double e2 = 0;
            double scale = in.regression() ? 2.0 : 1.0;
            for (double e : in.error(i)) {
                e2 += (scale * e) * (scale * e);
            }
            double h2 = 0;
            for (float h : in.predictions().hidden()[i]) {
                h2 += (double) h * h;
            }
            out[i] = Math.sqrt(e2 * (h2 + 1.0));
        }
        return out;
    }
}
