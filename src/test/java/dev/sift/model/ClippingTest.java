package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Global-norm clipping against the norm computed here in double from the gradients' floats: the scale is
 * min(1, clipNorm / ||g||), and clipping leaves gradients whose global norm is the clip norm (or unchanged below it).
 */
class ClippingTest {
    @Test
    void scaleIsClipNormOverTheGlobalNormOfAllGradients() {
        Engine.getEngine("PyTorch").setRandomSeed(3);
        try (Model m = model(); NDManager data = NDManager.newBaseManager("PyTorch")) {
            List<Parameter> params = FlatAdamWTest.trainable(m);
            FlatAdamWTest.backward(m, data.randomNormal(new Shape(16, 29)).mul(30),
                    data.randomNormal(new Shape(16, 3)));
            double norm = globalNorm(params);
            // gradients of a loss on inputs times 30: the norm is far above both clip norms tried below it
            for (double clip : new double[] {0.5, 2.0}) {
                assertEquals(Math.min(1, clip / norm), TrainingLoop.clipScale(params, clip), 1e-6 * clip / norm);
            }
            assertEquals(1f, TrainingLoop.clipScale(params, norm * 4));
            assertEquals(1f, TrainingLoop.clipScale(params, 0));
            TrainingLoop.clipByGlobalNorm(params, 0.5);
            assertEquals(0.5, globalNorm(params), 1e-6);
            TrainingLoop.clipByGlobalNorm(params, 1.0); // below the clip norm: unchanged
            assertEquals(0.5, globalNorm(params), 1e-6);
        }
    }

    private static double globalNorm(List<Parameter> params) {
        double sum = 0;
        for (Parameter p : params) {
            try (NDArray g = p.getArray().getGradient()) {
                for (float v : g.toFloatArray()) {
                    sum += (double) v * v;
                }
            }
        }
        return Math.sqrt(sum);
    }

    private static Model model() {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(41).build()).add(Activation::tanh)
                .add(Linear.builder().setUnits(3).build());
        Model m = Model.newInstance("clip", Device.cpu(), "PyTorch");
        m.setBlock(block);
        block.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(16, 29));
        return m;
    }
}
