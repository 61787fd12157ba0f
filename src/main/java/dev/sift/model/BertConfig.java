package dev.sift.model;

/**
 * Shape of a BERT-family encoder (HuggingFace {@code config.json} names in comments).
 *
 * @param vocabSize vocab_size
 * @param hidden hidden_size
 * @param layers num_hidden_layers
 * @param heads num_attention_heads
 * @param intermediate intermediate_size
 * @param maxPositions max_position_embeddings
 * @param typeVocab type_vocab_size
 * @param layerNormEps layer_norm_eps
 */
public record BertConfig(int vocabSize, int hidden, int layers, int heads, int intermediate, int maxPositions,
        int typeVocab, float layerNormEps) {
    public BertConfig {
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden size " + hidden + " is not a multiple of " + heads + " heads");
        }
    }

    /** sentence-transformers/all-MiniLM-L6-v2. */
    public static BertConfig miniLmL6() {
        return new BertConfig(30522, 384, 6, 12, 1536, 512, 2, 1e-12f);
    }
}
