package dev.sift.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A small MLP on fixed features (frozen-encoder embeddings): one ReLU layer, then the output. */
public final class HeadModel extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Linear hidden;
    private final Linear out;
    private final int hiddenUnits;

    public HeadModel(int hiddenUnits, int outputs) {
        super(VERSION);
        this.hiddenUnits = hiddenUnits;
        this.hidden = addChildBlock("hidden", Linear.builder().setUnits(hiddenUnits).build());
        this.out = addChildBlock("out", Linear.builder().setUnits(outputs).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray h = Activation.relu(hidden.forward(ps, inputs, training).singletonOrThrow());
        return new NDList(out.forward(ps, new NDList(h), training).singletonOrThrow(), h);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {out.getOutputShapes(new Shape[] {new Shape(b, hiddenUnits)})[0],
            new Shape(b, hiddenUnits)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        hidden.initialize(manager, dataType, inputShapes[0]);
        out.initialize(manager, dataType, new Shape(inputShapes[0].get(0), hiddenUnits));
    }
}
