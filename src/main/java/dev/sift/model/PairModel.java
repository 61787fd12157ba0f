package dev.sift.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Query-product relevance model: a shared text tower maps query and product features to embeddings; the
 * head reads [q, p, q*p, word overlap] through one hidden layer to the output. Returns (output, last hidden activations):
 * the hidden activations are what the last-layer gradient and embedding-based methods need.
 */
public final class PairModel extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Linear tower;
    private final Linear mix;
    private final Linear out;
    private final int hidden;
    private final int outputs;

    public PairModel(int dim, int hidden, int outputs) {
        super(VERSION);
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
        NDArray q = Activation.tanh(tower.forward(ps, new NDList(inputs.get(0)), training).singletonOrThrow());
        NDArray p = Activation.tanh(tower.forward(ps, new NDList(inputs.get(1)), training).singletonOrThrow());
        NDArray x = NDArrays.concat(new NDList(q, p, q.mul(p), inputs.get(2)), 1);
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
        tower.initialize(manager, dataType, inputShapes[0]);
        long dim = tower.getOutputShapes(new Shape[] {inputShapes[0]})[0].get(1);
        mix.initialize(manager, dataType, new Shape(batch, 3 * dim + inputShapes[2].get(1)));
        out.initialize(manager, dataType, new Shape(batch, hidden));
    }
}
