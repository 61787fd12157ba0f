package dev.sift.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sift.data.Sample;
import java.util.List;

/** Samples turned into hashed features once, shared by training, scoring and evaluation. */
public record EncodedPairs(HashedFeatures.Sparse[] query, HashedFeatures.Sparse[] product, float[][] overlap,
        int buckets) implements FeatureSource {
    /** Number of word-overlap features per pair. */
    public static final int OVERLAP_FEATURES = 4;

    /** Product text: title, then the first words of the description. */
    public static EncodedPairs encode(List<Sample> samples, int buckets) {
        HashedFeatures f = new HashedFeatures(buckets);
        HashedFeatures.Sparse[] q = new HashedFeatures.Sparse[samples.size()];
        HashedFeatures.Sparse[] p = new HashedFeatures.Sparse[samples.size()];
        float[][] o = new float[samples.size()][];
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            q[i] = f.encode(s.query(), 32);
            p[i] = f.encode(s.title() + " " + s.description(), 64);
            o[i] = overlap(s.query(), s.title(), s.description());
        }
        return new EncodedPairs(q, p, o, buckets);
    }

    /**
     * Word overlap between query and product, which carries over to queries never seen in training: share of
     * query words in the title, in title or description, whether all are in the title, and share of query
     * bigrams in the title.
     */
    static float[] overlap(String query, String title, String description) {
        String[] q = HashedFeatures.tokens(query);
        java.util.Set<String> t = new java.util.HashSet<>(java.util.Arrays.asList(HashedFeatures.tokens(title)));
        java.util.Set<String> d = new java.util.HashSet<>(t);
        d.addAll(java.util.Arrays.asList(HashedFeatures.tokens(description)));
        if (q.length == 0) {
            return new float[OVERLAP_FEATURES];
        }
        int inTitle = 0;
        int inAny = 0;
        for (String w : q) {
            inTitle += t.contains(w) ? 1 : 0;
            inAny += d.contains(w) ? 1 : 0;
        }
        String titleText = " " + String.join(" ", HashedFeatures.tokens(title)) + " ";
        int bigrams = 0;
        int bigramsIn = 0;
        for (int i = 0; i + 1 < q.length; i++) {
            bigrams++;
            bigramsIn += titleText.contains(" " + q[i] + " " + q[i + 1] + " ") ? 1 : 0;
        }
        return new float[] {(float) inTitle / q.length, (float) inAny / q.length, inTitle == q.length ? 1f : 0f,
            bigrams == 0 ? (inTitle == q.length ? 1f : 0f) : (float) bigramsIn / bigrams};
    }

    @Override
    public int size() {
        return query.length;
    }

    @Override
    public Shape[] shapes() {
        Shape one = new Shape(1, 1);
        return new Shape[] {one, one, one, one, new Shape(1, OVERLAP_FEATURES)};
    }

    /**
     * Query bucket ids and values, product bucket ids and values (each [n, K], K the batch's most nonzero entries,
     * shorter rows padded with id 0 and value 0) and [n, 4] overlap features: the inputs of {@link PairModel}.
     */
    @Override
    public NDList batch(NDManager m, int[] sel) {
        int n = sel.length;
        float[] o = new float[n * OVERLAP_FEATURES];
        for (int i = 0; i < n; i++) {
            System.arraycopy(overlap[sel[i]], 0, o, i * OVERLAP_FEATURES, OVERLAP_FEATURES);
        }
        NDList out = new NDList();
        out.addAll(HashedFeatures.padded(m, query, sel));
        out.addAll(HashedFeatures.padded(m, product, sel));
        out.add(m.create(o, new Shape(n, OVERLAP_FEATURES)));
        return out;
    }
}
