package dev.sift.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import dev.sift.model.TrainSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Trains and applies a relevance model (any block returning (output, last hidden activations)) with DJL's
 * PyTorch engine: AdamW with linear warm-up and decay, gradient clipping by global norm, early stopping on
 * the validation loss, frozen parameters. Seeded: the same weights, data and seed give the same result on
 * CPU. Weights travel as DJL parameter bytes, so the caller can store and hash them.
 */
public final class RelevanceTrainer {
    private static final int PREDICT_BATCH = 256;

    private final Supplier<AbstractBlock> blocks;
    private final FeatureSource features;
    private final int outputs;
    private final boolean regression;
    private final Predicate<String> trainable;
    private final Consumer<AbstractBlock> pretrained;
    private final Device device;

    /**
     * @param blocks makes a fresh, uninitialised block
     * @param trainable which parameters (by block path, e.g. {@code encoder_encoder.layer.5.output.dense.bias})
     *     training updates; the rest stay frozen
     * @param pretrained loads pretrained weights into a freshly initialised block (or does nothing)
     */
    public RelevanceTrainer(Supplier<AbstractBlock> blocks, FeatureSource features, int outputs, boolean regression,
            Predicate<String> trainable, Consumer<AbstractBlock> pretrained, Device device) {
        this.blocks = blocks;
        this.features = features;
        this.outputs = outputs;
        this.regression = regression;
        this.trainable = trainable;
        this.pretrained = pretrained;
        this.device = device;
    }

    /** The hashed bag-of-words pair model of the core workflow. */
    public RelevanceTrainer(dev.sift.model.ModelSpec spec, EncodedPairs data, int outputs,
            boolean regression) {
        this(() -> new PairModel(spec.dim(), spec.hidden(), outputs), data, outputs, regression, name -> true,
                block -> { }, Device.cpu());
    }

