package dev.sift.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * A small MLP on fixed features (frozen-encoder embeddings) with a linear path from the zero-shot score:
 * output = out(relu(hidden(x))) + zeroShot(cos). The second path lets the model rank at least as the free
 * baseline does from the first epochs, and the MLP learns the correction. Inputs: the features [n, d] and the
 * standardised cosine [n, 1] ({@link DenseFeatures}).
 */
public final class HeadModel extends AbstractBlock {
    private static final byte VERSION = 2;

    private final Linear hidden;
    private final Linear out;
    private final Linear zeroShot;
    private final int hiddenUnits;

    public HeadModel(int hiddenUnits, int outputs) {
        super(VERSION);
        this.hiddenUnits = hiddenUnits;
        this.hidden = addChildBlock("hidden", Linear.builder().setUnits(hiddenUnits).build());
        this.out = addChildBlock("out", Linear.builder().setUnits(outputs).build());
        this.zeroShot = addChildBlock("zero_shot", Linear.builder().setUnits(outputs).optBias(false).build());
        // the correction starts at zero: at initialisation the model is a function of the zero-shot score alone
        out.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray h = Activation.relu(hidden.forward(ps, new NDList(inputs.get(0)), training).singletonOrThrow());
        NDArray y = out.forward(ps, new NDList(h), training).singletonOrThrow()
                .add(zeroShot.forward(ps, new NDList(inputs.get(1)), training).singletonOrThrow());
        return new NDList(y, h);
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
        zeroShot.initialize(manager, dataType, inputShapes[1]);
    }
}
