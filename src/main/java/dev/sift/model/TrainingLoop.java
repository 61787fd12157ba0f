package dev.sift.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * One training run on a loaded model: seeded shuffles, AdamW ({@link FlatAdamW}) under the
 * {@link LearningRateSchedule}, gradient clipping by global norm, the validation loss after every epoch and
 * {@link EarlyStopping}. Every training pass also feeds the {@link DynamicsRecorder}. The order of operations is
 * part of the result: the same seed gives the same weights byte for byte only while it stays the same.
 */
final class TrainingLoop {
    private final Model model;
    private final Inference inference;
    private final Targets targets;
    private final int outputs;
    private final boolean regression;
    private final TrainSpec spec;
    private final RelevanceTrainer.Listener listener;
    private final List<Parameter> params;
    private final long stepsPerEpoch;
    private final LearningRateSchedule schedule;
    /** DJL's AdamW, or null when {@link #flat} updates the parameters (the default). */
    private final Optimizer optimizer;
    private final FlatAdamW flat;
    /** With {@link #flat}: each step's forward pass reads fresh leaves whose gradients start from none. */
    private final StepLeaves leaves;
    private final ParameterStore parameterStore;

    /**
     * @param trainable which parameters (by block path) training updates; the rest stay frozen
     * @param trainSize number of training samples, which sets the steps of the schedule
     */
    TrainingLoop(Model model, Inference inference, Targets targets, int outputs, Predicate<String> trainable,
            TrainSpec spec, RelevanceTrainer.Listener listener, int trainSize) {
        this.model = model;
        this.inference = inference;
        this.targets = targets;
        this.outputs = outputs;
        this.regression = inference.regression();
        this.spec = spec;
        this.listener = listener;
        this.params = trainableParameters(model, trainable);
        this.stepsPerEpoch = (trainSize + spec.batchSize() - 1) / spec.batchSize();
        this.schedule = LearningRateSchedule.of(spec, stepsPerEpoch);
        // the same AdamW either way, bit for bit (FlatAdamWTest); DJL's stays for comparison (-Dsift.adamw=djl)
        this.flat = FlatAdamW.selected() && FlatAdamW.supports(params)
                ? new FlatAdamW(params, schedule, (float) spec.weightDecay()) : null;
        this.optimizer = flat != null ? null : Optimizer.adamW().optLearningRateTracker(schedule)
                .optWeightDecays((float) spec.weightDecay()).build();
        this.leaves = flat == null ? null : new StepLeaves(model.getNDManager(), params);
        this.parameterStore = leaves != null ? leaves : new ParameterStore(model.getNDManager(), false);
    }

    private static List<Parameter> trainableParameters(Model model, Predicate<String> trainable) {
        List<Parameter> params = new ArrayList<>();
        for (var p : model.getBlock().getParameters()) {
            if (trainable.test(p.getKey())) {
                p.getValue().getArray().setRequiresGradient(true);
                params.add(p.getValue());
            }
        }
        return params;
    }

    /** Trains on {@code train}, measuring {@code validation} (may be empty) after every epoch. */
    RelevanceTrainer.TrainResult run(int[] train, int[] validation, DynamicsRecorder recorder, long startNanos,
            ScoringCheckpoint capture) {
        try {
            return epochs(train, validation, recorder, startNanos, capture);
        } finally {
            if (flat != null) {
                flat.close();
            }
        }
    }

