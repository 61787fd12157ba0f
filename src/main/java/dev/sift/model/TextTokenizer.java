package dev.sift.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * WordPiece tokenisation with DJL's HuggingFace tokenizers (native library bundled in the jar, tokenizer.json
 * read from the checkpoint): single texts or (query, product) pairs as {@code [CLS] q [SEP] p [SEP]},
 * truncated to {@code maxLength} and padded per batch to its longest sequence.
 */
public final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;

    public TextTokenizer(InputStream tokenizerJson, int maxLength) throws IOException {
        this.maxLength = maxLength;
        this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of("truncation", "true",
                "maxLength", Integer.toString(maxLength), "padding", "false"));
    }

    /** Token ids, token types and attention mask as int64 arrays [B, T], T the longest in the batch. */
    public NDList batch(NDManager manager, List<String> texts, List<String> pairs) {
        Encoding[] enc = new Encoding[texts.size()];
        for (int i = 0; i < enc.length; i++) {
            enc[i] = pairs == null ? tokenizer.encode(texts.get(i)) : tokenizer.encode(texts.get(i), pairs.get(i));
        }
        int len = 1;
        for (Encoding e : enc) {
            len = Math.max(len, Math.min(maxLength, e.getIds().length));
        }
        long[] ids = new long[enc.length * len];
        long[] types = new long[enc.length * len];
        long[] mask = new long[enc.length * len];
        for (int i = 0; i < enc.length; i++) {
            long[] id = enc[i].getIds();
            long[] ty = enc[i].getTypeIds();
            long[] ma = enc[i].getAttentionMask();
            int n = Math.min(len, id.length);
            System.arraycopy(id, 0, ids, i * len, n);
            System.arraycopy(ty, 0, types, i * len, n);
            System.arraycopy(ma, 0, mask, i * len, n);
        }
        Shape s = new Shape(enc.length, len);
        return new NDList(manager.create(ids, s), manager.create(types, s), manager.create(mask, s));
    }

    /** Tokenises (query, product) pairs once, truncated to the maximum length. */
    public TokenizedPairs pairs(List<String> queries, List<String> products) {
        long[][] ids = new long[queries.size()][];
        long[][] types = new long[queries.size()][];
        for (int i = 0; i < ids.length; i++) {
            Encoding e = tokenizer.encode(queries.get(i), products.get(i));
            int n = Math.min(maxLength, e.getIds().length);
            ids[i] = java.util.Arrays.copyOf(e.getIds(), n);
            types[i] = java.util.Arrays.copyOf(e.getTypeIds(), n);
        }
        return new TokenizedPairs(ids, types);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
