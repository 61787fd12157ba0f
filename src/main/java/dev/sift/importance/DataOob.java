package dev.sift.importance;

import com.google.auto.service.AutoService;
import java.util.Random;

/**
 * Data-OOB (Kwon and Zou, 2023): train cheap learners on bootstrap samples of the pool and score each sample by
 * how often the learners that did not see it predict its label, the out-of-bag accuracy. Learners here are
 * softmax regressions on the scoring model's last hidden activations.
 */
@AutoService(ImportanceMethod.class)
public final class DataOob implements ImportanceMethod {
    /** Fits a classifier on the rows {@code rows} (with repeats) of x. */
    public interface Learner {
        Predictor fit(float[][] x, int[] y, int classes, int[] rows);
    }

    /** A fitted classifier. */
    public interface Predictor {
        int predict(float[] x);

        /** Class probabilities; learners that only vote put all mass on their prediction. */
        default double[] probabilities(float[] x, int classes) {
            double[] p = new double[classes];
            p[predict(x)] = 1;
            return p;
        }
    }

    private final Learner learner;
    private final int bags;
    private final long seed;

    public DataOob(Learner learner, int bags, long seed) {
        this.learner = learner;
        this.bags = bags;
        this.seed = seed;
    }

    /** The workflow method: 32 bagged softmax regressions. */
    public DataOob() {
        this(new SoftmaxRegression(40, 0.5, 1e-3), 32, 17);
    }

    public static DataOob defaults() {
        return new DataOob();
    }

    @Override
    public String name() {
        return "data_oob";
    }

    @Override
    public String meaning() {
        return "higher = learners that did not see the sample predict its label more often (clean, typical)";
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_KEEP;
    }

    @Override
    public String regressionNote() {
        return "its out-of-bag learners are classifiers";
    }

    @Override
    public double[] score(ScoringInput in) {
        int classes = in.predictions().probs()[0].length;
        return scores(in.predictions().hidden(), in.classes(), Math.max(2, classes), bootstraps(in.size(), bags, seed));
    }

    /** {@code bags} bootstrap samples (n draws with replacement each), seeded. */
    public static int[][] bootstraps(int n, int bags, long seed) {
        Random r = new Random(seed);
        int[][] out = new int[bags][n];
        for (int b = 0; b < bags; b++) {
            for (int i = 0; i < n; i++) {
                out[b][i] = r.nextInt(n);
            }
        }
        return out;
    }

    /** Out-of-bag accuracy per sample over the given bootstraps; NaN for a sample that was in every bag. */
    public double[] scores(float[][] x, int[] y, int classes, int[][] bootstraps) {
        int n = x.length;
        double[] correct = new double[n];
        int[] oob = new int[n];
        for (int[] rows : bootstraps) {
            boolean[] in = new boolean[n];
            for (int i : rows) {
                in[i] = true;
            }
            Predictor p = learner.fit(x, y, classes, rows);
            for (int i = 0; i < n; i++) {
                if (!in[i]) {
                    oob[i]++;
                    correct[i] += p.predict(x[i]) == y[i] ? 1 : 0;
                }
            }
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = oob[i] == 0 ? Double.NaN : correct[i] / oob[i];
        }
        return out;
    }

    /** Multinomial logistic regression by full-batch gradient descent on standardised features. */
    public record SoftmaxRegression(int steps, double learningRate, double l2) implements Learner {
        @Override
        public Predictor fit(float[][] x, int[] y, int classes, int[] rows) {
            int d = x[0].length;
            double[] mean = new double[d];
            double[] sd = new double[d];
            standardisation(x, rows, mean, sd);
            double[][] w = new double[classes][d + 1];
            for (int step = 0; step < steps; step++) {
                double[][] grad = gradient(x, y, rows, w, mean, sd);
                for (int c = 0; c < classes; c++) {
                    for (int j = 0; j <= d; j++) {
                        w[c][j] -= learningRate * (grad[c][j] / rows.length + (j < d ? l2 * w[c][j] : 0));
                    }
                }
            }
            return new Predictor() {
                @Override
                public double[] probabilities(float[] v, int k) {
                    double[] zz = new double[d];
                    for (int j = 0; j < d; j++) {
                        zz[j] = (v[j] - mean[j]) / sd[j];
                    }
                    double[] out = new double[classes];
                    softmax(w, zz, out);
                    return out;
                }

                @Override
                public int predict(float[] v) {
                    double[] out = probabilities(v, classes);
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (out[c] > out[best]) {
                            best = c;
                        }
                    }
                    return best;
                }
            };
        }

        private static void softmax(double[][] w, double[] z, double[] out) {
            int d = z.length;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < w.length; c++) {
                double s = w[c][d];
                for (int j = 0; j < d; j++) {
                    s += w[c][j] * z[j];
                }
                out[c] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int c = 0; c < w.length; c++) {
                out[c] = Math.exp(out[c] - max);
                sum += out[c];
            }
            for (int c = 0; c < w.length; c++) {
                out[c] /= sum;
            }
        }

        private static void standardisation(float[][] x, int[] rows, double[] mean, double[] sd) {
            int d = mean.length;
            for (int i : rows) {
                for (int j = 0; j < d; j++) {
                    mean[j] += x[i][j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= rows.length;
            }
            for (int i : rows) {
                for (int j = 0; j < d; j++) {
                    double c = x[i][j] - mean[j];
                    sd[j] += c * c;
                }
            }
            for (int j = 0; j < d; j++) {
                sd[j] = Math.sqrt(sd[j] / rows.length) + 1e-6;
            }
        }

        /** Summed cross-entropy gradient over the rows, [class][feature + bias]. */
        private static double[][] gradient(float[][] x, int[] y, int[] rows, double[][] w, double[] mean,
                double[] sd) {
            int classes = w.length;
            int d = mean.length;
            double[][] grad = new double[classes][d + 1];
            double[] z = new double[d];
            double[] logits = new double[classes];
            for (int i : rows) {
                for (int j = 0; j < d; j++) {
                    z[j] = (x[i][j] - mean[j]) / sd[j];
                }
                softmax(w, z, logits);
                for (int c = 0; c < classes; c++) {
                    double e = logits[c] - (c == y[i] ? 1 : 0);
                    double[] g = grad[c];
                    for (int j = 0; j < d; j++) {
                        g[j] += e * z[j];
                    }
                    g[d] += e;
                }
            }
            return grad;
        }
    }
}
