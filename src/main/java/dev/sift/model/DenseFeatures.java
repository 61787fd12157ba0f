package dev.sift.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Fixed features per sample from frozen query and product embeddings u, v: [u, v, u*v, |u-v|] (the
 * sentence-transformers classification features).
 */
public record DenseFeatures(float[][] query, float[][] product) implements FeatureSource {
    public int width() {
        return 4 * query[0].length;
    }

    @Override
    public Shape[] shapes() {
        return new Shape[] {new Shape(1, width())};
    }

    @Override
    public int size() {
        return query.length;
    }

    @Override
    public NDList batch(NDManager m, int[] sel) {
        int h = query[0].length;
        float[] x = new float[sel.length * 4 * h];
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
        }
        return new NDList(m.create(x, new Shape(sel.length, 4L * h)));
    }
}
