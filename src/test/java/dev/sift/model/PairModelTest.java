package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.sift.data.Sample;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The tower computed from nonzero entries equals the dense product over every bucket, value and gradient. */
class PairModelTest {
    private static final int BUCKETS = 256;
    private static final int DIM = 8;

    @Test
    void sparseTowerEqualsTheDenseProductAndItsGradient() {
        List<Sample> s = RelevanceTrainerTest.samples(24);
        EncodedPairs data = EncodedPairs.encode(s, BUCKETS);
        int[] sel = IntStream.range(0, s.size()).toArray();
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed(5);
            NDArray w = m.randomNormal(new Shape(DIM, BUCKETS));
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
                NDArray y = PairModel.tower(x.get(2), x.get(3), w, b);
                sparseOut = y.toFloatArray();
                gc.backward(y.mul(upstream).sum());
            }
            sparseGrad = w.getGradient().toFloatArray();
            w.getGradient().subi(w.getGradient());
            float[] denseOut;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = m.create(dense, new Shape(sel.length, BUCKETS)).matMul(w.transpose()).add(b);
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
}
