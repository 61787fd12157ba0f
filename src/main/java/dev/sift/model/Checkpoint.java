package dev.sift.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A pretrained BERT-family encoder: its shape, its weights under HuggingFace names, its tokenizer and a digest
 * that identifies it (for caches).
 */
public record Checkpoint(String name, BertConfig config, Map<String, NamedTensor> weights,
        byte[] tokenizerJson, String digest) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> BERT_TYPES = Set.of("bert");

    /** all-MiniLM-L6-v2 from the Maven Central jar. */
    public static Checkpoint miniLm() throws IOException {
        byte[] onnx = PretrainedMiniLm.resource(PretrainedMiniLm.ONNX).readAllBytes();
        byte[] tok = PretrainedMiniLm.resource(PretrainedMiniLm.TOKENIZER).readAllBytes();
        return new Checkpoint("all-MiniLM-L6-v2", BertConfig.miniLmL6(), OnnxInitializers.read(onnx), tok,
                dev.sift.Sha256.hex(onnx));
    }

    /**
     * The checkpoint a workflow's model starts from: MiniLM for {@code encoder: minilm} (and for a model that is not
     * pretrained), else the HuggingFace folder {@code model.source}, read through {@code files}.
     */
    public static Checkpoint of(ModelSpec m, Files files) throws IOException {
        return m.encoder() == ModelSpec.Encoder.MINILM || !m.pretrained() ? miniLm()
                : huggingFace(m.source(), files);
    }

    /** Files of a HuggingFace model folder, fetched by name (local or S3). */
    public interface Files {
        byte[] read(String name) throws IOException;
    }

    /**
     * A HuggingFace folder with {@code config.json}, {@code model.safetensors} and {@code tokenizer.json} for a
     * BERT architecture (BERT, MiniLM, E5, BGE ...). Names like {@code bert.embeddings...} and old
     * {@code LayerNorm.gamma/beta} are mapped to the encoder's names.
     */
    public static Checkpoint huggingFace(String source, Files files) throws IOException {
        JsonNode cfg = JSON.readTree(files.read("config.json"));
        String type = cfg.path("model_type").asText("bert");
        if (!BERT_TYPES.contains(type)) {
            throw new IllegalArgumentException(source + "/config.json: model_type '" + type + "' is not a BERT "
                    + "architecture (supported: " + BERT_TYPES + ")");
        }
        String act = cfg.path("hidden_act").asText("gelu");
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException(source + "/config.json: hidden_act '" + act + "' is not supported "
                    + "(gelu)");
        }
        BertConfig config = new BertConfig(need(cfg, "vocab_size", source), need(cfg, "hidden_size", source),
                need(cfg, "num_hidden_layers", source), need(cfg, "num_attention_heads", source),
                need(cfg, "intermediate_size", source), cfg.path("max_position_embeddings").asInt(512),
                cfg.path("type_vocab_size").asInt(2), (float) cfg.path("layer_norm_eps").asDouble(1e-12));
        byte[] st = files.read("model.safetensors");
        Map<String, NamedTensor> raw = Safetensors.read(st, source + "/model.safetensors");
        Map<String, NamedTensor> named = new LinkedHashMap<>();
        for (var t : raw.values()) {
            String n = t.name();
            if (n.startsWith("bert.")) {
                n = n.substring(5);
            }
            n = n.replace("LayerNorm.gamma", "LayerNorm.weight").replace("LayerNorm.beta", "LayerNorm.bias");
            named.put(n, new NamedTensor(n, t.shape(), t.values()));
        }
        Checkpoint cp = new Checkpoint(source, config, named, files.read("tokenizer.json"),
                dev.sift.Sha256.hex(st));
        cp.validate();
        return cp;
    }

    /** Fails, naming the tensor, when the weights do not fit the architecture of the config. */
    public void validate() {
        for (var e : new BertEncoder(config).expectedShapes().entrySet()) {
            NamedTensor t = weights.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(name + ": checkpoint has no tensor " + e.getKey());
            }
            if (!new ai.djl.ndarray.types.Shape(t.shape()).equals(e.getValue())) {
                throw new IllegalArgumentException(name + ": tensor " + e.getKey() + " has shape "
                        + java.util.Arrays.toString(t.shape()) + ", config.json implies " + e.getValue());
            }
        }
    }

    private static int need(JsonNode cfg, String key, String source) {
        if (!cfg.has(key)) {
            throw new IllegalArgumentException(source + "/config.json: missing " + key);
        }
        return cfg.get(key).asInt();
    }

    public TextTokenizer tokenizer(int maxLength) throws IOException {
        return new TextTokenizer(new ByteArrayInputStream(tokenizerJson), maxLength);
    }
}
