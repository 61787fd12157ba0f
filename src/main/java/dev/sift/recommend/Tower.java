package dev.sift.recommend;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import dev.sift.model.NamedTensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** The two towers' parameters and forward passes (see {@link TwoTower}). */
final class Tower {
    private static final float EPS = 1e-12f;
    private final NDArray text;
    private final Map<String, NDArray> params;

    private Tower(NDArray text, Map<String, NDArray> params) {
        this.text = text;
        this.params = params;
    }

    /** Fresh weights from the seed: W ~ N(0, 1/h), b = 0, E ~ N(0, 0.01^2), P = I; all trainable. */
    static Tower init(NDManager root, float[][] text, int items, TwoTower.Spec spec, Random r) {
        int h = text[0].length;
        int d = spec.dim();
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("W", root.create(gaussian(r, h * d, 1 / Math.sqrt(h)), new Shape(h, d)));
        p.put("b", root.zeros(new Shape(d)));
        if (spec.idEmbedding()) {
            p.put("E", root.create(gaussian(r, items * d, 0.01), new Shape(items, d)));
        }
        p.put("P", root.eye(d));
        p.values().forEach(a -> a.setRequiresGradient(true));
        return new Tower(matrix(root, text), p);
    }

    /** Stored weights, for scoring (no gradients). */
    static Tower load(NDManager root, float[][] text, Map<String, NamedTensor> weights, TwoTower.Spec spec) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        for (NamedTensor t : weights.values()) {
            p.put(t.name(), root.create(t.values(), new Shape(t.shape())));
        }
        if (!p.containsKey("W") || !p.containsKey("P") || spec.idEmbedding() != p.containsKey("E")) {
            throw new IllegalArgumentException("two-tower weights " + p.keySet() + " do not match the model spec");
        }
        return new Tower(matrix(root, text), p);
    }

    private static NDArray matrix(NDManager root, float[][] rows) {
        int h = rows[0].length;
        float[] flat = new float[rows.length * h];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * h, h);
        }
        return root.create(flat, new Shape(rows.length, h));
    }

    private static float[] gaussian(Random r, int n, double sd) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (r.nextGaussian() * sd);
        }
        return out;
    }

    Map<String, NDArray> params() {
        return params;
    }

    Map<String, NamedTensor> weights() {
        return TwoTower.named(params);
    }

    /**
     * Every item's vector, L2 normalised: {@code [items, dim]}, its intermediate arrays in {@code m} (a result
     * belongs to its first operand's manager, here the long-lived one of {@code text}, so it is moved at once).
     */
    NDArray items(NDManager m) {
        NDArray v = text.matMul(params.get("W"));
        v.attach(m);
        v = v.add(params.get("b"));
        if (params.containsKey("E")) {
            v = v.add(params.get("E"));
        }
        return normalise(v);
    }

    /** The batch's user vectors: the masked mean of their history items' vectors, through P, L2 normalised. */
    NDArray users(NDArray v, Batch b) {
        NDArray hv = b.ids().getNDArrayInternal().embedding(b.ids(), v, SparseFormat.DENSE).singletonOrThrow();
        NDArray mean = hv.mul(b.mask().expandDims(2)).sum(new int[] {1}).div(b.count());
        return normalise(mean.matMul(params.get("P")));
    }

    private static NDArray normalise(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).add(EPS).sqrt());
    }

    /**
     * The full-softmax loss over all items of each of {@code rows} and its EL2N (the L2 distance of the softmax from
     * the one-hot target), with no gradient: {@code [0]} losses, {@code [1]} EL2N, in the order of {@code rows}.
     */
    float[][] exact(NDManager root, Interactions data, int[][] histories, int[] rows, TwoTower.Spec spec) {
        float[] loss = new float[rows.length];
        float[] el2n = new float[rows.length];
        int items = data.items();
        int block = 1024;
        try (NDManager m = root.newSubManager()) {
            NDArray v = items(m);
            NDArray vt = v.transpose();
            for (int from = 0; from < rows.length; from += block) {
                int[] part = java.util.Arrays.copyOfRange(rows, from, Math.min(rows.length, from + block));
                try (NDManager bm = m.newSubManager()) {
                    float[] onehot = new float[part.length * items];
                    for (int i = 0; i < part.length; i++) {
                        onehot[i * items + data.item(part[i])] = 1f;
                    }
                    NDArray target = bm.create(onehot, new Shape(part.length, items));
                    NDArray logp = users(v, Batch.of(bm, data, histories, part, spec.history())).matMul(vt)
                            .div((float) spec.temperature()).logSoftmax(1);
                    NDArray pt = logp.mul(target).sum(new int[] {1});
                    float[] l = pt.neg().toFloatArray();
                    NDArray p = logp.exp();
                    float[] e = p.square().sum(new int[] {1}).sub(pt.exp().mul(2)).add(1).maximum(0).sqrt()
                            .toFloatArray();
                    System.arraycopy(l, 0, loss, from, part.length);
                    System.arraycopy(e, 0, el2n, from, part.length);
                }
            }
        }
        return new float[][] {loss, el2n};
    }
}
