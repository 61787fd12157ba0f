package dev.sift.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A BERT-family cross-encoder: {@code [CLS] query [SEP] product [SEP]} through the encoder, pooled (mean over
 * tokens or the [CLS] state), dropout, and a linear head to the grades. Returns (output, pooled vector).
 */
public final class CrossEncoder extends AbstractBlock {
    private static final byte VERSION = 1;

    private final BertEncoder encoder;
    private final Linear head;
    private final boolean clsPooling;
    private final float dropout;

    public CrossEncoder(BertConfig config, int outputs, boolean clsPooling, float dropout) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", new BertEncoder(config));
        this.head = addChildBlock("head", Linear.builder().setUnits(outputs).build());
        this.clsPooling = clsPooling;
        this.dropout = dropout;
    }

    public BertEncoder encoder() {
        return encoder;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray hidden = encoder.forward(ps, inputs, training).singletonOrThrow();
        NDArray pooled = clsPooling ? hidden.get(":, 0, :") : BertEncoder.meanPool(hidden, inputs.get(2));
        NDArray x = training && dropout > 0
                ? pooled.getNDArrayInternal().dropout(pooled, dropout, true).singletonOrThrow() : pooled;
        return new NDList(head.forward(ps, new NDList(x), training).singletonOrThrow(), pooled);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {head.getOutputShapes(new Shape[] {new Shape(b, encoder.config().hidden())})[0],
            new Shape(b, encoder.config().hidden())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), encoder.config().hidden()));
    }
}
