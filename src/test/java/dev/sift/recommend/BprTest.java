package dev.sift.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** BPR's gradient against PyTorch autograd, that training learns, and that it is deterministic. */
class BprTest {
    /** Positive interactions, with the held-out item of each user when there is one. */
    private record Data(int users, int items, int[] user, int[] item, int[] heldOut) {
        BitSet seen(int u) {
            BitSet s = new BitSet();
            for (int k = 0; k < user.length; k++) {
                if (user[k] == u) {
                    s.set(item[k]);
                }
            }
            return s;
        }
    }

    /**
     * Users 0-9 like items 0-9, users 10-19 items 10-19: each user has 5 of its cluster's items in training and a
     * sixth held out; the other 4 of its cluster are not seen by that user.
     */
    private static Data clusters() {
        Random r = new Random(11);
        List<Integer> us = new ArrayList<>();
        List<Integer> is = new ArrayList<>();
        int[] heldOut = new int[20];
        for (int u = 0; u < 20; u++) {
            List<Integer> cluster = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                cluster.add(u / 10 * 10 + i);
            }
            Collections.shuffle(cluster, r);
            for (int k = 0; k < 5; k++) {
                us.add(u);
                is.add(cluster.get(k));
            }
            heldOut[u] = cluster.get(5);
        }
        return new Data(20, 20, us.stream().mapToInt(Integer::intValue).toArray(),
                is.stream().mapToInt(Integer::intValue).toArray(), heldOut);
    }

    /** {users} users with {per} distinct random items each out of {items}. */
    private static Data random(int users, int items, int per, long seed) {
        Random r = new Random(seed);
        int[] user = new int[users * per];
        int[] item = new int[users * per];
        for (int u = 0; u < users; u++) {
            BitSet s = new BitSet();
            for (int k = 0; k < per; k++) {
                int i;
                do {
                    i = r.nextInt(items);
                } while (s.get(i));
                s.set(i);
                user[u * per + k] = u;
                item[u * per + k] = i;
            }
        }
        return new Data(users, items, user, item, null);
    }

    /** Mean over users of {hit@k, hit@10, reciprocal rank} of the held-out item. */
    private static double[] hits(Data d, IntFunction<float[]> scores, int k) {
        double[] h = new double[3];
        for (int u = 0; u < d.users(); u++) {
            RankingMetrics.Rank r = RankingMetrics.rank(scores.apply(u), d.heldOut()[u], d.seen(u));
            h[0] += RankingMetrics.hit(r, k) / d.users();
            h[1] += RankingMetrics.hit(r, 10) / d.users();
            h[2] += RankingMetrics.reciprocal(r) / d.users();
        }
        return h;
    }

    /** One negative per positive, drawn by the test among the items that user has not interacted with. */
    private static int[][] triples(Data d, long seed) {
        Random r = new Random(seed);
        int[][] t = new int[d.user().length][];
        for (int k = 0; k < t.length; k++) {
            BitSet seen = d.seen(d.user()[k]);
            int j;
            do {
                j = r.nextInt(d.items());
            } while (seen.get(j));
            t[k] = new int[] {d.user()[k], d.item()[k], j};
        }
        return t;
    }

    private static double meanLoss(Bpr m, int[][] triples) {
        return Arrays.stream(triples).mapToDouble(t -> m.loss(t[0], t[1], t[2])).average().orElseThrow();
    }

    @Test
    void gradientMatchesPyTorchAutogradOnTheSameLoss() {
        Data d = random(30, 40, 6, 5);
        Bpr.Spec spec = new Bpr.Spec(8, 5, 0.05, 0.01, 4);
        Bpr m = Bpr.train(d.users(), d.items(), d.user(), d.item(), spec);
        int[][] t = triples(d, 6);
        for (int k = 0; k < 5; k++) {
            int[] uij = t[k * 17];
            assertNotEquals(0f, m.itemBias(uij[1]), "biases moved off 0, so their gradient is tested");
            checkAgainstAutograd(m, spec.regularization(), uij[0], uij[1], uij[2]);
        }
    }

    private static void checkAgainstAutograd(Bpr m, double reg, int u, int i, int j) {
        Bpr.Gradient g = m.gradient(u, i, j);
        try (NDManager nd = NDManager.newBaseManager("PyTorch")) {
            NDArray pu = nd.create(toDouble(m.userVector(u)));
            NDArray qi = nd.create(toDouble(m.itemVector(i)));
            NDArray qj = nd.create(toDouble(m.itemVector(j)));
            NDArray bi = nd.create(new double[] {m.itemBias(i)});
            NDArray bj = nd.create(new double[] {m.itemBias(j)});
            for (NDArray a : List.of(pu, qi, qj, bi, bj)) {
                a.setRequiresGradient(true);
            }
            double loss;
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray xi = pu.mul(qi).sum().add(bi.sum());
                NDArray xj = pu.mul(qj).sum().add(bj.sum());
                NDArray nll = xi.sub(xj).neg().exp().add(1).log(); // -ln sigmoid(x_ui - x_uj)
                NDArray sq = pu.square().sum().add(qi.square().sum()).add(qj.square().sum())
                        .add(bi.square().sum()).add(bj.square().sum());
                NDArray l = nll.add(sq.mul(reg / 2));
                loss = l.toDoubleArray()[0];
                gc.backward(l);
            }
            close(m.loss(u, i, j), loss, "loss");
            closeAll(g.user(), pu.getGradient().toDoubleArray(), "p_u");
            closeAll(g.positive(), qi.getGradient().toDoubleArray(), "q_i");
            closeAll(g.negative(), qj.getGradient().toDoubleArray(), "q_j");
            close(g.positiveBias(), bi.getGradient().toDoubleArray()[0], "b_i");
            close(g.negativeBias(), bj.getGradient().toDoubleArray()[0], "b_j");
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) {
            d[k] = f[k];
        }
        return d;
    }

    private static void closeAll(double[] analytic, double[] autograd, String what) {
        assertEquals(analytic.length, autograd.length, what);
        for (int k = 0; k < analytic.length; k++) {
            close(analytic[k], autograd[k], what + "[" + k + "]");
        }
    }

    /** 1e-5 relative, with a 1e-12 floor for components that are 0 in both. */
    private static void close(double analytic, double autograd, String what) {
        assertTrue(autograd != 0 || analytic == 0, what);
        assertEquals(autograd, analytic, 1e-5 * Math.abs(autograd) + 1e-12, what);
    }

    @Test
    void trainingLowersTheMeanLoss() {
        Data d = clusters();
        int[][] t = triples(d, 8);
        Bpr.Spec trained = Bpr.Spec.defaults();
        Bpr.Spec initial = new Bpr.Spec(trained.dim(), 0, trained.learningRate(), trained.regularization(),
                trained.seed());
        double before = meanLoss(Bpr.train(d.users(), d.items(), d.user(), d.item(), initial), t);
        double after = meanLoss(Bpr.train(d.users(), d.items(), d.user(), d.item(), trained), t);
        System.out.printf("mean BPR loss %.4f before, %.4f after%n", before, after);
        assertEquals(Math.log(2), before, 0.05, "near ln 2 from small random factors");
        assertTrue(after < 0.5 * before, before + " -> " + after);
    }

    @Test
    void separatesTwoClustersThatPopularityCannot() {
        Data d = clusters();
        Bpr m = Bpr.train(d.users(), d.items(), d.user(), d.item(), Bpr.Spec.defaults());
        Bpr.Spec s = Bpr.Spec.defaults();
        Bpr untrained = Bpr.train(d.users(), d.items(), d.user(), d.item(),
                new Bpr.Spec(s.dim(), 0, s.learningRate(), s.regularization(), s.seed()));
        float[] pop = Popularity.counts(d.items(), d.item());
        double[] bpr = hits(d, m::scores, 5);
        double[] popularity = hits(d, u -> pop, 5);
        double[] none = hits(d, untrained::scores, 5);
        System.out.printf("hit@5, hit@10, mrr: bpr %s, popularity %s, untrained %s%n", Arrays.toString(bpr),
                Arrays.toString(popularity), Arrays.toString(none));
        // 15 ranked items per user (14 candidates and the target), 5 of them its cluster's: a model that separates
        // the clusters has hit@5 = 1, a random ranking 1/3 and hit@10 2/3
        assertTrue(bpr[0] > 0.8, "bpr hit@5 " + bpr[0]);
        assertTrue(bpr[1] > 0.8, "bpr hit@10 " + bpr[1]);
        assertTrue(popularity[0] < 0.5, "popularity hit@5 " + popularity[0]);
        assertTrue(popularity[1] < 0.75, "popularity hit@10 " + popularity[1]);
        assertTrue(none[0] < 0.6, "untrained hit@5 " + none[0]);
    }

    @Test
    void theSameSeedGivesTheSameScoresAndAnotherSeedOthers() {
        Data d = random(50, 80, 7, 9);
        Bpr.Spec s = new Bpr.Spec(16, 10, 0.05, 0.0025, 21);
        Bpr a = Bpr.train(d.users(), d.items(), d.user(), d.item(), s);
        Bpr b = Bpr.train(d.users(), d.items(), d.user(), d.item(), s);
        Bpr c = Bpr.train(d.users(), d.items(), d.user(), d.item(),
                new Bpr.Spec(16, 10, 0.05, 0.0025, 22));
        for (int u = 0; u < d.users(); u++) {
            assertArrayEquals(a.scores(u), b.scores(u), "user " + u);
        }
        assertFalse(Arrays.equals(a.scores(0), c.scores(0)));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aUserWhoHasEveryItemIsSkippedNotSampledForever() {
        int[] user = {0, 0, 0, 1};
        int[] item = {0, 1, 2, 0};
        Bpr.Spec s = new Bpr.Spec(4, 50, 0.05, 0.0025, 1);
        Bpr m = Bpr.train(2, 3, user, item, s);
        Bpr initial = Bpr.train(2, 3, user, item, new Bpr.Spec(4, 0, 0.05, 0.0025, 1));
        assertArrayEquals(initial.userVector(0), m.userVector(0), "user 0 never stepped");
        assertFalse(Arrays.equals(initial.userVector(1), m.userVector(1)), "user 1 trained");
        assertTrue(m.scores(1)[0] > m.scores(1)[1] && m.scores(1)[0] > m.scores(1)[2]);
    }

    @Test
    void badInputsAreRefused() {
        Bpr.Spec s = Bpr.Spec.defaults();
        assertThrows(IllegalArgumentException.class, () -> Bpr.train(2, 3, new int[] {0}, new int[] {0, 1}, s));
        assertThrows(IllegalArgumentException.class, () -> Bpr.train(2, 3, new int[] {2}, new int[] {0}, s));
        assertThrows(IllegalArgumentException.class, () -> Bpr.train(2, 3, new int[] {0}, new int[] {3}, s));
        assertThrows(IllegalArgumentException.class, () -> new Bpr.Spec(0, 1, 0.05, 0, 1));
        Bpr m = Bpr.train(2, 3, new int[] {0}, new int[] {1}, s);
        assertThrows(IllegalArgumentException.class, () -> m.gradient(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> m.scores(2));
        assertEquals(3, m.scores(0).length);
    }
}
