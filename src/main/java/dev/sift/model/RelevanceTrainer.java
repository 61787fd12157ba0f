package dev.sift.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.MalformedModelException;
import dev.sift.workflow.WorkflowSpec.ModelSpec;
import dev.sift.workflow.WorkflowSpec.TrainSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains and applies {@link PairModel} with DJL's PyTorch engine. Seeded: the same weights, data, order and
 * seed give the same result on CPU. Weights travel as DJL parameter bytes, so the caller can store and hash
 * them.
 */
public final class RelevanceTrainer {
    private static final int PREDICT_BATCH = 512;

    private final ModelSpec modelSpec;
    private final int outputs;
    private final boolean regression;

    public RelevanceTrainer(ModelSpec modelSpec, int outputs, boolean regression) {
        this.modelSpec = modelSpec;
        this.outputs = outputs;
        this.regression = regression;
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

    /** Result of {@link #train}: the trained weights and what happened per epoch. */
    public record TrainResult(byte[] weights, List<EpochStats> epochs, long millis, int samples) {
    }

    private Model newModel() {
        Model model = Model.newInstance("sift-pair", Device.cpu(), "PyTorch");
        model.setBlock(new PairModel(modelSpec.dim(), modelSpec.hidden(), outputs));
        return model;
    }

    private Trainer newTrainer(Model model, double learningRate) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(new RelevanceLoss(regression))
                .optDevices(new Device[] {Device.cpu()})
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) learningRate)).build());
        Trainer trainer = model.newTrainer(config);
        Shape in = new Shape(1, modelSpec.buckets());
        trainer.initialize(in, in, new Shape(1, EncodedPairs.OVERLAP_FEATURES));
        return trainer;
    }

    /** Freshly initialised weights drawn from the seed: the common starting point of every retraining. */
    public byte[] initialWeights(long seed) {
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        try (Model model = newModel(); Trainer ignored = newTrainer(model, 1e-3)) {
            return save(model);
        }
    }

    /**
     * Trains from {@code initial} on the samples {@code train} (positions in {@code data}); reports the mean
     * loss on {@code validation} after every epoch when it is non-empty.
     */
    public TrainResult train(byte[] initial, EncodedPairs data, Targets targets, int[] train, int[] validation,
            TrainSpec spec, Listener listener) {
        long t0 = System.nanoTime();
        Engine.getEngine("PyTorch").setRandomSeed((int) spec.seed());
        List<EpochStats> stats = new ArrayList<>();
        try (Model model = newModel(); Trainer trainer = newTrainer(model, spec.learningRate())) {
            // copy in place: the trainer's parameter store already holds the arrays it will update
            copyInPlace(model, initial);
            Random order = new Random(spec.seed());
            int[] perm = train.clone();
            int bs = spec.batchSize();
            int buckets = data.buckets();
            float[] qbuf = new float[bs * buckets];
            float[] pbuf = new float[bs * buckets];
            long totalBatches = (perm.length + bs - 1) / bs;
            for (int epoch = 1; epoch <= spec.epochs(); epoch++) {
                long e0 = System.nanoTime();
                shuffle(perm, order);
                double lossSum = 0;
                long batches = 0;
                for (int start = 0; start < perm.length; start += bs) {
                    int n = Math.min(bs, perm.length - start);
                    int[] sel = new int[n];
                    System.arraycopy(perm, start, sel, 0, n);
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        NDList x = inputs(m, data, sel, qbuf, pbuf);
                        NDArray y = labels(m, targets, sel);
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList out = trainer.forward(x);
                            NDArray loss = trainer.getLoss().evaluate(new NDList(y), out);
                            lossSum += loss.getFloat() * n;
                            gc.backward(loss);
                        }
                        trainer.step();
                    }
                    batches++;
                    listener.batch(epoch, batches, totalBatches);
                }
                double val = validation.length == 0 ? Double.NaN
                        : meanLoss(model, data, targets, validation);
                EpochStats es = new EpochStats(epoch, spec.epochs(), lossSum / Math.max(1, perm.length), val,
                        (System.nanoTime() - e0) / 1_000_000);
                stats.add(es);
                listener.epoch(es);
            }
            return new TrainResult(save(model), stats, (System.nanoTime() - t0) / 1_000_000, train.length);
        }
    }

    /** Probabilities and hidden activations for the samples {@code which}. */
    public Predictions predict(byte[] weights, EncodedPairs data, int[] which) {
        try (Model model = newModel()) {
            Shape in = new Shape(1, modelSpec.buckets());
            model.getBlock().initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, in, in,
                    new Shape(1, EncodedPairs.OVERLAP_FEATURES));
            load(model, weights);
            return predict(model, data, which);
        }
    }

    private Predictions predict(Model model, EncodedPairs data, int[] which) {
        float[][] probs = new float[which.length][];
        float[][] hidden = new float[which.length][];
        int buckets = data.buckets();
        float[] qbuf = new float[PREDICT_BATCH * buckets];
        float[] pbuf = new float[PREDICT_BATCH * buckets];
        for (int start = 0; start < which.length; start += PREDICT_BATCH) {
            int n = Math.min(PREDICT_BATCH, which.length - start);
            int[] sel = new int[n];
            System.arraycopy(which, start, sel, 0, n);
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList out = model.getBlock().forward(new ParameterStore(m, false), inputs(m, data, sel, qbuf, pbuf),
                        false);
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

    private double meanLoss(Model model, EncodedPairs data, Targets targets, int[] which) {
        Predictions p = predict(model, data, which);
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

    private static NDList inputs(NDManager m, EncodedPairs data, int[] sel, float[] qbuf, float[] pbuf) {
        int buckets = data.buckets();
        int n = sel.length;
        HashedFeatures.densify(data.query(), sel, qbuf, buckets);
        HashedFeatures.densify(data.product(), sel, pbuf, buckets);
        NDArray q = m.create(java.nio.FloatBuffer.wrap(qbuf, 0, n * buckets), new Shape(n, buckets));
        NDArray p = m.create(java.nio.FloatBuffer.wrap(pbuf, 0, n * buckets), new Shape(n, buckets));
        float[] o = new float[n * EncodedPairs.OVERLAP_FEATURES];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data.overlap()[sel[i]], 0, o, i * EncodedPairs.OVERLAP_FEATURES,
                    EncodedPairs.OVERLAP_FEATURES);
        }
        return new NDList(q, p, m.create(o, new Shape(n, EncodedPairs.OVERLAP_FEATURES)));
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

    private void copyInPlace(Model model, byte[] weights) {
        try (Model source = newModel()) {
            Shape in = new Shape(1, modelSpec.buckets());
            source.getBlock().initialize(source.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, in, in,
                    new Shape(1, EncodedPairs.OVERLAP_FEATURES));
            load(source, weights);
            var dst = model.getBlock().getParameters();
            var src = source.getBlock().getParameters();
            for (int i = 0; i < dst.size(); i++) {
                NDArray from = src.get(i).getValue().getArray();
                NDArray to = dst.get(i).getValue().getArray();
                if (!from.getShape().equals(to.getShape()) || !src.get(i).getKey().equals(dst.get(i).getKey())) {
                    throw new IllegalStateException("stored weights do not fit the model at " + dst.get(i).getKey());
                }
                to.set(java.nio.FloatBuffer.wrap(from.toFloatArray()));
            }
        }
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