    /** Where training runs: {@code auto} (a GPU when DJL sees one), {@code cpu} or {@code gpu}. */
    public static Device device(TrainSpec.DeviceChoice choice) {
        Engine engine = Engine.getEngine("PyTorch");
        return switch (choice) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (engine.getGpuCount() == 0) {
                    throw new IllegalArgumentException("fine_tune.device is gpu, but PyTorch sees no GPU (the "
                            + "pytorch-native-cpu library has no CUDA; see README, GPU)");
                }
                yield Device.gpu();
            }
            case AUTO -> engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        };
    }

    public FeatureSource features() {
        return features;
    }

    /** Progress callbacks of a training run. */
    public interface Listener {
        void batch(int epoch, long done, long total);

        void epoch(EpochStats stats);

        Listener NONE = new Listener() {
            @Override
            public void batch(int epoch, long done, long total) {
            }

            @Override
            public void epoch(EpochStats stats) {
            }
        };
    }

    public record EpochStats(int epoch, int epochs, double trainLoss, double validationLoss, long millis) {
    }

    /**
     * Result of {@link #train}: the weights (of the best epoch when early stopping kept an earlier one), what
     * happened per epoch and the per-sample training dynamics.
     */
    public record TrainResult(byte[] weights, List<EpochStats> epochs, long millis, int samples, int bestEpoch,
            TrainingDynamics dynamics) {
    }

    private Model newModel() {
        Model model = Model.newInstance("sift-relevance", device, "PyTorch");
        model.setBlock(blocks.get());
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, features.shapes());
        return model;
    }

    /**
     * Initial weights: parameters drawn from the seed, then pretrained weights where the model has them. The
     * common starting point of every retraining.
     */
    public byte[] initialWeights(long seed) {
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        try (Model model = newModel()) {
            pretrained.accept((AbstractBlock) model.getBlock());
            return save(model);
        }
    }

    /**
     * Trains from {@code initial} on the samples {@code train}; after every epoch measures the mean loss on
     * {@code validation} (when non-empty) and stops early when it has not improved for {@code patience} epochs.
     */
    public TrainResult train(byte[] initial, Targets targets, int[] train, int[] validation, TrainSpec spec,
            Listener listener) {
        long t0 = System.nanoTime();
        Engine.getEngine("PyTorch").setRandomSeed((int) spec.seed());
        List<EpochStats> stats = new ArrayList<>();
        try (Model model = newModel()) {
            load(model, initial);
            List<Parameter> params = new ArrayList<>();
            for (var p : model.getBlock().getParameters()) {
                if (trainable.test(p.getKey())) {
                    p.getValue().getArray().setRequiresGradient(true);
                    params.add(p.getValue());
                }
            }
            int bs = spec.batchSize();
            long stepsPerEpoch = (train.length + bs - 1) / bs;
            long totalSteps = stepsPerEpoch * spec.epochs();
            long warmup = Math.round(spec.warmup() * totalSteps);
            float peak = (float) spec.learningRate();
            Optimizer optimizer = Optimizer.adamW()
                    .optLearningRateTracker((ai.djl.training.tracker.ParameterTracker) (id, n) ->
                            schedule(n, peak, warmup, totalSteps))
                    .optWeightDecays((float) spec.weightDecay()).build();
            ParameterStore ps = new ParameterStore(model.getNDManager(), false);
            Random order = new Random(spec.seed());
            int[] perm = train.clone();
            int[] position = new int[features.size()];
            for (int i = 0; i < train.length; i++) {
                position[train[i]] = i;
            }
            List<float[]> dynLoss = new ArrayList<>();
            List<float[]> dynP = new ArrayList<>();
            List<boolean[]> dynOk = new ArrayList<>();
            List<float[]> dynMargin = new ArrayList<>();
            List<float[]> dynEl2n = new ArrayList<>();
            List<float[]> dynTracin = new ArrayList<>();
            byte[] best = null;
            double bestVal = Double.POSITIVE_INFINITY;
            int bestEpoch = 0;
            int sinceBest = 0;
            for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
                long e0 = System.nanoTime();
                shuffle(perm, order);
                float[] eLoss = new float[train.length];
                float[] eP = new float[train.length];
                boolean[] eOk = new boolean[train.length];
                float[] eMargin = new float[train.length];
                float[] eEl2n = new float[train.length];
                double lossSum = 0;
                long batches = 0;
                for (int start = 0; start < perm.length; start += bs) {
                    int n = Math.min(bs, perm.length - start);
                    int[] sel = Arrays.copyOfRange(perm, start, start + n);
                    try (NDManager m = model.getNDManager().newSubManager()) {
                        NDList x = features.batch(m, sel);
                        NDArray y = labels(m, targets, sel);
                        NDArray perSample;
                        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                            NDList out = model.getBlock().forward(ps, x, true);
                            perSample = perSampleLoss(out.get(0), y);
                            NDArray loss = perSample.mean();
                            gc.backward(loss);
                            record(out.get(0), perSample, targets, sel, position, eLoss, eP, eOk, eMargin,
                                    eEl2n);
                        }
                        lossSum += perSample.sum().getFloat();
                        clipAndStep(optimizer, params, spec.clipNorm());
                    }
                    batches++;
                    listener.batch(epoch, batches, stepsPerEpoch);
                }
                dynLoss.add(eLoss);
                dynP.add(eP);
                dynOk.add(eOk);
                dynMargin.add(eMargin);
                dynEl2n.add(eEl2n);
                Predictions pv = validation.length == 0 ? null : predict(model, validation);
                double val = pv == null ? Double.NaN : meanLoss(pv, targets, validation);
                if (pv != null && !regression) {
                    // TracIn at this epoch's checkpoint, weighted by the learning rate of its last step
                    Predictions pt = predict(model, train);
                    int[] tc = new int[train.length];
                    for (int i = 0; i < train.length; i++) {
                        tc[i] = targets.classes()[train[i]];
                    }
                    int[] vc = new int[validation.length];
                    for (int i = 0; i < validation.length; i++) {
                        vc[i] = targets.classes()[validation[i]];
                    }
                    double[] tr = dev.sift.importance.GradientSimilarity.values(pt.probs(), pt.hidden(), tc,
                            pv.probs(), pv.hidden(), vc);
                    float lr = schedule((int) (epoch * stepsPerEpoch), peak, warmup, totalSteps);
                    float[] f = new float[tr.length];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = (float) (lr * tr[i]);
                    }
                    dynTracin.add(f);
                }
                EpochStats es = new EpochStats(epoch, spec.epochs(), lossSum / Math.max(1, perm.length), val,
                        (System.nanoTime() - e0) / 1_000_000);
                stats.add(es);
                listener.epoch(es);
                if (validation.length > 0 && spec.patience() > 0) {
                    if (val < bestVal - 1e-6) {
                        bestVal = val;
                        bestEpoch = epoch;
                        sinceBest = 0;
                        best = epoch < spec.epochs() ? save(model) : null;
                    } else if (++sinceBest >= spec.patience()) {
                        break;
                    }
                }
            }
            byte[] weights = best != null && bestEpoch < stats.size() ? best : save(model);
            int kept = best != null && bestEpoch < stats.size() ? bestEpoch : stats.size();
            TrainingDynamics dyn = new TrainingDynamics(train.clone(), dynLoss.toArray(new float[0][]),
                    dynP.toArray(new float[0][]), dynOk.toArray(new boolean[0][]),
                    dynMargin.toArray(new float[0][]), dynEl2n.toArray(new float[0][]),
                    dynTracin.size() == dynLoss.size() ? dynTracin.toArray(new float[0][]) : null);
            return new TrainResult(weights, stats, (System.nanoTime() - t0) / 1_000_000, train.length, kept, dyn);
        }
    }

    /** Linear warm-up to the peak rate, then linear decay to zero; DJL counts updates per parameter from 1. */
    static float schedule(int numUpdate, float peak, long warmup, long total) {
        long step = Math.max(0, numUpdate - 1);
        if (warmup > 0 && step < warmup) {
            return peak * (step + 1) / warmup;
        }
        if (total <= warmup) {
            return peak;
        }
        return Math.max(0f, peak * (float) (total - step) / (total - warmup));
    }

    private void clipAndStep(Optimizer optimizer, List<Parameter> params, double clipNorm) {
        if (clipNorm > 0 && !params.isEmpty()) {
            // global norm and scale stay on the device: no copy to Java per parameter
            NDArray first = params.get(0).getArray().getGradient();
            try (NDManager tmp = first.getManager().newSubManager()) {
                NDArray total = tmp.zeros(new Shape());
                for (Parameter p : params) {
                    NDArray g = p.getArray().getGradient();
                    NDArray sq = g.square();
                    NDArray s = sq.sum();
                    sq.close();
                    s.attach(tmp);
                    total = total.add(s);
                }
                NDArray norm = total.sqrt();
                NDArray scale = norm.maximum((float) clipNorm).pow(-1).mul((float) clipNorm);
                for (Parameter p : params) {
                    p.getArray().getGradient().muli(scale);
                }
            }
        }
        for (Parameter p : params) {
            NDArray w = p.getArray();
            NDArray g = w.getGradient();
            // DJL's PyTorch AdamW update also zeroes the gradient, so the next backward starts from zero
            optimizer.update(p.getId(), w, g);
        }
    }

    private NDArray perSampleLoss(NDArray out, NDArray target) {
        if (regression) {
            return out.reshape(-1).sub(target).square();
        }
        return out.logSoftmax(1).mul(target).sum(new int[] {1}).neg();
    }

    private void record(NDArray out, NDArray perSample, Targets targets, int[] sel, int[] position, float[] loss,
            float[] pTrue, boolean[] correct, float[] margin, float[] el2n) {
        float[] l = perSample.toFloatArray();
        if (regression) {
            float[] y = out.reshape(-1).toFloatArray();
            for (int i = 0; i < sel.length; i++) {
                int at = position[sel[i]];
                loss[at] = l[i];
                pTrue[at] = Float.NaN;
                correct[at] = Math.abs(y[i] - targets.values()[sel[i]]) < 0.5f / Math.max(1, outputs);
                margin[at] = Float.NaN;
                el2n[at] = Math.abs(y[i] - targets.values()[sel[i]]);
            }
            return;
        }
        float[] p = out.softmax(1).toFloatArray();
        float[] logits = out.toFloatArray();
        for (int i = 0; i < sel.length; i++) {
            int at = position[sel[i]];
            int y = targets.classes()[sel[i]];
            int arg = 0;
            for (int k = 1; k < outputs; k++) {
                if (p[i * outputs + k] > p[i * outputs + arg]) {
                    arg = k;
                }
            }
            loss[at] = l[i];
            pTrue[at] = p[i * outputs + y];
            correct[at] = arg == y;
            float other = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < outputs; k++) {
                if (k != y) {
                    other = Math.max(other, logits[i * outputs + k]);
                }
            }
            margin[at] = logits[i * outputs + y] - other;
            double e2 = 0;
            for (int k = 0; k < outputs; k++) {
                double d = p[i * outputs + k] - (k == y ? 1 : 0);
                e2 += d * d;
            }
            el2n[at] = (float) Math.sqrt(e2);
        }
    }

    /** Probabilities and hidden activations for the samples {@code which}. */
    public Predictions predict(byte[] weights, int[] which) {
        return predict(weights, which, PREDICT_BATCH);
    }

    /** Predictions computed {@code batchSize} samples at a time. */
    public Predictions predict(byte[] weights, int[] which, int batchSize) {
        try (Model model = newModel()) {
            load(model, weights);
            return predict(model, which, batchSize);
        }
    }

    private Predictions predict(Model model, int[] which) {
        return predict(model, which, PREDICT_BATCH);
    }

    private Predictions predict(Model model, int[] which, int batchSize) {
        float[][] probs = new float[which.length][];
        float[][] hidden = new float[which.length][];
        ParameterStore ps = new ParameterStore(model.getNDManager(), false);
        for (int start = 0; start < which.length; start += batchSize) {
            int n = Math.min(batchSize, which.length - start);
            int[] sel = new int[n];
            System.arraycopy(which, start, sel, 0, n);
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList out = model.getBlock().forward(ps, features.batch(m, sel), false);
                NDArray y = regression ? out.get(0) : out.get(0).softmax(1);
                float[] yf = y.toFloatArray();
                float[] hf = out.get(1).toFloatArray();
                int k = (int) out.get(0).getShape().get(1);
                int h = (int) out.get(1).getShape().get(1);
                for (int i = 0; i < n; i++) {
                    probs[start + i] = java.util.Arrays.copyOfRange(yf, i * k, (i + 1) * k);
                    hidden[start + i] = java.util.Arrays.copyOfRange(hf, i * h, (i + 1) * h);
                }
            }
        }
        return new Predictions(probs, hidden, regression);
    }

    private double meanLoss(Predictions p, Targets targets, int[] which) {
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

    private NDArray labels(NDManager m, Targets targets, int[] sel) {
        if (regression) {
            float[] y = new float[sel.length];
            for (int i = 0; i < sel.length; i++) {
                y[i] = targets.values()[sel[i]];
            }
            return m.create(y);
        }
        float[] oneHot = new float[sel.length * outputs];
        for (int i = 0; i < sel.length; i++) {
            oneHot[i * outputs + targets.classes()[sel[i]]] = 1f;
        }
        return m.create(oneHot, new Shape(sel.length, outputs));
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static byte[] save(Model model) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            model.getBlock().saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private static void load(Model model, byte[] weights) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(weights))) {
            model.getBlock().loadParameters(model.getNDManager(), in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("stored weights do not fit the model: " + e.getMessage(), e);
        }
    }
}
