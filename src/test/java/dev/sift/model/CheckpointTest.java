package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.sift.data.Sample;
import dev.sift.Sha256;
import dev.sift.model.TrainSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User checkpoints in HuggingFace format, and reproducible fine-tuning of a BERT cross-encoder on CPU. */
class CheckpointTest {
    @TempDir
    Path dir;

    private static Checkpoint load(Path folder) throws Exception {
        return Checkpoint.huggingFace(folder.toString(), name -> Files.readAllBytes(folder.resolve(name)));
    }

    @Test
    void safetensorsCheckpointLoadsAndFineTunesReproducibly() throws Exception {
        Checkpoint cp = load(TinyBert.write(dir.resolve("tiny"), 1, null));
        assertEquals(TinyBert.config(), cp.config());
        List<Sample> samples = RelevanceTrainerTest.samples(48);
        TokenizedPairs pairs = TinyBert.pairs(cp, samples, 32);
        Targets t = TinyBert.grades(samples);
        RelevanceTrainer trainer = TinyBert.crossEncoder(cp, pairs, 0.1f, name -> true);
        byte[] init = trainer.initialWeights(3);
        int[] all = IntStream.range(0, samples.size()).toArray();
        TrainSpec spec = new TrainSpec(1, 8, 1e-3, 5, 0.01, 0.1, 1.0, 0, dev.sift.model.TrainSpec.DeviceChoice.CPU);
        var a = trainer.train(init, t, all, new int[0], spec, RelevanceTrainer.Listener.NONE);
        var b = trainer.train(init, t, all, new int[0], spec, RelevanceTrainer.Listener.NONE);
        assertEquals(Sha256.hex(a.weights()), Sha256.hex(b.weights()), "same seed, same weights");
        assertNotEquals(Sha256.hex(init), Sha256.hex(a.weights()));
        // the pretrained weights are in the initial checkpoint: its hidden states differ from those of the same
        // architecture with the same seed and nothing loaded
        RelevanceTrainer random = new RelevanceTrainer(() -> new CrossEncoder(cp.config(), 4, false, 0.1f), pairs,
                4, false, name -> true, blk -> { }, Device.cpu());
        float[][] loaded = trainer.predict(init, all).hidden();
        float[][] fresh = random.predict(random.initialWeights(3), all).hidden();
        assertEquals(samples.size(), loaded.length);
        double diff = 0;
        for (int i = 0; i < loaded.length; i++) {
            for (int j = 0; j < loaded[i].length; j++) {
                diff = Math.max(diff, Math.abs(loaded[i][j] - fresh[i][j]));
            }
        }
        assertTrue(diff > 1e-3, "hidden states of the loaded checkpoint equal a random encoder's: " + diff);
    }

    /** last_layers: only the top encoder layers and the head change; everything below stays as loaded. */
    @Test
    void lastLayersModeFreezesTheRest() throws Exception {
        Checkpoint cp = load(TinyBert.write(dir.resolve("tiny"), 2, null));
        List<Sample> samples = RelevanceTrainerTest.samples(32);
        TokenizedPairs pairs = TinyBert.pairs(cp, samples, 24);
        Targets t = TinyBert.grades(samples);
        java.util.regex.Pattern layer = java.util.regex.Pattern.compile("encoder\\.layer\\.(\\d+)\\.");
        RelevanceTrainer trainer = TinyBert.crossEncoder(cp, pairs, 0f, name -> {
            var m = layer.matcher(name);
            return name.contains("head_") || (m.find() && Integer.parseInt(m.group(1)) >= 1);
        });
        byte[] init = trainer.initialWeights(3);
        byte[] trained = trainer.train(init, t, IntStream.range(0, 32).toArray(), new int[0],
                new TrainSpec(1, 8, 1e-2, 5, 0.0, 0.0, 0.0, 0, dev.sift.model.TrainSpec.DeviceChoice.CPU), RelevanceTrainer.Listener.NONE).weights();
        var before = params(cp, init);
        var after = params(cp, trained);
        for (String frozen : List.of("embeddings.word_embeddings.weight", "encoder.layer.0.output.dense.weight",
                "encoder.layer.0.attention.self.query.bias")) {
            assertArrayEqualsExactly(before.get(frozen), after.get(frozen), frozen);
        }
        for (String trainable : List.of("encoder.layer.1.output.dense.weight", "encoder.layer.1.attention.self.query.bias")) {
            assertNotEquals(java.util.Arrays.hashCode(before.get(trainable)),
                    java.util.Arrays.hashCode(after.get(trainable)), trainable);
        }
    }

    private static void assertArrayEqualsExactly(float[] a, float[] b, String name) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, name + " must stay frozen");
    }

    /** Encoder parameters of a stored checkpoint, by HuggingFace name. */
    private static java.util.Map<String, float[]> params(Checkpoint cp, byte[] weights) throws Exception {
        try (ai.djl.Model model = ai.djl.Model.newInstance("check", Device.cpu(), "PyTorch")) {
            CrossEncoder block = new CrossEncoder(cp.config(), 4, false, 0f);
            model.setBlock(block);
            ai.djl.ndarray.types.Shape s = new ai.djl.ndarray.types.Shape(1, 1);
            block.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, s, s, s);
            block.loadParameters(model.getNDManager(), new java.io.DataInputStream(
                    new java.io.ByteArrayInputStream(weights)));
            java.util.Map<String, float[]> out = new java.util.HashMap<>();
            block.encoder().namedParameters().forEach((k, v) -> out.put(k, v.getArray().toFloatArray()));
            return out;
        }
    }

    @Test
    void missingTensorFailsNamingIt() throws Exception {
        Path folder = TinyBert.write(dir.resolve("broken"), 1, "encoder.layer.1.output.dense.bias");
        var e = assertThrows(IllegalArgumentException.class, () -> load(folder));
        assertEquals(folder + ": checkpoint has no tensor encoder.layer.1.output.dense.bias", e.getMessage());
    }

    @Test
    void nonBertArchitectureIsRefused() throws Exception {
        Path folder = TinyBert.write(dir.resolve("roberta"), 1, null);
        Files.writeString(folder.resolve("config.json"), Files.readString(folder.resolve("config.json"))
                .replace("\"bert\"", "\"roberta\""));
        var e = assertThrows(IllegalArgumentException.class, () -> load(folder));
        assertEquals(folder + "/config.json: model_type 'roberta' is not a BERT architecture (supported: [bert])",
                e.getMessage());
    }

    @Test
    void halfPrecisionDecodes() {
        assertEquals(1.0f, Safetensors.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, Safetensors.halfToFloat((short) 0xC000));
        assertEquals(0.5f, Safetensors.halfToFloat((short) 0x3800));
        assertEquals(5.9604645e-8f, Safetensors.halfToFloat((short) 0x0001));
    }
}
