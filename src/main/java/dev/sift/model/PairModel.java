package dev.sift.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Query-product relevance model: a shared text tower maps query and product features to embeddings; the
 * head reads [q, p, q*p, word overlap] through one hidden layer to the output. Returns (output, last hidden activations):
 * the hidden activations are what the last-layer gradient and embedding-based methods need.
 *
 * <p>Inputs ({@link EncodedPairs#batch}): query bucket ids [n, Kq] (int64) and their values [n, Kq], product bucket
 * ids and values [n, Kp], overlap features [n, 4]. The tower is a linear layer over the {@code buckets}-wide hashed
 * vector, computed from its nonzero entries only ({@link #tower}): the same sum as the dense product, at a cost of
 * K instead of {@code buckets} columns per sample. Padding entries (id 0, value 0) add nothing, to the output or to
 * any gradient.
 */
public final class PairModel extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Linear tower;
    private final Linear mix;
    private final Linear out;
    private final int buckets;
    private final int hidden;
    private final int outputs;

    public PairModel(int buckets, int dim, int hidden, int outputs) {
        super(VERSION);
        this.buckets = buckets;
        this.hidden = hidden;
        this.outputs = outputs;
        this.tower = addChildBlock("tower", Linear.builder().setUnits(dim).build());
        this.mix = addChildBlock("mix", Linear.builder().setUnits(hidden).build());
        this.out = addChildBlock("out", Linear.builder().setUnits(outputs).build());
    }

    /** The final linear layer, whose per-sample gradient has a closed form. */
    public Linear outputLayer() {
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        Device device = inputs.head().getDevice();
        NDArray w = ps.getValue(tower.getParameters().get("weight"), device, training);
        NDArray b = ps.getValue(tower.getParameters().get("bias"), device, training);
        NDArray table = columns(w, inputs.head().getManager()); // once for both texts
        NDArray q = Activation.tanh(gather(inputs.get(0), inputs.get(1), table, b));
        NDArray p = Activation.tanh(gather(inputs.get(2), inputs.get(3), table, b));
        NDArray x = NDArrays.concat(new NDList(q, p, q.mul(p), inputs.get(4)), 1);
        NDArray h = Activation.relu(mix.forward(ps, new NDList(x), training).singletonOrThrow());
        NDArray y = out.forward(ps, new NDList(h), training).singletonOrThrow();
        return new NDList(y, h);
    }

    /**
     * The tower's linear map of sparse rows: sum_k value[n, k] * weight[:, id[n, k]] + bias, weight [dim, buckets].
     * The columns are gathered by an embedding lookup on {@link #columns}, so autograd gives the same weight gradient
     * as the dense product.
     */
    public static NDArray tower(NDArray ids, NDArray values, NDArray weight, NDArray bias) {
        return gather(ids, values, columns(weight, ids.getManager()), bias);
    }

    /**
     * The tower weight [dim, buckets] as a contiguous [buckets, dim] copy, the table {@link #gather} looks columns up
     * in. Looking up in the transposed view instead reads each column's {@code dim} values {@code buckets} floats
     * apart, one cache line per value (README, "the hashed model's training speed": a clear win with random bucket
     * ids; on the bench's generated pairs one run of three faster, two within the noise). The copy costs one pass
     * over the weight, its backward one more; the values looked up, and so every output and gradient, are the same.
     *
     * @param batch the manager the copy (and the transposed view, made in the weight's) belongs to: the batch's
     */
    public static NDArray columns(NDArray weight, NDManager batch) {
        Shape shape = weight.getShape();
        NDArray wt = weight.transpose();
        wt.attach(batch);
        return wt.flatten().reshape(shape.get(1), shape.get(0)); // flatten copies a non-contiguous view
    }

    /** {@link #tower} with the table of {@link #columns} already made: sum_k value[n, k] * table[id[n, k], :] + bias. */
    public static NDArray gather(NDArray ids, NDArray values, NDArray table, NDArray bias) {
        NDArray columns = ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE)
                .singletonOrThrow(); // [n, K, dim]
        return columns.mul(values.expandDims(2)).sum(new int[] {1}).add(bias);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, outputs), new Shape(batch, hidden)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape dense = new Shape(batch, buckets);
        tower.initialize(manager, dataType, dense);
        long dim = tower.getOutputShapes(new Shape[] {dense})[0].get(1);
        mix.initialize(manager, dataType, new Shape(batch, 3 * dim + inputShapes[4].get(1)));
        out.initialize(manager, dataType, new Shape(batch, hidden));
    }
}
