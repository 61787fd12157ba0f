package dev.sift.recommend;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Matrix factorisation from user and item ids alone, trained with Bayesian Personalised Ranking (Rendle et al.,
 * "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI 2009) by plain SGD in Java.
 *
 * <p>The score of item i for user u is {@code x_ui = b_i + p_u . q_i}. For a positive pair (u, i) and a sampled
 * negative j the loss is
 *
 * <pre>
 *   L = -ln sigmoid(x_ui - x_uj) + reg/2 (|p_u|^2 + |q_i|^2 + |q_j|^2 + b_i^2 + b_j^2)
 * </pre>
 *
 * with one regularization weight for factors and biases (as Cornac's BPR does). Each epoch visits every positive
 * once in an order shuffled from the seed, draws one negative uniformly among the items that user has no training
 * interaction with (rejection sampling; a user who has interacted with every item is skipped) and steps every
 * parameter of the triple by {@code -learningRate} times the analytic gradient of L ({@link #gradient}).
 *
 * <p>Factors start as N(0, 0.1^2) draws from {@code java.util.Random(seed)}, biases at 0; negatives and the order
 * come from {@code SplittableRandom(seed)}. The same inputs and spec give the same model, bit for bit. Parameters
 * are stored as floats; losses and gradients are computed in double from them.
 */
public final class Bpr {
    private static final double INIT_STD = 0.1;

    private final int users;
    private final int items;
    private final int dim;
    private final double reg;
    private final float[] p;
    private final float[] q;
    private final float[] b;

    /**
     * Training settings. {@link #defaults()} are common starting values for BPR-MF with SGD, not tuned to any
     * data set.
     *
     * @param dim factors per user and per item
     * @param epochs passes over the positives; 0 gives the initial model
     * @param learningRate SGD step size
     * @param regularization L2 weight on the factors and biases of each triple, applied per step
     * @param seed drives the initial factors, the visiting order and the negatives
     */
    public record Spec(int dim, int epochs, double learningRate, double regularization, long seed) {
        public Spec {
            if (dim < 1 || epochs < 0 || !(learningRate > 0) || !(regularization >= 0)) {
                throw new IllegalArgumentException("need dim >= 1, epochs >= 0, learningRate > 0, regularization >= 0: "
                        + dim + ", " + epochs + ", " + learningRate + ", " + regularization);
            }
        }

        /** dim 64, 30 epochs, learning rate 0.05, regularization 0.0025, seed 1. */
        public static Spec defaults() {
            return new Spec(64, 30, 0.05, 0.0025, 1);
        }
    }

    /**
     * The gradient of the loss of one triple (u, i, j): with respect to p_u ({@code user}), q_i ({@code positive}),
     * q_j ({@code negative}), b_i and b_j.
     */
    public record Gradient(double[] user, double[] positive, double[] negative, double positiveBias,
            double negativeBias) {
    }

    private Bpr(int users, int items, Spec spec) {
        this.users = users;
        this.items = items;
        this.dim = spec.dim();
        this.reg = spec.regularization();
        this.p = new float[Math.multiplyExact(users, dim)];
        this.q = new float[Math.multiplyExact(items, dim)];
        this.b = new float[items];
        Random init = new Random(spec.seed());
        for (int k = 0; k < p.length; k++) {
            p[k] = (float) (INIT_STD * init.nextGaussian());
        }
        for (int k = 0; k < q.length; k++) {
            q[k] = (float) (INIT_STD * init.nextGaussian());
        }
    }

    /**
     * Trains on positive interactions: {@code (user[j], item[j])} is the j-th, users in {@code 0 .. users - 1},
     * items in {@code 0 .. items - 1}. Repeated pairs are visited once per occurrence.
     *
     * @throws IllegalArgumentException when the arrays differ in length or an index is out of range
     */
    public static Bpr train(int users, int items, int[] user, int[] item, Spec spec) {
        int[][] seen = seen(users, items, user, item);
        Bpr m = new Bpr(users, items, spec);
        SplittableRandom rng = new SplittableRandom(spec.seed());
        int[] order = new int[user.length];
        Arrays.setAll(order, k -> k);
        double[] gu = new double[spec.dim()];
        double[] gi = new double[spec.dim()];
        double[] gj = new double[spec.dim()];
        double[] gb = new double[2];
        for (int epoch = 0; epoch < spec.epochs(); epoch++) {
            shuffle(order, rng);
            for (int k : order) {
                int u = user[k];
                int i = item[k];
                if (seen[u].length == items) {
                    continue;
                }
                int j;
                do {
                    j = rng.nextInt(items);
                } while (Arrays.binarySearch(seen[u], j) >= 0);
                m.gradientInto(u, i, j, gu, gi, gj, gb);
                m.step(u, i, j, spec.learningRate(), gu, gi, gj, gb);
            }
        }
        return m;
    }

    /** Each user's distinct training items, sorted, after checking the arrays. */
    private static int[][] seen(int users, int items, int[] user, int[] item) {
        if (user.length != item.length) {
            throw new IllegalArgumentException("user and item differ in length: " + user.length + ", " + item.length);
        }
        int[] count = new int[users];
        for (int k = 0; k < user.length; k++) {
            if (user[k] < 0 || user[k] >= users || item[k] < 0 || item[k] >= items) {
                throw new IllegalArgumentException("interaction " + k + ": (" + user[k] + ", " + item[k]
                        + ") out of range for " + users + " users, " + items + " items");
            }
            count[user[k]]++;
        }
        int[][] seen = new int[users][];
        for (int u = 0; u < users; u++) {
            seen[u] = new int[count[u]];
        }
        int[] fill = new int[users];
        for (int k = 0; k < user.length; k++) {
            seen[user[k]][fill[user[k]]++] = item[k];
        }
        for (int u = 0; u < users; u++) {
            seen[u] = Arrays.stream(seen[u]).sorted().distinct().toArray();
        }
        return seen;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int k = a.length - 1; k > 0; k--) {
            int r = rng.nextInt(k + 1);
            int t = a[k];
            a[k] = a[r];
            a[r] = t;
        }
    }

    /** One SGD step from gradients already computed at the current parameters. */
    private void step(int u, int i, int j, double lr, double[] gu, double[] gi, double[] gj, double[] gb) {
        int pu = u * dim;
        int qi = i * dim;
        int qj = j * dim;
        for (int f = 0; f < dim; f++) {
            p[pu + f] -= (float) (lr * gu[f]);
            q[qi + f] -= (float) (lr * gi[f]);
            q[qj + f] -= (float) (lr * gj[f]);
        }
        b[i] -= (float) (lr * gb[0]);
        b[j] -= (float) (lr * gb[1]);
    }

    /** Number of users. */
    public int users() {
        return users;
    }

    /** Number of items. */
    public int items() {
        return items;
    }

    /** Factors per user and item. */
    public int dim() {
        return dim;
    }

    /** {@code x_ui = b_i + p_u . q_i} for every item i, index = item. */
    public float[] scores(int user) {
        checkUser(user);
        float[] s = new float[items];
        for (int i = 0; i < items; i++) {
            s[i] = (float) x(user, i);
        }
        return s;
    }

    /** A copy of p_u. */
    public float[] userVector(int u) {
        checkUser(u);
        return Arrays.copyOfRange(p, u * dim, (u + 1) * dim);
    }

    /** A copy of q_i. */
    public float[] itemVector(int i) {
        checkItem(i);
        return Arrays.copyOfRange(q, i * dim, (i + 1) * dim);
    }

    /** b_i. */
    public float itemBias(int i) {
        checkItem(i);
        return b[i];
    }

    /** The loss L of the triple (u, i, j) at the current parameters, in double (see the class comment). */
    public double loss(int u, int i, int j) {
        checkTriple(u, i, j);
        double d = x(u, i) - x(u, j);
        double softplus = Math.max(-d, 0) + Math.log1p(Math.exp(-Math.abs(d))); // -ln sigmoid(d), stable
        double sq = (double) b[i] * b[i] + (double) b[j] * b[j];
        for (int f = 0; f < dim; f++) {
            sq += sqr(p[u * dim + f]) + sqr(q[i * dim + f]) + sqr(q[j * dim + f]);
        }
        return softplus + reg / 2 * sq;
    }

    /**
     * The analytic gradient of {@link #loss} at the current parameters; with {@code d = x_ui - x_uj} and
     * {@code g = -sigmoid(-d)}: dL/dp_u = g (q_i - q_j) + reg p_u, dL/dq_i = g p_u + reg q_i, dL/dq_j = -g p_u +
     * reg q_j, dL/db_i = g + reg b_i, dL/db_j = -g + reg b_j. Training steps by the same computation.
     *
     * @throws IllegalArgumentException when i == j (the two items would share parameters) or an index is out of
     *     range
     */
    public Gradient gradient(int u, int i, int j) {
        checkTriple(u, i, j);
        double[] gu = new double[dim];
        double[] gi = new double[dim];
        double[] gj = new double[dim];
        double[] gb = new double[2];
        gradientInto(u, i, j, gu, gi, gj, gb);
        return new Gradient(gu, gi, gj, gb[0], gb[1]);
    }

    private void gradientInto(int u, int i, int j, double[] gu, double[] gi, double[] gj, double[] gb) {
        double d = x(u, i) - x(u, j);
        double g = -sigmoid(-d);
        int pu = u * dim;
        int qi = i * dim;
        int qj = j * dim;
        for (int f = 0; f < dim; f++) {
            double pf = p[pu + f];
            double qif = q[qi + f];
            double qjf = q[qj + f];
            gu[f] = g * (qif - qjf) + reg * pf;
            gi[f] = g * pf + reg * qif;
            gj[f] = -g * pf + reg * qjf;
        }
        gb[0] = g + reg * b[i];
        gb[1] = -g + reg * b[j];
    }

    private double x(int u, int i) {
        double x = b[i];
        int pu = u * dim;
        int qi = i * dim;
        for (int f = 0; f < dim; f++) {
            x += (double) p[pu + f] * q[qi + f];
        }
        return x;
    }

    private static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    private static double sqr(float v) {
        return (double) v * v;
    }

    private void checkUser(int u) {
        if (u < 0 || u >= users) {
            throw new IllegalArgumentException("user " + u + " out of range 0.." + (users - 1));
        }
    }

    private void checkItem(int i) {
        if (i < 0 || i >= items) {
            throw new IllegalArgumentException("item " + i + " out of range 0.." + (items - 1));
        }
    }

    private void checkTriple(int u, int i, int j) {
        checkUser(u);
        checkItem(i);
        checkItem(j);
        if (i == j) {
            throw new IllegalArgumentException("positive and negative are the same item: " + i);
        }
    }
}
