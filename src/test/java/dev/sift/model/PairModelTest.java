package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.sift.data.Sample;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The tower computed from nonzero entries equals the dense product over every bucket, value and gradient. */
class PairModelTest {
    private static final int BUCKETS = 256;
    private static final int DIM = 8;

    /** A decomposed accent, a composed one and a Devanagari vowel sign stay inside their words. */
    @Test
    void combiningMarksStayInsideTheirWords() {
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"t\u00f6pfe", "blau"},
                HashedFeatures.tokens("To\u0308pfe, BLAU"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(HashedFeatures.tokens("T\u00f6pfe blau"),
                HashedFeatures.tokens("To\u0308pfe blau"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"\u0915\u093f\u0924\u093e\u092c"},
                HashedFeatures.tokens("\u0915\u093f\u0924\u093e\u092c!"), "a Hindi word (kitaab) is one word");
        org.junit.jupiter.api.Assertions.assertArrayEquals(new String[] {"usb", "c", "kabel", "2m"},
                HashedFeatures.tokens("USB-C Kabel (2m)"));
    }

    @Test
    void sparseTowerEqualsTheDenseProductAndItsGradient() {
        List<Sample> s = RelevanceTrainerTest.samples(24);
        EncodedPairs data = EncodedPairs.encode(s, BUCKETS);
        int[] sel = IntStream.range(0, s.size()).toArray();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed(5);
            NDArray w = m.randomNormal(new Shape(BUCKETS, DIM)); // the tower's layout: a bucket's column per row
            NDArray b = m.randomNormal(new Shape(DIM));
            w.setRequiresGradient(true);
            NDList x = data.batch(m, sel);
            assertEquals(5, x.size());
            assertTrue(x.get(2).getShape().get(1) > 1, "rows of several nonzero entries");
            float[] dense = new float[sel.length * BUCKETS];
            for (int r = 0; r < sel.length; r++) {
                HashedFeatures.Sparse row = data.product()[r];
                for (int j = 0; j < row.index().length; j++) {
                    dense[r * BUCKETS + row.index()[j]] = row.value()[j];
                }
            }
            NDArray upstream = m.randomNormal(new Shape(sel.length, DIM));
            float[] sparseOut;
            float[] sparseGrad;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = HashedTower.lookup(x.get(2), x.get(3), w, b);
                sparseOut = y.toFloatArray();
                gc.backward(y.mul(upstream).sum());
            }
            sparseGrad = w.getGradient().toFloatArray();
            w.getGradient().subi(w.getGradient());
            float[] denseOut;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = m.create(dense, new Shape(sel.length, BUCKETS)).matMul(w).add(b);
                denseOut = y.toFloatArray();
                gc.backward(y.mul(upstream).sum());
            }
            float[] denseGrad = w.getGradient().toFloatArray();
            for (int i = 0; i < denseOut.length; i++) {
                assertEquals(denseOut[i], sparseOut[i], 1e-5, "output " + i);
            }
            for (int i = 0; i < denseGrad.length; i++) {
                assertEquals(denseGrad[i], sparseGrad[i], 1e-5, "weight gradient " + i);
            }
        }
    }

    /** The tower's first weights are what a DJL Linear of the same width draws from the same seed, transposed. */
    @Test
    void towerStartsFromTheLinearLayersDrawTransposed() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Shape input = new Shape(3, BUCKETS);
            Engine.getEngine("PyTorch").setRandomSeed(11);
            Linear linear = Linear.builder().setUnits(DIM).build();
            linear.initialize(m, DataType.FLOAT32, input);
            Engine.getEngine("PyTorch").setRandomSeed(11);
            HashedTower tower = new HashedTower(DIM);
            tower.initialize(m, DataType.FLOAT32, input);
            NDArray lw = linear.getParameters().get("weight").getArray();
            NDArray tw = tower.getParameters().get("weight").getArray();
            assertEquals(new Shape(BUCKETS, DIM), tw.getShape());
            assertArrayEquals(lw.transpose().toFloatArray(), tw.toFloatArray());
        }
    }

    /** Weights stored by the encoding of version 1 (tower as a Linear, [dim, buckets]) load, the tower transposed. */
    @Test
    void readsWeightsStoredWithTheTowerAsALinearLayer() throws Exception {
        List<Sample> s = RelevanceTrainerTest.samples(12);
        EncodedPairs data = EncodedPairs.encode(s, BUCKETS);
        int[] sel = IntStream.range(0, s.size()).toArray();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed(3);
            VersionOne old = new VersionOne(BUCKETS, DIM, 5, 4);
            old.initialize(m, DataType.FLOAT32, data.shapes());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            old.saveParameters(new DataOutputStream(bytes));
            assertEquals(1, bytes.toByteArray()[0], "the old encoding's version byte");

            Engine.getEngine("PyTorch").setRandomSeed(4); // other weights, overwritten by the load
            PairModel model = new PairModel(BUCKETS, DIM, 5, 4);
            model.initialize(m, DataType.FLOAT32, data.shapes());
            model.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            var oldP = old.getParameters();
            var newP = model.getParameters();
            assertEquals(oldP.keys(), newP.keys());
            for (var e : oldP) {
                NDArray was = e.getValue().getArray();
                NDArray now = newP.get(e.getKey()).getArray();
                NDArray expected = e.getKey().endsWith("tower_weight") ? was.transpose() : was;
                assertArrayEquals(expected.toFloatArray(), now.toFloatArray(), e.getKey());
                assertEquals(expected.getShape(), now.getShape(), e.getKey());
            }
            // and it computes: the tower output equals the Linear's dense product
            NDList x = data.batch(m, sel);
            NDArray w = oldP.get(oldP.keys().stream().filter(k -> k.endsWith("tower_weight")).findFirst()
                    .orElseThrow()).getArray();
            NDArray b = oldP.get(oldP.keys().stream().filter(k -> k.endsWith("tower_bias")).findFirst()
                    .orElseThrow()).getArray();
            float[] dense = new float[sel.length * BUCKETS];
            for (int r = 0; r < sel.length; r++) {
                HashedFeatures.Sparse row = data.query()[r];
                for (int j = 0; j < row.index().length; j++) {
                    dense[r * BUCKETS + row.index()[j]] = row.value()[j];
                }
            }
            float[] viaLinear = m.create(dense, new Shape(sel.length, BUCKETS)).matMul(w.transpose()).add(b)
                    .toFloatArray();
            NDArray table = newP.get(newP.keys().stream().filter(k -> k.endsWith("tower_weight")).findFirst()
                    .orElseThrow()).getArray();
            float[] viaTower = HashedTower.lookup(x.get(0), x.get(1), table, b).toFloatArray();
            for (int i = 0; i < viaLinear.length; i++) {
                assertEquals(viaLinear[i], viaTower[i], 1e-5, "output " + i);
            }
        }
    }

    /** A stored model whose tower does not fit (other buckets) is refused with the shapes, not loaded. */
    @Test
    void refusesATowerOfOtherWidth() throws Exception {
        List<Sample> s = RelevanceTrainerTest.samples(6);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            VersionOne old = new VersionOne(BUCKETS * 2, DIM, 5, 4);
            old.initialize(m, DataType.FLOAT32, EncodedPairs.encode(s, BUCKETS).shapes());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            old.saveParameters(new DataOutputStream(bytes));
            PairModel model = new PairModel(BUCKETS, DIM, 5, 4);
            model.initialize(m, DataType.FLOAT32, EncodedPairs.encode(s, BUCKETS).shapes());
            var e = assertThrows(MalformedModelException.class, () -> model.loadParameters(m,
                    new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
            assertTrue(e.getMessage().contains("do not fit a tower of " + BUCKETS + " buckets"), e.getMessage());
        }
    }

    /** PairModel as encoding version 1 had it: the tower a DJL Linear. */
    private static final class VersionOne extends AbstractBlock {
        private final Linear tower;
        private final Linear mix;
        private final Linear out;
        private final int buckets;

        VersionOne(int buckets, int dim, int hidden, int outputs) {
            super((byte) 1);
            this.buckets = buckets;
            tower = addChildBlock("tower", Linear.builder().setUnits(dim).build());
            mix = addChildBlock("mix", Linear.builder().setUnits(hidden).build());
            out = addChildBlock("out", Linear.builder().setUnits(outputs).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                PairList<String, Object> params) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[0];
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            long batch = inputShapes[0].get(0);
            Shape dense = new Shape(batch, buckets);
            tower.initialize(manager, dataType, dense);
            long dim = tower.getOutputShapes(new Shape[] {dense})[0].get(1);
            Shape mixed = new Shape(batch, 3 * dim + inputShapes[4].get(1));
            mix.initialize(manager, dataType, mixed);
            out.initialize(manager, dataType, mix.getOutputShapes(new Shape[] {mixed})[0]);
        }
    }
}
