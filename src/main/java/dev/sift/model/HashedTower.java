package dev.sift.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * The hashed model's text tower: a linear map of a {@code buckets}-wide hashed vector to {@code units}, read from the
 * vector's nonzero entries only. Input: bucket ids [n, K] (int64) and their values [n, K]; output
 * {@code sum_k value[n, k] * weight[id[n, k], :] + bias}, [n, units].
 *
 * <p>The weight is stored as [buckets, units], one bucket's column per row, the layout an embedding lookup reads
 * and its backward pass writes. A DJL {@code Linear} holds it as [units, buckets]: looking columns up in that layout
 * needs a contiguous transposed copy every batch, and its gradient arrives in the lookup's layout and is added into
 * the weight's transposed, a strided pass over all 262,144 floats at the defaults (README, "the hashed model's
 * training speed"). The initial weights are the {@code Linear}'s, transposed: the same draw from the same
 * initializer over [units, buckets], so a seed gives the same model in either layout.
 */
public final class HashedTower extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int units;
    private final Parameter weight;
    private final Parameter bias;

    public HashedTower(int units) {
        super(VERSION);
        this.units = units;
        Initializer linear = Parameter.Type.WEIGHT.getInitializer();
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optInitializer((manager, shape, type) -> transposedDraw(linear, manager, shape, type)).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    }

    /** What {@code initializer} draws for the [units, buckets] layout, as a contiguous [buckets, units] array. */
    private static NDArray transposedDraw(Initializer initializer, NDManager manager, Shape shape, DataType type) {
        try (NDManager tmp = manager.newSubManager()) {
            NDArray drawn = initializer.initialize(tmp, new Shape(shape.get(1), shape.get(0)), type);
            NDArray table = drawn.transpose().flatten().reshape(shape); // flatten copies the transposed view
            table.attach(manager);
            return table;
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray w = ps.getValue(weight, inputs.head().getDevice(), training);
        NDArray b = ps.getValue(bias, inputs.head().getDevice(), training);
        return new NDList(lookup(inputs.get(0), inputs.get(1), w, b));
    }

    /** {@code sum_k values[n, k] * table[ids[n, k], :] + bias} with table [buckets, units]. */
    public static NDArray lookup(NDArray ids, NDArray values, NDArray table, NDArray bias) {
        NDArray columns = ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE)
                .singletonOrThrow(); // [n, K, units]
        return columns.mul(values.expandDims(2)).sum(new int[] {1}).add(bias);
    }

    /**
     * Reads into this initialised tower the weights a DJL {@code Linear} of the same units wrote ([units, buckets]
     * and [units]: how {@link PairModel} stored the tower up to its encoding version 1), transposed.
     */
    void loadLinear(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        Linear legacy = Linear.builder().setUnits(units).build();
        try (NDManager tmp = manager.newSubManager()) {
            legacy.loadParameters(tmp, is);
            NDArray w = legacy.getParameters().get("weight").getArray();
            NDArray b = legacy.getParameters().get("bias").getArray();
            Shape table = weight.getArray().getShape();
            if (!w.getShape().equals(new Shape(table.get(1), table.get(0))) || !b.getShape().equals(new Shape(units))) {
                throw new MalformedModelException("tower weight " + w.getShape() + " and bias " + b.getShape()
                        + " do not fit a tower of " + table.get(0) + " buckets and " + units + " units");
            }
            // written through detached aliases: the parameters are leaves that require gradients
            aliasOf(weight.getArray(), tmp).set(new NDIndex(":"), w.transpose());
            aliasOf(bias.getArray(), tmp).set(new NDIndex(":"), b);
        }
    }

    private static NDArray aliasOf(NDArray parameter, NDManager owner) {
        NDArray alias = JniUtils.detachGradient((PtNDArray) parameter);
        alias.attach(owner);
        return alias;
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        long buckets = inputShapes[0].get(inputShapes[0].dimension() - 1);
        weight.setShape(new Shape(buckets, units));
        bias.setShape(new Shape(units));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), units)};
    }
}
