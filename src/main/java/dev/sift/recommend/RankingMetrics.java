package dev.sift.recommend;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Full-ranking metrics for one held-out target item per user (leave-one-out). The target is ranked against every
 * item of the catalogue except those the user interacted with in training, with no sampled negatives: sampled
 * metrics are not consistent with the full ranking (Krichene and Rendle, "On Sampled Metrics for Item
 * Recommendation", KDD 2020).
 *
 * <p>Ties are broken uniformly at random, and each metric is the exact expectation over that random order: with
 * {@code above} candidates scoring strictly higher than the target and {@code tied} scoring exactly the same, the
 * target's rank is uniform over {@code above + 1 .. above + tied + 1}. A model that scores every item the same
 * therefore gets what a random ranking gets on average, not the best or the worst case.
 *
 * <p>With one relevant item per user, Recall@k (relevant items in the top k over relevant items) equals HR@k
 * (whether the target is in the top k), so {@link #hit} serves both. Averages over users are the caller's.
 */
public final class RankingMetrics {
    private RankingMetrics() {
    }

    /**
     * Where the target stands among the candidates: how many score strictly above it and how many exactly the
     * same (the target itself not counted in either).
     */
    public record Rank(int above, int tied) {
        public Rank {
            if (above < 0 || tied < 0) {
                throw new IllegalArgumentException("above and tied must be >= 0: " + above + ", " + tied);
            }
        }

        /** The best rank the target can have (1-based): {@code above + 1}. */
        public int best() {
            return above + 1;
        }

        /** The worst rank the target can have (1-based): {@code above + tied + 1}. */
        public int worst() {
            return above + tied + 1;
        }
    }

    /**
     * The target's {@link Rank} among the candidates: every item except those set in {@code excluded} and the
     * target itself. The target is ranked even when its own bit is set in {@code excluded}.
     *
     * @param scores one score per item, index = item; higher ranks first
     * @param target the held-out item
     * @param excluded items the user interacted with in training, never ranked; {@code null} excludes nothing
     * @throws IllegalArgumentException when any item's score is NaN (named in the message, excluded items
     *     included, since a NaN anywhere means the model is broken), or the target is out of range
     */
    public static Rank rank(float[] scores, int target, BitSet excluded) {
        if (target < 0 || target >= scores.length) {
            throw new IllegalArgumentException("target " + target + " out of range 0.." + (scores.length - 1));
        }
        BitSet none = excluded == null ? new BitSet() : excluded;
        float t = scores[target];
        int above = 0;
        int tied = 0;
        for (int i = 0; i < scores.length; i++) {
            float s = scores[i];
            if (Float.isNaN(s)) {
                throw new IllegalArgumentException("score of item " + i + " is NaN");
            }
            if (i == target || none.get(i)) {
                continue;
            }
            if (s > t) {
                above++;
            } else if (s == t) {
                tied++;
            }
        }
        return new Rank(above, tied);
    }

    /** HR@k = Recall@k for one target: P(rank <= k) over the uniform tie order. */
    public static double hit(Rank r, int k) {
        requirePositive(k);
        int inTopK = Math.max(0, Math.min(k, r.worst()) - r.above());
        return (double) inTopK / (r.tied() + 1);
    }

    /**
     * NDCG@k for one target: E[1 / log2(rank + 1)] when rank <= k, else 0. With one relevant item the ideal DCG is
     * 1 (target at rank 1), so this is also DCG@k.
     */
    public static double ndcg(Rank r, int k) {
        requirePositive(k);
        double sum = 0;
        for (int rank = r.best(); rank <= Math.min(k, r.worst()); rank++) {
            sum += Math.log(2) / Math.log(rank + 1.0);
        }
        return sum / (r.tied() + 1);
    }

    /** Reciprocal rank for one target, E[1 / rank]; its mean over users is MRR (over the full ranking, no cut). */
    public static double reciprocal(Rank r) {
        double sum = 0;
        for (int rank = r.best(); rank <= r.worst(); rank++) {
            sum += 1.0 / rank;
        }
        return sum / (r.tied() + 1);
    }

    /** The usual set, in this order: "hr@10", "ndcg@10", "recall@20", "mrr". */
    public static Map<String, Double> of(Rank r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("hr@10", hit(r, 10));
        m.put("ndcg@10", ndcg(r, 10));
        m.put("recall@20", hit(r, 20));
        m.put("mrr", reciprocal(r));
        return m;
    }

    private static void requirePositive(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1: " + k);
        }
    }
}
