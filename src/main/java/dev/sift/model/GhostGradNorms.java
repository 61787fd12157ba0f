package dev.sift.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * GraNd (Paul et al., 2021): the norm of each sample's loss gradient over ALL parameters of the
 * {@link PairModel}, for a whole batch at once, without materialising per-sample gradients. One batched forward
 * and one batched backward through the activations give, per sample, each linear layer's input a and output
 * gradient g; a linear layer used once contributes ||g||^2 ||a||^2 (+ ||g||^2 for its bias), and the shared
 * tower, used for query and product, contributes the ghost-norm identity over its two uses:
 * ||g_q||^2 ||a_q||^2 + ||g_p||^2 ||a_p||^2 + 2 (g_q . g_p)(a_q . a_p), and ||g_q + g_p||^2 for its bias.
 */
public final class GhostGradNorms {
    private GhostGradNorms() {
    }

    /** Per-sample gradient norms of the cross-entropy loss for the samples {@code which}. */
    public static double[] compute(byte[] weights, EncodedPairs data, int[] classes, int[] which, int dim,
            int hidden, int outputs, int batch) {
        double[] out = new double[which.length];
        Autograd.offOnThisThread();
        try (Model model = Model.newInstance("grand", Device.cpu(), "PyTorch")) {
            PairModel block = load(model, weights, data, dim, hidden, outputs);
            Map<String, NDArray> p = new HashMap<>();
            for (var e : block.getParameters()) {
                p.put(e.getKey(), e.getValue().getArray());
            }
            NDArray w1 = find(p, "tower", Parameter.Type.WEIGHT);
            NDArray b1 = find(p, "tower", Parameter.Type.BIAS);
            NDArray w2 = find(p, "mix", Parameter.Type.WEIGHT);
            NDArray b2 = find(p, "mix", Parameter.Type.BIAS);
            NDArray w3 = find(p, "out", Parameter.Type.WEIGHT);
            NDArray b3 = find(p, "out", Parameter.Type.BIAS);
            for (int start = 0; start < which.length; start += batch) {
                int n = Math.min(batch, which.length - start);
                int[] sel = Arrays.copyOfRange(which, start, start + n);
                try (NDManager m = model.getNDManager().newSubManager()) {
                    NDList x = data.batch(m, sel);
                    NDArray qIds = x.get(0);
                    NDArray qValues = x.get(1);
                    NDArray pIds = x.get(2);
                    NDArray pValues = x.get(3);
                    NDArray ov = x.get(4);
                    NDArray q = HashedTower.lookup(qIds, qValues, w1, b1).tanh();
                    NDArray pp = HashedTower.lookup(pIds, pValues, w1, b1).tanh();
                    NDArray a2 = NDArrays.concat(new NDList(q, pp, q.mul(pp), ov), 1);
                    NDArray z2 = a2.matMul(w2.transpose()).add(b2);
                    NDArray h = z2.maximum(0f);
                    NDArray probs = h.matMul(w3.transpose()).add(b3).softmax(1);
                    float[] oneHot = new float[n * outputs];
                    for (int i = 0; i < n; i++) {
                        oneHot[i * outputs + classes[start + i]] = 1f;
                    }
                    NDArray e = probs.sub(m.create(oneHot, new Shape(n, outputs)));
                    NDArray g2 = e.matMul(w3).mul(z2.gt(0f).toType(DataType.FLOAT32, false));
                    NDArray dx = g2.matMul(w2);
                    NDArray dq = dx.get(":, 0:" + dim).add(dx.get(":, " + (2 * dim) + ":" + (3 * dim)).mul(pp));
                    NDArray dp = dx.get(":, " + dim + ":" + (2 * dim)).add(dx.get(":, " + (2 * dim) + ":" + (3 * dim))
                            .mul(q));
                    NDArray gq = dq.mul(q.square().neg().add(1f));
                    NDArray gp = dp.mul(pp.square().neg().add(1f));
                    NDArray sq = sumSq(e).mul(sumSq(h).add(1f)) // output layer weight and bias
                            .add(sumSq(g2).mul(sumSq(a2).add(1f))) // mix layer
                            .add(sumSq(gq).mul(sumSq(qValues))).add(sumSq(gp).mul(sumSq(pValues)))
                            .add(dot(gq, gp).mul(sparseDot(qIds, qValues, pIds, pValues)).mul(2f)) // shared tower
                            // weight, two uses
                            .add(sumSq(gq.add(gp))); // shared tower bias
                    float[] v = sq.sqrt().toFloatArray();
                    for (int i = 0; i < n; i++) {
                        out[start + i] = v[i];
                    }
                }
            }
        }
        return out;
    }

