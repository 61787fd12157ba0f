package dev.sift.recommend;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import dev.sift.model.Autograd;
import dev.sift.model.Devices;
import dev.sift.model.LearningRateSchedule;
import dev.sift.model.NamedTensor;
import dev.sift.model.Scalars;
import dev.sift.model.TrainSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The text two-tower recommender, trained with DJL (PyTorch engine). Item tower: the frozen encoder's embedding of
 * the item's text, projected to {@code dim} ({@code W}, {@code b}), plus an item id embedding ({@code E}), L2
 * normalised. User tower: the mean of the item vectors of the user's last {@code history} training interactions
 * (the interaction being predicted left out), through {@code P} (identity at start), L2 normalised. Score: the
 * cosine over {@code temperature}. Loss: softmax cross-entropy over the batch's items plus {@code negatives} items
 * drawn uniformly per batch (all items when that reaches their count), each row's loss multiplied by its weight;
 * AdamW under the fine-tune schedule. Per-row losses of the full softmax over all items can be recorded after every
 * epoch (training dynamics for the interaction methods).
 */
public final class TwoTower {
    /**
     * The model and training settings; {@code train} supplies epochs, batch, rates, seed and device;
     * {@code truncation}: ADT's truncated loss during training, or {@link Truncation#NONE}.
     */
    public record Spec(int dim, int history, int negatives, double temperature, boolean idEmbedding, TrainSpec train,
            Truncation truncation) {
        public Spec(int dim, int history, int negatives, double temperature, boolean idEmbedding, TrainSpec train) {
            this(dim, history, negatives, temperature, idEmbedding, train, Truncation.NONE);
        }

        public Spec withTruncation(Truncation t) {
            return new Spec(dim, history, negatives, temperature, idEmbedding, train, t);
        }
    }

    /**
     * ADT's truncated loss (Wang et al., WSDM 2021): at every step the batch's rows with the highest loss, a share
     * rising linearly from 0 to {@code max} over the first {@link #RAMP} of the steps, give no gradient, and the
     * loss is the mean over the rest. {@code atRandom}: the same share of each batch left out at random instead (the
     * policy's random control).
     */
    public record Truncation(double max, boolean atRandom) {
        public static final Truncation NONE = new Truncation(0, false);
        /** The share of all steps over which the drop rate rises to its maximum. */
        public static final double RAMP = 0.3;

        /** Rows of a batch of {@code size} left out at step {@code step} of {@code total}. */
        public int dropped(long step, long total, int size) {
            double rate = max * Math.min(1.0, step / Math.max(1.0, RAMP * total));
            return Math.min(size - 1, (int) Math.floor(rate * size));
        }
    }

    /** Per training row (in the order given): full-softmax loss after each epoch, and after the last its EL2N. */
    public record Dynamics(float[][] lossByEpoch, float[] el2n) {
    }

    /** Trained weights (named tensors W, b, E, P) and, when asked for, the dynamics. */
    public record Trained(Map<String, NamedTensor> weights, Dynamics dynamics, double seconds) {
    }

    /** Told each epoch's mean training loss. */
    public interface Listener {
        void epoch(int epoch, double loss, double seconds);
    }

    private TwoTower() {
    }

