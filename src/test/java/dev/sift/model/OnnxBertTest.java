package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ONNX Runtime pass of {@link OnnxBert} computes what {@link BertEncoder} computes in DJL. */
class OnnxBertTest {
    /** A batch with padding: the mask's zeros change the attention of every token of a padded row. */
    private static NDList batch(NDManager m) {
        long[][] ids = {{101, 2023, 2003, 1037, 3231, 102}, {101, 7592, 102, 0, 0, 0}, {101, 2307, 4937, 2175, 102, 0}};
        long[][] types = {{0, 0, 0, 1, 1, 1}, {0, 0, 0, 0, 0, 0}, {0, 0, 1, 1, 1, 0}};
        long[][] mask = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 0}};
        return new NDList(m.create(ids), m.create(types), m.create(mask));
    }

    @Test
    void randomWeightsWithPaddingGiveDjlsHiddenStates() {
        Engine.getEngine("PyTorch").setRandomSeed(3);
        try (Model model = Model.newInstance("bert", Device.cpu(), "PyTorch")) {
            BertEncoder encoder = new BertEncoder(TinyBert.config());
            model.setBlock(encoder);
            NDManager m = model.getNDManager();
            NDList in = batch(m);
            encoder.initialize(m, DataType.FLOAT32, new Shape(3, 6), new Shape(3, 6), new Shape(3, 6));
            float[] djl = encoder.forward(new ParameterStore(m, false), in, false).singletonOrThrow().toFloatArray();
            try (OnnxBert ort = OnnxBert.of(encoder)) {
                NDArray hidden = ort.hidden(m, in);
                assertEquals(new Shape(3, 6, TinyBert.config().hidden()), hidden.getShape());
                float[] got = hidden.toFloatArray();
                assertArrayEquals(djl, got, 1e-4f);
                // the same session twice: no state carried between batches
                assertArrayEquals(got, ort.hidden(m, in).toFloatArray(), 0f);
            }
        }
    }

    @Test
    void pretrainedMiniLmGivesDjlsHiddenStates() throws Exception {
        Map<String, NamedTensor> tensors = PretrainedMiniLm.weights();
        try (TextTokenizer tok = PretrainedMiniLm.tokenizer(64);
                Model model = Model.newInstance("minilm", Device.cpu(), "PyTorch");
                OnnxBert ort = OnnxBert.of(BertConfig.miniLmL6(), tensors)) {
            BertEncoder encoder = new BertEncoder(BertConfig.miniLmL6());
            model.setBlock(encoder);
            NDManager m = model.getNDManager();
            encoder.load(m, tensors);
            NDList in = tok.batch(m, List.of("red running shoes", "a stainless steel kettle, 1.7 litres", "tv"), null);
            float[] djl = encoder.forward(new ParameterStore(m, false), in, false).singletonOrThrow().toFloatArray();
            float[] got = ort.hidden(m, in).toFloatArray();
            assertEquals(djl.length, got.length);
            double worst = 0;
            for (int i = 0; i < djl.length; i++) {
                worst = Math.max(worst, Math.abs(djl[i] - got[i]));
            }
            assertTrue(worst < 1e-3, "largest difference " + worst);
        }
    }

    @Test
    void aMisshapenTensorIsNamed() throws Exception {
        Map<String, NamedTensor> tensors = new java.util.HashMap<>(PretrainedMiniLm.weights());
        tensors.put("encoder.layer.0.output.dense.bias", new NamedTensor("encoder.layer.0.output.dense.bias",
                new long[] {3}, new float[3]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxBert.of(BertConfig.miniLmL6(), tensors).close());
        assertTrue(e.getMessage().contains("encoder.layer.0.output.dense.bias"), e.getMessage());
    }
}
