package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/**
 * A forward pass, in inference and in training, leaves in the caller's manager what it returns and one array per
 * layer, not every intermediate of every layer (DJL frees an array only when its manager closes); training through
 * the scopes still reaches every weight.
 */
class BertEncoderScopeTest {
    private static final long BATCH = 3;
    private static final long LEN = 7;

    @Test
    void layersLeaveOnlyTheirOutputsInTheCallersManager() {
        int one = arraysLeft(1, false);
        int four = arraysLeft(4, false);
        // in inference each layer keeps its output and nothing else in the caller's manager
        assertEquals(3, four - one, "arrays left by 1 layer: " + one + ", by 4 layers: " + four);
        // so does training: the autograd graph keeps what the backward pass needs (trainingReachesEveryWeight)
        assertEquals(3, arraysLeft(4, true) - arraysLeft(1, true));
    }

    @Test
    void trainingReachesEveryWeight() {
        Autograd.offOnThisThread();
        BertConfig c = config(3);
        try (Model model = Model.newInstance("scope", "PyTorch"); NDManager m = NDManager.newBaseManager("PyTorch")) {
            BertEncoder block = new BertEncoder(c);
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, shapes());
            block.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray out = block.forward(new ParameterStore(m, false), inputs(m), true).singletonOrThrow();
                gc.backward(out.square().mean());
            }
            for (var p : block.namedParameters().entrySet()) {
                if (p.getKey().contains("token_type")) {
                    continue; // token types are all 0 here: only row 0 gets a gradient
                }
                float max = p.getValue().getArray().getGradient().abs().max().getFloat();
                assertTrue(max > 0, p.getKey() + " got no gradient");
            }
        }
    }

    private static int arraysLeft(int layers, boolean training) {
        Autograd.offOnThisThread();
        try (Model model = Model.newInstance("scope", "PyTorch"); NDManager m = NDManager.newBaseManager("PyTorch")) {
            BertEncoder block = new BertEncoder(config(layers));
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, shapes());
            NDList in = inputs(m);
            int before = m.getManagedArrays().size();
            if (training) {
                block.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    gc.backward(block.forward(new ParameterStore(m, false), in, true).singletonOrThrow().sum());
                }
            } else {
                block.forward(new ParameterStore(m, false), in, false);
            }
            return m.getManagedArrays().size() - before;
        }
    }

    private static BertConfig config(int layers) {
        BertConfig t = TinyBert.config();
        return new BertConfig(64, t.hidden(), layers, t.heads(), t.intermediate(), t.maxPositions(), t.typeVocab(),
                1e-12f);
    }

    private static Shape[] shapes() {
        return new Shape[] {new Shape(1, 1), new Shape(1, 1), new Shape(1, 1)};
    }

    private static NDList inputs(NDManager m) {
        long[] ids = new long[(int) (BATCH * LEN)];
        long[] mask = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + (i * 7) % 60;
            mask[i] = i % LEN < LEN - (i / LEN) ? 1 : 0; // rows padded by 0, 1 and 2 tokens
        }
        Shape s = new Shape(BATCH, LEN);
        return new NDList(m.create(ids, s), m.create(new long[ids.length], s), m.create(mask, s));
    }
}