    /** Reference: one sample at a time through DJL autograd, summing squared gradients of every parameter. */
    public static double[] perSampleLoop(byte[] weights, EncodedPairs data, int[] classes, int[] which, int dim,
            int hidden, int outputs) {
        double[] out = new double[which.length];
        Autograd.offOnThisThread();
        try (Model model = Model.newInstance("grand-loop", Device.cpu(), "PyTorch")) {
            PairModel block = load(model, weights, data, dim, hidden, outputs);
            for (var e : block.getParameters()) {
                e.getValue().getArray().setRequiresGradient(true);
            }
            ParameterStore ps = new ParameterStore(model.getNDManager(), false);
            RelevanceLoss loss = new RelevanceLoss(false);
            for (int i = 0; i < which.length; i++) {
                try (NDManager m = model.getNDManager().newSubManager()) {
                    NDList x = data.batch(m, new int[] {which[i]});
                    float[] oneHot = new float[outputs];
                    oneHot[classes[i]] = 1f;
                    try (GradientCollector gc = Engine.getEngine("PyTorch")
                            .newGradientCollector()) {
                        NDList y = block.forward(ps, x, true);
                        gc.backward(loss.evaluate(new NDList(m.create(oneHot, new Shape(1, outputs))), y));
                    }
                    double sq = 0;
                    for (var e : block.getParameters()) {
                        NDArray g = e.getValue().getArray().getGradient();
                        try (NDArray g2 = g.square(); NDArray s2 = g2.sum()) {
                            sq += s2.getFloat();
                        }
                        g.subi(g); // the collector accumulates
                    }
                    out[i] = Math.sqrt(sq);
                }
            }
        }
        return out;
    }

    private static PairModel load(Model model, byte[] weights, EncodedPairs data, int dim, int hidden,
            int outputs) {
        PairModel block = new PairModel(data.buckets(), dim, hidden, outputs);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, data.shapes());
        WeightsCodec.decode(weights, model);
        return block;
    }

    private static NDArray sumSq(NDArray a) {
        return a.square().sum(new int[] {1});
    }

    /** Row-wise dot products of two padded sparse batches: sum over equal ids (padding has value 0). */
    private static NDArray sparseDot(NDArray aIds, NDArray aValues, NDArray bIds, NDArray bValues) {
        NDArray same = aIds.expandDims(2).eq(bIds.expandDims(1)).toType(DataType.FLOAT32, false); // [n, Ka, Kb]
        return same.mul(aValues.expandDims(2)).mul(bValues.expandDims(1)).sum(new int[] {1, 2});
    }

    private static NDArray dot(NDArray a, NDArray b) {
        return a.mul(b).sum(new int[] {1});
    }

    private static NDArray find(Map<String, NDArray> p, String block, Parameter.Type type) {
        for (var e : p.entrySet()) {
            String k = e.getKey();
            if (k.contains(block) && k.endsWith(type == Parameter.Type.WEIGHT ? "weight" : "bias")) {
                return e.getValue();
            }
        }
        throw new IllegalStateException("no " + type + " parameter in " + block);
    }
}
