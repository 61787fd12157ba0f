package dev.sift.model;

import dev.sift.data.Sample;
import java.util.List;

/** Samples turned into hashed features once, shared by training, scoring and evaluation. */
public record EncodedPairs(HashedFeatures.Sparse[] query, HashedFeatures.Sparse[] product, int buckets) {
    /** Product text: title, then the first words of the description. */
    public static EncodedPairs encode(List<Sample> samples, int buckets) {
        HashedFeatures f = new HashedFeatures(buckets);
        HashedFeatures.Sparse[] q = new HashedFeatures.Sparse[samples.size()];
        HashedFeatures.Sparse[] p = new HashedFeatures.Sparse[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            q[i] = f.encode(s.query(), 32);
            p[i] = f.encode(s.title() + " " + s.description(), 64);
        }
        return new EncodedPairs(q, p, buckets);
    }

    public int size() {
        return query.length;
    }
}
