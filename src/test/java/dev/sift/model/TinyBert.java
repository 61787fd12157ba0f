package dev.sift.model;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.data.Sample;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/** Writes a small BERT checkpoint in the real HuggingFace format (config.json, model.safetensors, tokenizer.json). */
public final class TinyBert {
    private TinyBert() {
    }

    /** The query-title pairs of {@code samples}, tokenised by {@code cp}'s tokenizer to at most {@code maxLength}. */
    public static TokenizedPairs pairs(Checkpoint cp, List<Sample> samples, int maxLength) throws IOException {
        try (TextTokenizer tok = cp.tokenizer(maxLength)) {
            return tok.pairs(samples.stream().map(Sample::query).toList(),
                    samples.stream().map(Sample::title).toList());
        }
    }

    /** The samples' labels as grades 0 to 3, the range of {@code RelevanceTrainerTest.samples}. */
    public static Targets grades(List<Sample> samples) {
        return Targets.of(new TaskSpec(TaskType.GRADED, 0, 3), samples.stream().mapToDouble(Sample::label).toArray());
    }

    /**
     * A trainer of {@code cp} as a cross-encoder over 4 grades (mean pooling, the checkpoint's weights loaded), on the
     * CPU, training the parameters {@code trainable} accepts.
     */
    public static RelevanceTrainer crossEncoder(Checkpoint cp, TokenizedPairs pairs, float dropout,
            Predicate<String> trainable) {
        return new RelevanceTrainer(() -> new CrossEncoder(cp.config(), 4, false, dropout), pairs, 4, false, trainable,
                b -> ((CrossEncoder) b).encoder().load(null, cp.weights()), Device.cpu());
    }

    public static BertConfig config() {
        return new BertConfig(30522, 32, 2, 2, 64, 128, 2, 1e-12f);
    }

    /** Random weights; {@code drop} names a tensor to leave out (or null). */
    public static Path write(Path dir, long seed, String drop) throws Exception {
        Files.createDirectories(dir);
        BertConfig c = config();
        var cfg = new ObjectMapper().createObjectNode();
        cfg.put("model_type", "bert");
        cfg.put("hidden_act", "gelu");
        cfg.put("vocab_size", c.vocabSize());
        cfg.put("hidden_size", c.hidden());
        cfg.put("num_hidden_layers", c.layers());
        cfg.put("num_attention_heads", c.heads());
        cfg.put("intermediate_size", c.intermediate());
        cfg.put("max_position_embeddings", c.maxPositions());
        cfg.put("type_vocab_size", c.typeVocab());
        cfg.put("layer_norm_eps", 1e-12);
        Files.writeString(dir.resolve("config.json"), cfg.toPrettyString());
        Random r = new Random(seed);
        Map<String, NamedTensor> tensors = new LinkedHashMap<>();
        for (var e : new BertEncoder(c).expectedShapes().entrySet()) {
            if (e.getKey().equals(drop)) {
                continue;
            }
            long[] shape = e.getValue().getShape();
            float[] v = new float[(int) e.getValue().size()];
            boolean gamma = e.getKey().endsWith("LayerNorm.weight");
            for (int i = 0; i < v.length; i++) {
                v[i] = gamma ? 1f : (float) (r.nextGaussian() * 0.02);
            }
            // HuggingFace BertModel checkpoints prefix names with "bert."
            String name = "bert." + e.getKey();
            tensors.put(name, new NamedTensor(name, shape, v));
        }
        tensors.put("bert.pooler.dense.bias", new NamedTensor("bert.pooler.dense.bias",
                new long[] {c.hidden()}, new float[c.hidden()]));
        Files.write(dir.resolve("model.safetensors"), Safetensors.write(tensors));
        try (var in = PretrainedMiniLm.resource(PretrainedMiniLm.TOKENIZER)) {
            Files.write(dir.resolve("tokenizer.json"), in.readAllBytes());
        }
        return dir;
    }
}
