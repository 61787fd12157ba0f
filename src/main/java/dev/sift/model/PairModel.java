package dev.sift.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Query-product relevance model: a shared text tower maps query and product features to embeddings; the
 * head reads [q, p, q*p, word overlap] through one hidden layer to the output. Returns (output, last hidden activations):
 * the hidden activations are what the last-layer gradient and embedding-based methods need.
 *
 * <p>Inputs ({@link EncodedPairs#batch}): query bucket ids [n, Kq] (int64) and their values [n, Kq], product bucket
 * ids and values [n, Kp], overlap features [n, 4]. The tower is a linear layer over the {@code buckets}-wide hashed
 * vector, computed from its nonzero entries only ({@link HashedTower}): the same sum as the dense product, at a cost of
 * K instead of {@code buckets} columns per sample. Padding entries (id 0, value 0) add nothing, to the output or to
 * any gradient.
 */
public final class PairModel extends AbstractBlock {
    /** 2: the tower as {@link HashedTower} ([buckets, dim]); 1 (still read): a DJL {@code Linear} ([dim, buckets]). */
    private static final byte VERSION = 2;

    private final HashedTower tower;
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
        this.tower = addChildBlock("tower", new HashedTower(dim));
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
        NDArray q = Activation.tanh(tower.forward(ps, new NDList(inputs.get(0), inputs.get(1)), training).head());
        NDArray p = Activation.tanh(tower.forward(ps, new NDList(inputs.get(2), inputs.get(3)), training).head());
        NDArray x = NDArrays.concat(new NDList(q, p, q.mul(p), inputs.get(4)), 1);
        NDArray h = Activation.relu(mix.forward(ps, new NDList(x), training).singletonOrThrow());
        NDArray y = out.forward(ps, new NDList(h), training).singletonOrThrow();
        return new NDList(y, h);
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

    /** Reads both encodings: version 1 stored the tower as a DJL {@code Linear}, read transposed. */
    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        byte stored = is.readByte();
        if (stored != 1) {
            loadMetadata(stored, is);
            for (Block child : getChildren().values()) {
                child.loadParameters(manager, is);
            }
            return;
        }
        readInputShapes(is);
        tower.loadLinear(manager, is);
        mix.loadParameters(manager, is);
        out.loadParameters(manager, is);
    }
}
