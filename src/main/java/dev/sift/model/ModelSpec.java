package dev.sift.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * The text encoder and head. {@code hashed-bow}: hashed word and bigram features, shared tower, MLP head
 * (trained from scratch). {@code minilm}: all-MiniLM-L6-v2 from Maven Central; {@code bert}: a HuggingFace
 * BERT-family folder at {@code source}. Pretrained encoders train in {@code mode} {@code full} or
 * {@code last_layers} (cross-encoder on the pair) or {@code head} (frozen encoder, cached embeddings,
 * MLP on [u, v, u*v, |u-v|]).
 */
public record ModelSpec(Encoder encoder, String source, Mode mode, int lastLayers, int maxLength, Pooling pooling,
        int buckets, int dim, int hidden) {
    public ModelSpec {
        requireNonNull(encoder, "encoder is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(pooling, "pooling is null");
    }

    public boolean pretrained() {
        return encoder != Encoder.HASHED_BOW;
    }

    /** Whether per-sample gradient norms over all parameters (ghost norms) exist for this model. */
    public boolean ghostNorms() {
        return encoder == Encoder.HASHED_BOW;
    }

    /** The text encoders Sift can train. */
    public enum Encoder {
        HASHED_BOW, MINILM, BERT;

        /** The name used in workflows, e.g. {@code hashed-bow}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** What of a pretrained encoder trains. */
    public enum Mode {
        HEAD, LAST_LAYERS, FULL;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How token states become one vector. */
    public enum Pooling {
        MEAN, CLS;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
