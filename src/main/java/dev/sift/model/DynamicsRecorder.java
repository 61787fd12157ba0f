package dev.sift.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Records per-sample training dynamics from the training forward passes themselves (no second pass): every
 * batch feeds {@link #batch}, every finished epoch {@link #epochEnd}, which also asks the optional
 * {@link EpochScorer} for its per-epoch column.
 */
final class DynamicsRecorder {
    private final int[] train;
    private final int[] reference;
    private final int[] position;
    private final Targets targets;
    private final int outputs;
    private final boolean regression;
    private final EpochScorer scorer;
    private final List<Columns> epochs = new ArrayList<>();
    private final List<float[]> scored = new ArrayList<>();
    private Columns current;

    /**
     * @param samples number of samples in the dataset (training indices point into it)
     * @param reference the samples the scorer measures training samples against (the utility split)
     * @param scorer the per-epoch scorer, or null for none (the dynamics then have no such column)
     */
    DynamicsRecorder(int[] train, int[] reference, int samples, Targets targets, int outputs, boolean regression,
            EpochScorer scorer) {
        this.train = train.clone();
        this.reference = reference;
        this.targets = targets;
        this.outputs = outputs;
        this.regression = regression;
        this.scorer = scorer;
        this.position = new int[samples];
        for (int i = 0; i < train.length; i++) {
            position[train[i]] = i;
        }
    }

    /** One epoch's values, indexed by position in the training samples. */
    private record Columns(float[] loss, float[] pTrue, boolean[] correct, float[] margin, float[] el2n) {
        static Columns of(int n) {
            return new Columns(new float[n], new float[n], new boolean[n], new float[n], new float[n]);
        }
    }

    void epochStart() {
        current = Columns.of(train.length);
    }

    /** The outputs and per-sample losses of one training batch of the samples {@code sel}. */
    void batch(NDArray out, NDArray perSample, int[] sel) {
        float[] l = perSample.toFloatArray();
        if (regression) {
            regressionBatch(out, l, sel);
        } else {
            classificationBatch(out, l, sel);
        }
    }

    private void regressionBatch(NDArray out, float[] l, int[] sel) {
        float[] y = out.reshape(-1).toFloatArray();
        for (int i = 0; i < sel.length; i++) {
            int at = position[sel[i]];
            float error = Math.abs(y[i] - targets.values()[sel[i]]);
            current.loss[at] = l[i];
            current.pTrue[at] = Float.NaN;
            // "correct" when within half a grade of the target (targets are scaled to [0, 1])
            current.correct[at] = error < 0.5f / Math.max(1, outputs);
            current.margin[at] = Float.NaN;
            current.el2n[at] = error;
        }
    }

    private void classificationBatch(NDArray out, float[] l, int[] sel) {
        float[] p = out.softmax(1).toFloatArray();
        float[] logits = out.toFloatArray();
        for (int i = 0; i < sel.length; i++) {
            int at = position[sel[i]];
            int y = targets.classes()[sel[i]];
            int o = i * outputs;
            int arg = 0;
            float other = Float.NEGATIVE_INFINITY;
            double e2 = 0;
            for (int k = 0; k < outputs; k++) {
                if (k > 0 && p[o + k] > p[o + arg]) {
                    arg = k;
                }
                if (k != y) {
                    other = Math.max(other, logits[o + k]);
                }
                double d = p[o + k] - (k == y ? 1 : 0);
                e2 += d * d;
            }
            current.loss[at] = l[i];
            current.pTrue[at] = p[o + y];
            current.correct[at] = arg == y;
            current.margin[at] = logits[o + y] - other;
            current.el2n[at] = (float) Math.sqrt(e2);
        }
    }

    /**
     * Closes the epoch. With a scorer, a classification task and a non-empty reference set, scores the checkpoint.
     *
     * @param learningRate the epoch's mean learning rate, which weights the scores
     * @param predict predictions at the checkpoint for any samples
     */
    void epochEnd(float learningRate, Function<int[], Predictions> predict) {
        epochs.add(current);
        current = null;
        if (scorer == null || reference.length == 0 || regression) {
            return;
        }
        double[] s = scorer.score(predict.apply(train), classes(train), predict.apply(reference),
                classes(reference));
        if (s.length != train.length) {
            throw new IllegalStateException("epoch scorer returned " + s.length + " values for " + train.length
                    + " training samples");
        }
        float[] weighted = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            weighted[i] = (float) (learningRate * s[i]);
        }
        scored.add(weighted);
    }

    private int[] classes(int[] which) {
        int[] c = new int[which.length];
        for (int i = 0; i < which.length; i++) {
            c[i] = targets.classes()[which[i]];
        }
        return c;
    }

    /** Everything recorded; the scored column is null unless every epoch has one. */
    TrainingDynamics dynamics() {
        int e = epochs.size();
        float[][] loss = new float[e][];
        float[][] pTrue = new float[e][];
        boolean[][] correct = new boolean[e][];
        float[][] margin = new float[e][];
        float[][] el2n = new float[e][];
        for (int k = 0; k < e; k++) {
            Columns c = epochs.get(k);
            loss[k] = c.loss;
            pTrue[k] = c.pTrue;
            correct[k] = c.correct;
            margin[k] = c.margin;
            el2n[k] = c.el2n;
        }
        float[][] perEpoch = scored.size() == e ? scored.toArray(new float[0][]) : null;
        return new TrainingDynamics(train.clone(), loss, pTrue, correct, margin, el2n, perEpoch);
    }
}
