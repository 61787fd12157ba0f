package dev.sift.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Token ids and types of every sample, tokenised once; batches are padded to their longest sequence. */
public record TokenizedPairs(long[][] ids, long[][] types) implements FeatureSource {
    @Override
    public Shape[] shapes() {
        Shape s = new Shape(1, 1);
        return new Shape[] {s, s, s};
    }

    @Override
    public int size() {
        return ids.length;
    }

    @Override
    public int length(int sample) {
        return ids[sample].length;
    }

    /** 64: MiniLM's activations for 256 sequences of 64 tokens are about 0.7 GB a layer. */
    @Override
    public int inferenceBatch() {
        return 64;
    }

    @Override
    public NDList batch(NDManager m, int[] sel) {
        int len = 1;
        for (int i : sel) {
            len = Math.max(len, ids[i].length);
        }
        long[] id = new long[sel.length * len];
        long[] ty = new long[sel.length * len];
        long[] mask = new long[sel.length * len];
        for (int r = 0; r < sel.length; r++) {
            long[] s = ids[sel[r]];
            System.arraycopy(s, 0, id, r * len, s.length);
            System.arraycopy(types[sel[r]], 0, ty, r * len, s.length);
            java.util.Arrays.fill(mask, r * len, r * len + s.length, 1L);
        }
        Shape shape = new Shape(sel.length, len);
        return new NDList(m.create(id, shape), m.create(ty, shape), m.create(mask, shape));
    }
}
