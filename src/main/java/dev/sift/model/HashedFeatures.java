package dev.sift.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Locale;

/**
 * Hashed bag of words and word bigrams (the hashing trick): a text becomes a sparse, L2-normalised vector of
 * {@code buckets} counts. No vocabulary to ship, so any text maps to features without a pretrained file.
 */
public final class HashedFeatures {
    private final int buckets;

    public HashedFeatures(int buckets) {
        if (buckets < 2) {
            throw new IllegalArgumentException("buckets must be >= 2");
        }
        this.buckets = buckets;
    }

    public int buckets() {
        return buckets;
    }

    /** Sparse vector: sorted bucket ids and their values. */
    public record Sparse(int[] index, float[] value) {
    }

    /**
     * The words of {@code text}: lower case, split at every run of characters that are neither letters, digits nor
     * combining marks, in Unicode's composed form (NFC). Before stop 59 a decomposed "to" + U+0308 + "pfe" (as macOS
     * writes "töpfe") split at its combining diaeresis into "to" and "pfe", and so did every Devanagari or Thai word at its
     * vowel signs; text already composed and without marks, as most shop text is, reads as before.
     */
    public static String[] tokens(String text) {
        String[] raw = dev.sift.data.Text.composed(text).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}\\p{M}]+");
        return Arrays.stream(raw).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }

    public Sparse encode(String text, int maxTokens) {
        String[] toks = tokens(text);
        int n = Math.min(toks.length, maxTokens);
        float[] dense = new float[buckets];
        for (int i = 0; i < n; i++) {
            dense[bucket("w:" + toks[i])] += 1f;
            if (i + 1 < n) {
                dense[bucket("b:" + toks[i] + " " + toks[i + 1])] += 0.5f;
            }
        }
        int nnz = 0;
        double norm = 0;
        for (float v : dense) {
            if (v != 0) {
                nnz++;
                norm += v * v;
            }
        }
        int[] idx = new int[nnz];
        float[] val = new float[nnz];
        float inv = norm == 0 ? 0f : (float) (1.0 / Math.sqrt(norm));
        for (int i = 0, j = 0; i < buckets; i++) {
            if (dense[i] != 0) {
                idx[j] = i;
                val[j++] = dense[i] * inv;
            }
        }
        return new Sparse(idx, val);
    }

    private int bucket(String s) {
        // FNV-1a then a murmur finaliser: stable across JVMs, unlike relying on String.hashCode's spread
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) Long.remainderUnsigned(h, buckets);
    }

    /**
     * The rows {@code select} as ids [n, K] (int64) and values [n, K] (float32), K the largest number of nonzero
     * entries among them (at least 1); shorter rows are padded with id 0 and value 0.
     */
    public static NDList padded(NDManager m, Sparse[] rows, int[] select) {
        int k = 1;
        for (int r : select) {
            k = Math.max(k, rows[r].index().length);
        }
        long[] ids = new long[select.length * k];
        float[] values = new float[select.length * k];
        for (int r = 0; r < select.length; r++) {
            Sparse s = rows[select[r]];
            for (int j = 0; j < s.index().length; j++) {
                ids[r * k + j] = s.index()[j];
                values[r * k + j] = s.value()[j];
            }
        }
        Shape shape = new Shape(select.length, k);
        return new NDList(m.create(ids, shape), m.create(values, shape));
    }
}
