package dev.sift.model;

import dev.sift.data.Sample;
import java.util.List;

/** Samples turned into hashed features once, shared by training, scoring and evaluation. */
public record EncodedPairs(HashedFeatures.Sparse[] query, HashedFeatures.Sparse[] product, float[][] overlap,
        int buckets) {
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

    public int size() {
        return query.length;
    }
}
