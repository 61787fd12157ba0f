package dev.sift.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Fixed features per sample from frozen query and product embeddings u, v: [u, v, u*v, |u-v|] (the
 * sentence-transformers classification features), and beside them the zero-shot score itself, cos(u, v),
 * standardised over all samples (no labels involved), so a head can start from the free baseline and learn a
 * correction to it.
 */
public final class DenseFeatures implements FeatureSource {
    private final float[][] query;
    private final float[][] product;
    private final float[] cosine;

    public DenseFeatures(float[][] query, float[][] product) {
        this.query = query;
        this.product = product;
        this.cosine = standardised(query, product);
    }

    public int width() {
        return 4 * query[0].length;
    }

    @Override
    public Shape[] shapes() {
        return new Shape[] {new Shape(1, width()), new Shape(1, 1)};
    }

    @Override
    public int size() {
        return query.length;
    }

    @Override
    public NDList batch(NDManager m, int[] sel) {
        int h = query[0].length;
        float[] x = new float[sel.length * 4 * h];
        float[] c = new float[sel.length];
        for (int r = 0; r < sel.length; r++) {
            float[] u = query[sel[r]];
            float[] v = product[sel[r]];
            int base = r * 4 * h;
            for (int j = 0; j < h; j++) {
                x[base + j] = u[j];
                x[base + h + j] = v[j];
                x[base + 2 * h + j] = u[j] * v[j];
                x[base + 3 * h + j] = Math.abs(u[j] - v[j]);
            }
            c[r] = cosine[sel[r]];
        }
        return new NDList(m.create(x, new Shape(sel.length, 4L * h)), m.create(c, new Shape(sel.length, 1)));
    }

    /** cos(u_i, v_i) for every sample, shifted and scaled to mean 0 and sd 1 over the samples. */
    static float[] standardised(float[][] query, float[][] product) {
        int n = query.length;
        double[] cos = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            cos[i] = SentenceEmbedder.cosine(query[i], product[i]);
            sum += cos[i];
        }
        double mean = n == 0 ? 0 : sum / n;
        double ss = 0;
        for (double v : cos) {
            ss += (v - mean) * (v - mean);
        }
        double sd = n < 2 || ss == 0 ? 1 : Math.sqrt(ss / (n - 1));
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) ((cos[i] - mean) / sd);
        }
        return out;
    }
}