    private RelevanceTrainer.TrainResult epochs(int[] train, int[] validation, DynamicsRecorder recorder,
            long startNanos, ScoringCheckpoint capture) {
        Random order = new Random(spec.seed());
        List<byte[]> checkpoints = new ArrayList<>();
        int captured = 0;
        int[] perm = train.clone();
        EarlyStopping stopping = new EarlyStopping(spec, validation.length > 0);
        List<RelevanceTrainer.EpochStats> stats = new ArrayList<>();
        for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
            long e0 = System.nanoTime();
            shuffle(perm, order);
            double lossSum = epoch(epoch, perm, recorder);
            Predictions pv = validation.length == 0 ? null : inference.predict(model, validation);
            double val = pv == null ? Double.NaN : meanLoss(pv, validation);
            recorder.epochEnd(schedule.meanRate((epoch - 1) * stepsPerEpoch + 1, epoch * stepsPerEpoch),
                    which -> inference.predict(model, which));
            RelevanceTrainer.EpochStats es = new RelevanceTrainer.EpochStats(epoch, spec.epochs(),
                    lossSum / Math.max(1, perm.length), val, (System.nanoTime() - e0) / 1_000_000);
            stats.add(es);
            listener.epoch(es);
            if (epoch < spec.epochs() && (capture.kind() == ScoringCheckpoint.Kind.MEAN
                    || capture.kind() == ScoringCheckpoint.Kind.EPOCH && epoch == capture.epoch())) {
                checkpoints.add(0, weights()); // newest first
                captured = epoch;
            }
            if (stopping.stop(epoch, val, this::weights)) {
                break;
            }
        }
        if (capture.needsEpochWeights() && captured != stats.size()
                && (capture.kind() != ScoringCheckpoint.Kind.EPOCH || checkpoints.isEmpty())) {
            // the weights after the last epoch run: final, mean's newest, or epoch:K when training ended sooner
            checkpoints.add(0, weights());
        }
        byte[] weights = stopping.weights(stats.size(), this::weights);
        return new RelevanceTrainer.TrainResult(weights, stats, (System.nanoTime() - startNanos) / 1_000_000,
                train.length, stopping.keptEpoch(stats.size()), recorder.dynamics(), List.copyOf(checkpoints));
    }

    private byte[] weights() {
        return WeightsCodec.encode(model.getBlock());
    }

    /** One pass over {@code perm} in batches; returns the summed per-sample training loss. */
    private double epoch(int epoch, int[] perm, DynamicsRecorder recorder) {
        recorder.epochStart();
        int bs = spec.batchSize();
        double lossSum = 0;
        long batches = 0;
        for (int start = 0; start < perm.length; start += bs) {
            int[] sel = Arrays.copyOfRange(perm, start, start + Math.min(bs, perm.length - start));
            float loss = step(sel, recorder);
            batches++;
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException(diverged(epoch, batches, loss));
            }
            lossSum += loss;
            listener.batch(epoch, batches, stepsPerEpoch);
        }
        return lossSum;
    }

    private float step(int[] sel, DynamicsRecorder recorder) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray[] live = leaves == null ? null : leaves.begin(m);
            try {
                return step(m, sel, recorder, live);
            } finally {
                if (leaves != null) {
                    leaves.end();
                }
            }
        }
    }

    /** @param live this step's leaves of the parameters, or null when the parameters keep their gradients */
    private float step(NDManager m, int[] sel, DynamicsRecorder recorder, NDArray[] live) {
        NDList x = inference.features().batch(m, sel);
        NDArray y = RelevanceLoss.targets(m, targets, outputs, regression, sel);
        NDArray perSample;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDList out = model.getBlock().forward(parameterStore, x, true);
            perSample = RelevanceLoss.perSample(out.get(0), y, regression);
            gc.backward(weighted(m, perSample, sel).mean());
            recorder.batch(out.get(0), perSample, sel);
        }
        float loss = perSample.sum().getFloat();
        if (Float.isFinite(loss)) {
            clipAndStep(live);
        } // else the weights stay as they were for the caller's report, and the gradients are dropped
        return loss;
    }

    /** The per-sample losses times the samples' loss weights, when the targets carry any. */
    private NDArray weighted(NDManager m, NDArray perSample, int[] sel) {
        float[] w = targets.weights();
        if (w == null) {
            return perSample;
        }
        float[] batch = new float[sel.length];
        for (int i = 0; i < sel.length; i++) {
            batch[i] = w[sel[i]];
        }
        return perSample.mul(m.create(batch));
    }

    private void clipAndStep(NDArray[] live) {
        if (flat != null) {
            // the clipping scale goes into the update (the same products as scaling the gradients first)
            flat.step(clipScale(live, spec.clipNorm()), live);
            return;
        }
        clipByGlobalNorm(params, spec.clipNorm());
        for (Parameter p : params) {
            NDArray w = p.getArray();
            // DJL's PyTorch AdamW update also zeroes the gradient, so the next backward starts from zero
            try (NDArray g = w.getGradient()) { // closing the handle leaves the gradient
                optimizer.update(p.getId(), w, g);
            }
        }
    }

    /** Scales the gradients of {@code params} to global norm at most {@code clipNorm} (0: leaves them). */
    static void clipByGlobalNorm(List<Parameter> params, double clipNorm) {
        if (clipNorm > 0 && !params.isEmpty()) {
            try (NDManager tmp = params.get(0).getArray().getManager().newSubManager()) {
                NDArray[] g = new NDArray[params.size()];
                NDArray scale = scale(arrays(params), clipNorm, tmp, g);
                for (NDArray gi : g) {
                    gi.muli(scale);
                }
            }
        }
    }

    /**
     * The factor {@link #clipByGlobalNorm} multiplies the gradients by (1 when {@code clipNorm} is 0), read back as a
     * float without scaling them: one number a step, and one pass over the gradients fewer.
     */
    static float clipScale(List<Parameter> params, double clipNorm) {
        return clipScale(arrays(params), clipNorm);
    }

    /** {@link #clipScale(List, double)} of the gradients of {@code weights} (parameters' arrays or step leaves). */
    static float clipScale(NDArray[] weights, double clipNorm) {
        if (clipNorm <= 0 || weights.length == 0) {
            return 1f;
        }
        try (NDManager tmp = weights[0].getManager().newSubManager()) {
            return scale(weights, clipNorm, tmp, new NDArray[weights.length]).getFloat();
        }
    }

    private static NDArray[] arrays(List<Parameter> params) {
        return params.stream().map(Parameter::getArray).toArray(NDArray[]::new);
    }

    /**
     * min(1, clipNorm / global norm) as a scalar in {@code tmp}; the gradients' handles in {@code g}. The global norm
     * is the norm of the parameters' norms, as PyTorch's {@code clip_grad_norm_} computes it: one fused pass per
     * gradient that makes no array of its size. Squaring each gradient and summing made a temporary as large as the
     * gradient (the word embeddings': 47 MB, page-faulted afresh every step) and two passes: 23 ms of a MiniLM
     * training step against PyTorch's 8 (README, "Memory and speed, 2026-12-02").
     */
    private static NDArray scale(NDArray[] weights, double clipNorm, NDManager tmp, NDArray[] g) {
        // global norm and scale stay on the device: no copy to Java per parameter. getGradient() makes a new
        // handle in the parameter's manager at each call: each is fetched once and attached to tmp, so the
        // step frees the handles (not the gradients) instead of the model keeping 2P + 1 of them a step
        NDList norms = new NDList(g.length);
        for (int i = 0; i < g.length; i++) {
            g[i] = weights[i].getGradient();
            g[i].attach(tmp);
            norms.add(g[i].norm());
        }
        return NDArrays.stack(norms).norm().maximum((float) clipNorm).pow(-1).mul((float) clipNorm);
    }

    /**
     * The one-line error for a batch whose loss is not finite: a training that goes on from there gives NaN weights
     * and test metrics that mean nothing, so it stops, saying whether the weights that gave the loss were finite
     * (then the forward pass or its inputs made it) or not (an earlier update did).
     */
    private String diverged(int epoch, long batch, float loss) {
        List<String> bad = new ArrayList<>();
        for (Parameter p : params) {
            NDArray w = p.getArray(); // the training ends here: the few arrays this makes go with the model
            if (w.isNaN().logicalOr(w.isInfinite()).any().getBoolean()) {
                bad.add(p.getName() + " " + w.getShape());
            }
        }
        String weights = bad.isEmpty() ? "the weights that gave it were all finite (lower fine_tune.learning_rate"
                + (spec.clipNorm() > 0 ? ")" : " or set fine_tune.clip_norm)")
                : bad.size() + " of " + params.size() + " weight tensors already held NaN or infinite values (first: "
                        + bad.get(0) + ")";
        return String.format("training diverged: the loss of batch %d/%d of epoch %d is %s; %s", batch,
                stepsPerEpoch, epoch, loss, weights);
    }

    /** Mean loss of {@code p}, the predictions for the samples {@code which}, as in training. */
    private double meanLoss(Predictions p, int[] which) {
        double sum = 0;
        for (int i = 0; i < which.length; i++) {
            int s = which[i];
            if (regression) {
                double d = p.probs()[i][0] - targets.values()[s];
                sum += d * d;
            } else {
                sum += -Math.log(Math.max(p.probs()[i][targets.classes()[s]], 1e-12));
            }
        }
        return sum / which.length;
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
