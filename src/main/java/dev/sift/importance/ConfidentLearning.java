package dev.sift.importance;

import com.google.auto.service.AutoService;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

/**
 * Confident learning (Northcutt et al., 2021) for graded labels. Out-of-fold class probabilities come from
 * cheap learners (softmax regression on the scoring model's last hidden activations, {@code folds}-fold).
 * Per-class thresholds t_j are the mean out-of-fold probability of class j over the samples labelled j; a
 * sample's confident class is the most probable class whose probability reaches its threshold. A sample is
 * flagged when its confident class differs from its label, and that class is the suggested label. Because
 * grades are ordered, the label-quality score is ordinal: 1 - |E[grade] - label| / (K - 1), with E[grade] the
 * expected grade under the out-of-fold probabilities (self-confidence alone treats 1-vs-2 like 1-vs-4).
 * When the scoring input carries cross-fitted out-of-fold predictions ({@code score.cross_fit}), those are the
 * probabilities: truly out of sample, since each comes from a model that never trained on the sample's query;
 * the cheap learners on hidden activations (of a model trained on every pool label) are the fallback.
 */
@AutoService(ImportanceMethod.class)
public final class ConfidentLearning implements ImportanceMethod {
    private final DataOob.Learner learner;
    private final int folds;
    private final long seed;

    public ConfidentLearning(DataOob.Learner learner, int folds, long seed) {
        this.learner = learner;
        this.folds = folds;
        this.seed = seed;
    }

    /** The workflow method: 5-fold softmax regressions. */
    public ConfidentLearning() {
        this(new DataOob.SoftmaxRegression(200, 1.0, 1e-3), 5, 23);
    }

    public static ConfidentLearning defaults() {
        return new ConfidentLearning();
    }

    /** Per sample: ordinal label quality, flag and suggested label (or -1). */
    public record Result(double[] quality, boolean[] flagged, int[] suggested, double[][] outOfFold) {
    }

    @Override
    public String name() {
        return "label_quality";
    }

    @Override
    public String meaning() {
        return "higher = predictions agree with the given grade (clean); out of sample only with score.cross_fit,"
                + " else fold learners on the activations of a model trained on every label";
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_KEEP;
    }

    @Override
    public String regressionNote() {
        return "confident learning needs class probabilities and per-class thresholds";
    }

    @Override
    public Set<Need> uses() {
        return EnumSet.of(Need.CROSS_FIT);
    }

    @Override
    public double[] score(ScoringInput in) {
        return evaluate(in).scores();
    }

    /** The ordinal quality as scores, and the flagged samples with the grade confident learning suggests. */
    @Override
    public MethodResult evaluate(ScoringInput in) {
        int classes = Math.max(2, in.predictions().probs()[0].length);
        Result r = in.outOfFold() == null ? analyse(in.predictions().hidden(), in.classes(), classes)
                : fromProbabilities(toDouble(in.outOfFold().probs()), in.classes(), classes);
        return new MethodResult(r.quality(), new MethodResult.Suggestions(r.flagged(), r.suggested()));
    }

    public Result analyse(float[][] x, int[] y, int classes) {
        return fromProbabilities(outOfFold(x, y, classes), y, classes);
    }

    /** Out-of-fold probabilities: each sample predicted by a learner fitted without its fold. */
    public double[][] outOfFold(float[][] x, int[] y, int classes) {
        int n = x.length;
        int[] fold = new int[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            fold[i] = i % folds;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = fold[i];
            fold[i] = fold[j];
            fold[j] = t;
        }
        double[][] p = new double[n][];
        for (int f = 0; f < folds; f++) {
            int count = 0;
            for (int i = 0; i < n; i++) {
                count += fold[i] != f ? 1 : 0;
            }
            int[] rows = new int[count];
            for (int i = 0, k = 0; i < n; i++) {
                if (fold[i] != f) {
                    rows[k++] = i;
                }
            }
            DataOob.Predictor model = learner.fit(x, y, classes, rows);
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    p[i] = model.probabilities(x[i], classes);
                }
            }
        }
        return p;
    }

    private static double[][] toDouble(float[][] p) {
        double[][] out = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            out[i] = new double[p[i].length];
            for (int k = 0; k < p[i].length; k++) {
                out[i][k] = p[i][k];
            }
        }
        return out;
    }

    /** Thresholds, confident classes, flags, suggestions and ordinal quality from given probabilities. */
    public static Result fromProbabilities(double[][] p, int[] y, int classes) {
        int n = p.length;
        double[] threshold = new double[classes];
        int[] count = new int[classes];
        for (int i = 0; i < n; i++) {
            threshold[y[i]] += p[i][y[i]];
            count[y[i]]++;
        }
        for (int c = 0; c < classes; c++) {
            threshold[c] = count[c] == 0 ? Double.POSITIVE_INFINITY : threshold[c] / count[c];
        }
        double[] quality = new double[n];
        boolean[] flagged = new boolean[n];
        int[] suggested = new int[n];
        for (int i = 0; i < n; i++) {
            int confident = -1;
            for (int c = 0; c < classes; c++) {
                if (p[i][c] >= threshold[c] && (confident < 0 || p[i][c] > p[i][confident])) {
                    confident = c;
                }
            }
            flagged[i] = confident >= 0 && confident != y[i];
            suggested[i] = flagged[i] ? confident : -1;
            double expected = 0;
            for (int c = 0; c < classes; c++) {
                expected += c * p[i][c];
            }
            quality[i] = 1 - Math.abs(expected - y[i]) / Math.max(1, classes - 1);
        }
        return new Result(quality, flagged, suggested, p);
    }
}