    /**
     * Trains on {@code rows} (sample indexes of {@code data}), each row's loss times {@code weights[i]} (null: 1);
     * {@code text}: the item tower's frozen embeddings by item index.
     */
    public static Trained train(Interactions data, float[][] text, int[] rows, float[] weights, Spec spec,
            boolean dynamics, Listener listener) {
        long start = System.nanoTime();
        Autograd.offOnThisThread();
        Devices.threadsFor(true);
        Device device = Devices.select(spec.train().device());
        int items = data.items();
        int[][] histories = data.histories(rows, false);
        try (NDManager root = NDManager.newBaseManager(device, "PyTorch")) {
            Tower t = Tower.init(root, text, items, spec, new Random(spec.train().seed()));
            int batch = Math.max(1, spec.train().batchSize());
            long stepsPerEpoch = (rows.length + batch - 1) / batch;
            Optimizer opt = Optimizer.adamW().optLearningRateTracker(LearningRateSchedule.of(spec.train(),
                    stepsPerEpoch)).optWeightDecays((float) spec.train().weightDecay()).build();
            Random order = new Random(spec.train().seed() ^ 0x5DEECE66DL);
            int[] perm = rows.clone();
            int[] position = new int[data.size()];
            for (int i = 0; i < rows.length; i++) {
                position[rows[i]] = i;
            }
            float[][] byEpoch = new float[spec.train().epochs()][];
            float[] el2n = null;
            long[] step = {0, spec.train().epochs() * stepsPerEpoch};
            Random drop = new Random(spec.train().seed() ^ 0x2545F4914F6CDD1DL);
            for (int epoch = 1; epoch <= spec.train().epochs(); epoch++) {
                shuffle(perm, order);
                double sum = 0;
                for (int from = 0; from < perm.length; from += batch) {
                    int[] part = java.util.Arrays.copyOfRange(perm, from, Math.min(perm.length, from + batch));
                    float[] w = new float[part.length];
                    for (int i = 0; i < part.length; i++) {
                        w[i] = weights == null ? 1f : weights[position[part[i]]];
                    }
                    int k = spec.truncation().dropped(step[0]++, step[1], part.length);
                    sum += step(root, t, data, histories, part, w, spec, new Random[] {order, drop}, k, opt)
                            * part.length;
                }
                if (dynamics) {
                    float[][] exact = t.exact(root, data, histories, rows, spec);
                    byEpoch[epoch - 1] = exact[0];
                    el2n = exact[1];
                }
                listener.epoch(epoch, sum / Math.max(1, perm.length), (System.nanoTime() - start) / 1e9);
            }
            return new Trained(t.weights(), dynamics ? new Dynamics(byEpoch, el2n) : null,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * One optimiser step on a batch, {@code k} rows left out by the truncation ({@code random[0]} draws negatives,
     * {@code random[1]} the rows a random truncation leaves out); returns the batch's mean (unweighted) loss.
     */
    private static double step(NDManager root, Tower t, Interactions data, int[][] histories, int[] part,
            float[] w, Spec spec, Random[] random, int k, Optimizer opt) {
        Random order = random[0];
        int items = data.items();
        try (NDManager m = root.newSubManager()) {
            int[] targets = new int[part.length];
            for (int i = 0; i < part.length; i++) {
                targets[i] = data.item(part[i]);
            }
            int[] candidates = candidates(targets, items, spec.negatives(), order);
            Map<Integer, Integer> at = new java.util.HashMap<>();
            for (int j = 0; j < candidates.length; j++) {
                at.put(candidates[j], j);
            }
            float[] onehot = new float[part.length * candidates.length];
            for (int i = 0; i < part.length; i++) {
                onehot[i * candidates.length + at.get(targets[i])] = 1f;
            }
            Batch b = Batch.of(m, data, histories, part, spec.history());
            NDArray cand = m.create(toLong(candidates));
            NDArray target = m.create(onehot, new Shape(part.length, candidates.length));
            NDArray weight = m.create(w);
            double mean;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray v = t.items(m);
                NDArray u = t.users(v, b);
                NDArray vc = cand.getNDArrayInternal().embedding(cand, v, SparseFormat.DENSE).singletonOrThrow();
                NDArray sims = u.matMul(vc.transpose());
                NDArray logits = sims.div(Scalars.of(sims, spec.temperature())); // not div(Number): Scalars
                NDArray rowLoss = logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg();
                mean = rowLoss.mean().getFloat();
                if (k == 0) {
                    gc.backward(rowLoss.mul(weight).mean());
                } else {
                    float[] keep = kept(rowLoss.toFloatArray(), k, spec.truncation().atRandom(), random[1]);
                    NDArray keptLoss = rowLoss.mul(weight).mul(m.create(keep)).sum();
                    gc.backward(keptLoss.div(Scalars.of(keptLoss, part.length - k)));
                }
            }
            for (Map.Entry<String, NDArray> p : t.params().entrySet()) {
                // DJL's PyTorch AdamW update zeroes the gradient after using it
                try (NDArray g = p.getValue().getGradient()) { // closing the handle leaves the gradient
                    opt.update(p.getKey(), p.getValue(), g);
                }
            }
            return mean;
        }
    }

    /** 1 for the rows kept, 0 for the {@code k} left out: the highest losses (ties: the later row), or at random. */
    static float[] kept(float[] loss, int k, boolean atRandom, Random r) {
        Integer[] order = new Integer[loss.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (atRandom) {
            java.util.Collections.shuffle(java.util.Arrays.asList(order), r);
        } else {
            java.util.Arrays.sort(order, (a, b) -> loss[a] != loss[b] ? Float.compare(loss[b], loss[a])
                    : Integer.compare(b, a));
        }
        float[] keep = new float[loss.length];
        java.util.Arrays.fill(keep, 1f);
        for (int i = 0; i < k; i++) {
            keep[order[i]] = 0f;
        }
        return keep;
    }

    /** The batch's distinct items, then {@code negatives} more drawn uniformly (every item when that covers all). */
    static int[] candidates(int[] targets, int items, int negatives, Random r) {
        if (negatives >= items) {
            int[] all = new int[items];
            java.util.Arrays.setAll(all, i -> i);
            return all;
        }
        java.util.LinkedHashSet<Integer> c = new java.util.LinkedHashSet<>();
        for (int t : targets) {
            c.add(t);
        }
        for (int i = 0; i < negatives; i++) {
            c.add(r.nextInt(items));
        }
        return c.stream().mapToInt(Integer::intValue).toArray();
    }

    static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int x = a[i];
            a[i] = a[j];
            a[j] = x;
        }
    }

    /**
     * Scores of every item for users with the given histories (item indexes, time order; the last {@code history}
     * count), from trained weights: {@code [user][item]}.
     */
    public static float[][] scores(Map<String, NamedTensor> weights, float[][] text, int[][] histories, Spec spec) {
        Autograd.offOnThisThread();
        Devices.threadsFor(true);
        try (NDManager root = NDManager.newBaseManager(Devices.select(spec.train().device()), "PyTorch")) {
            Tower t = Tower.load(root, text, weights, spec);
            NDArray v = t.items(root);
            NDArray vt = v.transpose(); // once: a view made per block would stay in root until the end
            float[][] out = new float[histories.length][];
            int block = 512;
            for (int from = 0; from < histories.length; from += block) {
                int to = Math.min(histories.length, from + block);
                try (NDManager m = root.newSubManager()) {
                    Batch b = Batch.ofHistories(m, java.util.Arrays.copyOfRange(histories, from, to), spec.history());
                    NDArray s = t.users(v, b).matMul(vt).div((float) spec.temperature());
                    float[] flat = s.toFloatArray();
                    int n = (int) v.getShape().get(0);
                    for (int i = from; i < to; i++) {
                        out[i] = java.util.Arrays.copyOfRange(flat, (i - from) * n, (i - from + 1) * n);
                    }
                }
            }
            return out;
        }
    }

    /** Names of the weights, for the stored file. */
    static List<String> names() {
        return new ArrayList<>(List.of("W", "b", "E", "P"));
    }

    static Map<String, NamedTensor> named(Map<String, NDArray> params) {
        Map<String, NamedTensor> out = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            out.put(e.getKey(), new NamedTensor(e.getKey(), e.getValue().getShape().getShape(),
                    e.getValue().toFloatArray()));
        }
        return out;
    }
}
