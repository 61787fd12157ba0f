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
import dev.sift.data.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
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

    /**
     * A cross-encoder's predictions (probabilities after the head, pooled states) from ONNX Runtime are DJL's, on a
     * trained model's weights, in batches whose lengths differ (so padded batches too).
     */
    @Test
    void crossEncoderPredictionsMatchDjl(@TempDir Path dir) throws Exception {
        Checkpoint cp = tiny(dir, 4);
        List<Sample> samples = RelevanceTrainerTest.samples(40);
        TokenizedPairs pairs = TinyBert.pairs(cp, samples, 24);
        RelevanceTrainer trainer = TinyBert.crossEncoder(cp, pairs, 0f, name -> true);
        int[] all = IntStream.range(0, samples.size()).toArray();
        byte[] w = trainer.train(trainer.initialWeights(5), TinyBert.grades(samples), all, new int[0],
                new TrainSpec(2, 8, 1e-3, 5, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU),
                RelevanceTrainer.Listener.NONE).weights();
        try (Model model = trainer.load(w)) {
            Inference inference = new Inference(pairs, false);
            Predictions djl = inference.predict(model, all, 8, null);
            Predictions ort;
            try (OnnxBert onnx = Inference.onnx(model)) {
                assertTrue(onnx != null, "a cross-encoder on the CPU infers in ONNX Runtime");
                ort = inference.predict(model, all, 8, onnx);
            }
            assertSamePredictions(djl, ort);
        }
    }

    /** A TinyBert checkpoint of random weights from {@code seed}, written to and read from {@code dir}. */
    private static Checkpoint tiny(Path dir, long seed) throws Exception {
        Path folder = TinyBert.write(dir.resolve("tiny"), seed, null);
        return Checkpoint.huggingFace(folder.toString(), name -> Files.readAllBytes(folder.resolve(name)));
    }

    /** Every sample's outputs and pooled states, within float rounding of the two runtimes. */
    private static void assertSamePredictions(Predictions djl, Predictions ort) {
        assertEquals(djl.probs().length, ort.probs().length);
        for (int i = 0; i < djl.probs().length; i++) {
            assertArrayEquals(djl.probs()[i], ort.probs()[i], 1e-4f, "sample " + i);
            assertArrayEquals(djl.hidden()[i], ort.hidden()[i], 1e-4f, "sample " + i);
        }
    }

    /** [CLS] pooling and a regression head (one output, no softmax) go through ONNX Runtime as through DJL. */
    @Test
    void clsPoolingAndRegressionMatchDjl(@TempDir Path dir) throws Exception {
        Checkpoint cp = tiny(dir, 6);
        List<Sample> samples = RelevanceTrainerTest.samples(24);
        TokenizedPairs pairs = TinyBert.pairs(cp, samples, 24);
        for (boolean regression : new boolean[] {false, true}) {
            int outputs = regression ? 1 : 4;
            RelevanceTrainer trainer = new RelevanceTrainer(() -> new CrossEncoder(cp.config(), outputs, true, 0f),
                    pairs, outputs, regression, name -> true, b -> ((CrossEncoder) b).encoder().load(null,
                    cp.weights()), Device.cpu());
            int[] all = IntStream.range(0, samples.size()).toArray();
            try (Model model = trainer.load(trainer.initialWeights(7))) {
                Inference inference = new Inference(pairs, regression);
                Predictions djl = inference.predict(model, all, 5, null);
                Predictions ort = inference.predict(model, all, 5);
                assertSamePredictions(djl, ort);
            }
        }
    }

    /** The frozen encoder's mean-pooled sentence embeddings (ONNX Runtime on the CPU) are DJL's. */
    @Test
    void sentenceEmbeddingsMatchDjl() throws Exception {
        List<String> texts = List.of("usb c charging cable 2m", "wireless mouse", "a",
                "running shoes for women, size 38");
        Map<String, NamedTensor> tensors = PretrainedMiniLm.weights();
        try (TextTokenizer tok = PretrainedMiniLm.tokenizer(32);
                Model model = Model.newInstance("minilm", Device.cpu(), "PyTorch")) {
            float[][] ort = SentenceEmbedder.embed(BertConfig.miniLmL6(), tensors, tok, texts, Device.cpu());
            BertEncoder encoder = new BertEncoder(BertConfig.miniLmL6());
            model.setBlock(encoder);
            NDManager m = model.getNDManager();
            encoder.load(m, tensors);
            NDList in = tok.batch(m, texts, null);
            float[] djl = BertEncoder.meanPool(encoder.forward(new ParameterStore(m, false), in, false)
                    .singletonOrThrow(), in.get(2)).toFloatArray();
            int h = BertConfig.miniLmL6().hidden();
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(java.util.Arrays.copyOfRange(djl, i * h, (i + 1) * h), ort[i], 1e-4f, texts.get(i));
            }
        }
    }

    /** Closing a session frees its copy of the weights at once, not at the next collection. */
    @Test
    void closingFreesTheWeightsCopyAtOnce() throws Exception {
        Map<String, NamedTensor> tensors = PretrainedMiniLm.weights();
        long weights = 4L * tensors.values().stream().mapToLong(t -> t.values().length).sum();
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        long before = direct.getMemoryUsed();
        OnnxBert ort = OnnxBert.of(BertConfig.miniLmL6(), tensors);
        long open = direct.getMemoryUsed();
        ort.close();
        long closed = direct.getMemoryUsed();
        assertTrue(open - before >= weights, "the session's weights in direct memory: " + (open - before));
        assertTrue(open - closed >= weights, "freed on close: " + (open - closed) + " of " + weights);
    }

    @Test
    void theSwitchTakesTwoRuntimesAndRefusesOthers() {
        assertEquals("onnxruntime", Devices.inference(null));
        assertEquals("onnxruntime", Devices.inference(" "));
        assertEquals("djl", Devices.inference(" djl"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.inference("ort"));
        assertEquals("SIFT_INFERENCE is 'ort': use onnxruntime or djl", e.getMessage());
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
