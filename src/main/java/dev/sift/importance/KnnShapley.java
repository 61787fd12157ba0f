package dev.sift.importance;

import com.google.auto.service.AutoService;
import dev.sift.model.DirectMemory;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Exact KNN-Shapley (Jia et al., 2019): the Shapley value of each training point for a K-nearest-neighbour
 * classifier whose utility on a held-out (utility-split) point is the fraction of its K nearest training points sharing its
 * label, averaged over the validation points. For one validation point, with training points sorted by distance
 * (alpha_1 nearest) the values follow a recursion from the farthest:
 * s(alpha_N) = 1[y_alpha_N = y] / max(N, K), and
 * s(alpha_i) = s(alpha_{i+1}) + (1[y_alpha_i = y] - 1[y_alpha_{i+1} = y]) / K * min(K, i) / i.
 * O(N log N) per validation point; distances from ||x||^2 + ||v||^2 - 2 x.v over the model's last hidden
 * activations.
 */
@AutoService(ImportanceMethod.class)
public final class KnnShapley implements ImportanceMethod {
    private final int k;

    /** Neighbours in the workflow method: K = 10, as in Jia et al.'s experiments. */
    public static final int DEFAULT_K = 10;

    public KnnShapley() {
        this(DEFAULT_K);
    }

    public KnnShapley(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1");
        }
        this.k = k;
    }

    @Override
    public String name() {
        return "knn_shapley";
    }

    @Override
    public String meaning() {
        return "higher = more helpful to a nearest-neighbour classifier on the utility split";
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_KEEP;
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.UTILITY_SPLIT);
    }

    @Override
    public String regressionNote() {
        return "its utility counts neighbours that share the label; a regression utility is not implemented";
    }

    @Override
    public double[] score(ScoringInput in) {
        if (in.validationHidden() == null || in.validationHidden().length == 0) {
            throw new IllegalStateException("knn_shapley needs a non-empty utility split (split.utility)");
        }
        return fast(in.predictions().hidden(), in.classes(), in.validationHidden(), in.validationClasses(), k);
    }

    /**
     * The same values, computed fast: squared distances for blocks of validation points with one matrix product
     * (PyTorch through DJL), neighbours ordered by a primitive sort of packed (distance, index) keys, validation
     * points in parallel.
     */
    public static double[] fast(float[][] train, int[] trainLabels, float[][] valid, int[] validLabels, int k) {
        // a block's distances: at most 2^22 floats (16 MB) on the Java heap and each native intermediate. With 2^24
        // a million-point pool ran out of a 1.5 GB heap here, and 2^22 was faster in each of six paired `bench knn`
        // rounds (README, "One million pairs")
        return fast(train, trainLabels, valid, validLabels, k, 1L << 22);
    }

    /** {@link #fast} with at most {@code blockFloats} distances per block of validation points (at least one point). */
    static double[] fast(float[][] train, int[] trainLabels, float[][] valid, int[] validLabels, int k,
            long blockFloats) {
        int n = train.length;
        int d = train[0].length;
        int threads = Runtime.getRuntime().availableProcessors();
        double[][] partial = new double[threads][n];
        RadixOrder[] sorters = new RadixOrder[threads];
        for (int t = 0; t < threads; t++) {
            sorters[t] = new RadixOrder(n);
        }
        int block = Math.max(1, Math.min(valid.length, (int) Math.max(1, blockFloats / Math.max(1, n))));
        // the rows' native copy is freed as soon as the tensors that read it are (after the manager: declared first)
        try (DirectMemory.Owned flat = DirectMemory.own(nativeRows(train, d));
                ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager("PyTorch")) {
            ai.djl.ndarray.NDArray x = m.create(flat.buffer(), new ai.djl.ndarray.types.Shape(n, d),
                    ai.djl.ndarray.types.DataType.FLOAT32);
            ai.djl.ndarray.NDArray xt = x.transpose();
            ai.djl.ndarray.NDArray xn = x.square().sum(new int[] {1}).reshape(1, n);
            for (int start = 0; start < valid.length; start += block) {
                int b = Math.min(block, valid.length - start);
                float[] vflat = new float[b * d];
                for (int j = 0; j < b; j++) {
                    System.arraycopy(valid[start + j], 0, vflat, j * d, d);
                }
                float[] dist;
                try (ai.djl.ndarray.NDManager bm = m.newSubManager()) {
                    ai.djl.ndarray.NDArray v = bm.create(vflat, new ai.djl.ndarray.types.Shape(b, d));
                    ai.djl.ndarray.NDArray vn = v.square().sum(new int[] {1}).reshape(b, 1);
                    // [b, n]: row j holds the distances of validation point j to every training point. Every
                    // operation starts from an array of the block's manager, so its results are freed with the
                    // block (a result belongs to its first operand's manager: starting from x kept every block's
                    // [b, n] arrays until the end, about 1.3 GB per block at a million training points).
                    dist = vn.add(xn).subi(v.matMul(xt).muli(2)).toFloatArray();
                }
                int from = start;
                java.util.stream.IntStream.range(0, threads).parallel().forEach(t -> {
                    for (int j = t; j < b; j += threads) {
                        int[] order = sorters[t].order(dist, j * n);
                        double[] sv = sorters[t].values;
                        recursion(order, trainLabels, validLabels[from + j], k, sv);
                        for (int i = 0; i < n; i++) {
                            partial[t][order[i]] += sv[i];
                        }
                    }
                });
            }
        }
        double[] out = new double[n];
        for (double[] p : partial) {
            for (int i = 0; i < n; i++) {
                out[i] += p[i];
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] /= valid.length;
        }
        return out;
    }

    /**
     * The training points, row after row, in native memory for the tensor: a float[n * d] on the heap (244 MB at a
     * million points of 64) was one more contiguous allocation, and a 2 GB heap ran out there in one of three runs.
     */
    private static java.nio.ByteBuffer nativeRows(float[][] train, int d) {
        java.nio.ByteBuffer flat = java.nio.ByteBuffer.allocateDirect(Math.multiplyExact(Math.multiplyExact(
                train.length, d), 4)).order(java.nio.ByteOrder.nativeOrder());
        java.nio.FloatBuffer rows = flat.asFloatBuffer();
        for (float[] row : train) {
            rows.put(row);
        }
        return flat;
    }

    /** Shapley values by rank for one validation point; {@code order} holds training indexes, nearest first. */
    private static void recursion(int[] order, int[] trainLabels, int y, int k, double[] s) {
        int n = order.length;
        s[n - 1] = (trainLabels[order[n - 1]] == y ? 1.0 : 0.0) / Math.max(n, k);
        for (int i = n - 2; i >= 0; i--) {
            int rank = i + 1;
            double match = trainLabels[order[i]] == y ? 1 : 0;
            double next = trainLabels[order[i + 1]] == y ? 1 : 0;
            s[i] = s[i + 1] + (match - next) / k * Math.min(k, rank) / rank;
        }
    }

    /**
     * Training indexes by distance, nearest first, ties by index: a stable LSD radix sort of the distances' float
     * bits (non-negative floats order as their bits) in three passes of 11, 11 and 10 bits, starting from index
     * order. The same order as sorting (distance, index) pairs, in linear time; buffers reused across points.
     */
    static final class RadixOrder {
        private final int[] key;
        private final int[] key2;
        private final int[] idx;
        private final int[] idx2;
        private final int[] count = new int[1 << 11];
        final double[] values;

        RadixOrder(int n) {
            key = new int[n];
            key2 = new int[n];
            idx = new int[n];
            idx2 = new int[n];
            values = new double[n];
        }

        /** The order of {@code dist[offset .. offset + n)}, negative distances (rounding) taken as 0. */
        int[] order(float[] dist, int offset) {
            int n = key.length;
            for (int i = 0; i < n; i++) {
                key[i] = Float.floatToIntBits(Math.max(0f, dist[offset + i]));
                idx[i] = i;
            }
            pass(key, idx, key2, idx2, 0, 0x7FF);
            pass(key2, idx2, key, idx, 11, 0x7FF);
            pass(key, idx, key2, idx2, 22, 0x3FF);
            return idx2;
        }

        private void pass(int[] k, int[] ix, int[] kOut, int[] ixOut, int shift, int mask) {
            java.util.Arrays.fill(count, 0);
            for (int v : k) {
                count[(v >>> shift) & mask]++;
            }
            for (int i = 0, sum = 0; i < count.length; i++) {
                int c = count[i];
                count[i] = sum;
                sum += c;
            }
            for (int i = 0; i < k.length; i++) {
                int p = count[(k[i] >>> shift) & mask]++;
                kOut[p] = k[i];
                ixOut[p] = ix[i];
            }
        }
    }

    /** Reference: mean Shapley value of each training point over the validation points, in plain double loops. */
    public static double[] values(float[][] train, int[] trainLabels, float[][] valid, int[] validLabels, int k) {
        int n = train.length;
        double[] sum = new double[n];
        double[] trainNorm = new double[n];
        for (int i = 0; i < n; i++) {
            trainNorm[i] = dot(train[i], train[i]);
        }
        double[] dist = new double[n];
        Integer[] order = new Integer[n];
        double[] s = new double[n];
        for (int v = 0; v < valid.length; v++) {
            float[] x = valid[v];
            double xn = dot(x, x);
            for (int i = 0; i < n; i++) {
                dist[i] = trainNorm[i] + xn - 2 * dot(train[i], x);
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> {
                int c = Double.compare(dist[a], dist[b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            int y = validLabels[v];
            int last = order[n - 1];
            // with fewer points than neighbours every point is always among the K nearest: divide by K
            s[n - 1] = (trainLabels[last] == y ? 1.0 : 0.0) / Math.max(n, k);
            for (int i = n - 2; i >= 0; i--) {
                int rank = i + 1; // 1-based position of order[i]
                double match = trainLabels[order[i]] == y ? 1 : 0;
                double next = trainLabels[order[i + 1]] == y ? 1 : 0;
                s[i] = s[i + 1] + (match - next) / k * Math.min(k, rank) / rank;
            }
            for (int i = 0; i < n; i++) {
                sum[order[i]] += s[i];
            }
        }
        for (int i = 0; i < n; i++) {
            sum[i] /= valid.length;
        }
        return sum;
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) a[i] * b[i];
        }
        return d;
    }
}
