package dev.sift.model;

import static java.util.Objects.requireNonNull;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.AbstractBlock;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Trains and applies a relevance model (any block returning (output, last hidden activations)) with DJL's
 * PyTorch engine: AdamW with linear warm-up and decay, gradient clipping by global norm, early stopping on
 * the validation loss, frozen parameters. Seeded: the same weights, data and seed give the same result on
 * CPU. Weights travel as DJL parameter bytes ({@link WeightsCodec}), so the caller can store and hash them.
 * The training run itself is a {@link TrainingLoop}; this class is what callers hold.
 */
public final class RelevanceTrainer {
    private final Supplier<AbstractBlock> blocks;
    private final FeatureSource features;
    private final int outputs;
    private final boolean regression;
    private final Predicate<String> trainable;
    private final Consumer<AbstractBlock> pretrained;
    private final Device device;
    private final EpochScorer epochScorer;
    private final int[] scorerReference;

    /**
     * @param blocks makes a fresh, uninitialised block
     * @param trainable which parameters (by block path, e.g. {@code encoder_encoder.layer.5.output.dense.bias})
     *     training updates; the rest stay frozen
     * @param pretrained loads pretrained weights into a freshly initialised block (or does nothing)
     */
    public RelevanceTrainer(Supplier<AbstractBlock> blocks, FeatureSource features, int outputs, boolean regression,
            Predicate<String> trainable, Consumer<AbstractBlock> pretrained, Device device) {
        this(blocks, features, outputs, regression, trainable, pretrained, device, null, new int[0]);
    }

    /** The hashed bag-of-words pair model of the core workflow. */
    public RelevanceTrainer(ModelSpec spec, EncodedPairs data, int outputs, boolean regression) {
        this(() -> new PairModel(spec.buckets(), spec.dim(), spec.hidden(), outputs), data, outputs, regression,
                name -> true, block -> { }, Device.cpu());
    }

    private RelevanceTrainer(Supplier<AbstractBlock> blocks, FeatureSource features, int outputs,
            boolean regression, Predicate<String> trainable, Consumer<AbstractBlock> pretrained, Device device,
            EpochScorer epochScorer, int[] scorerReference) {
        this.blocks = requireNonNull(blocks, "blocks is null");
        this.features = requireNonNull(features, "features is null");
        this.outputs = outputs;
        this.regression = regression;
        this.trainable = requireNonNull(trainable, "trainable is null");
        this.pretrained = requireNonNull(pretrained, "pretrained is null");
        this.device = requireNonNull(device, "device is null");
        this.epochScorer = epochScorer;
        this.scorerReference = scorerReference.clone();
    }

    /**
     * The same trainer, recording {@code scorer}'s values at every epoch's checkpoint in the training dynamics
     * ({@link TrainingDynamics#tracin()}), measured against the samples {@code reference} (the utility split,
     * never the validation split that picks epochs); without one that column is null.
     */
    public RelevanceTrainer withEpochScorer(EpochScorer scorer, int[] reference) {
        return new RelevanceTrainer(blocks, features, outputs, regression, trainable, pretrained, device,
                requireNonNull(scorer, "scorer is null"), requireNonNull(reference, "reference is null"));
    }

    /** The same trainer without an epoch scorer (no per-epoch inference pass over the reference set). */
    public RelevanceTrainer withoutEpochScorer() {
        return new RelevanceTrainer(blocks, features, outputs, regression, trainable, pretrained, device, null,
                new int[0]);
    }

    /** Where training runs: {@code auto} (a GPU when DJL sees one), {@code cpu} or {@code gpu}. */
    public static Device device(TrainSpec.DeviceChoice choice) {
        return Devices.select(choice);
    }

    public FeatureSource features() {
        return features;
    }

    /** Which parameters (by block path) training updates. */
    Predicate<String> trainable() {
        return trainable;
    }

    boolean regression() {
        return regression;
    }

    int outputs() {
        return outputs;
    }

    /** A fresh, uninitialised block of this model. */
    AbstractBlock newBlock() {
        return blocks.get();
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
     * happened per epoch, the per-sample training dynamics, and the weights a {@link ScoringCheckpoint} asked for
     * (newest first; empty for {@code best}).
     */
    public record TrainResult(byte[] weights, List<EpochStats> epochs, long millis, int samples, int bestEpoch,
            TrainingDynamics dynamics, List<byte[]> checkpoints) {
        /** The weights that score samples under {@code checkpoint}: the kept ones for {@code best}. */
        public List<byte[]> scoringWeights() {
            return checkpoints.isEmpty() ? List.of(weights) : checkpoints;
        }
    }

    private Model newModel() {
        Autograd.offOnThisThread();
        // the hashed model and heads on cached embeddings are small: one thread each (Devices.threadsFor)
        Devices.threadsFor(!(features instanceof TokenizedPairs));
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
            return WeightsCodec.encode(model.getBlock());
        }
    }

    /**
     * Trains from {@code initial} on the samples {@code train}; after every epoch measures the mean loss on
     * {@code validation} (when non-empty) and stops early when it has not improved for {@code patience} epochs.
     */
    public TrainResult train(byte[] initial, Targets targets, int[] train, int[] validation, TrainSpec spec,
            Listener listener) {
        return train(initial, targets, train, validation, spec, listener, ScoringCheckpoint.BEST);
    }

    /** {@link #train}, also handing back the epoch weights {@code capture} asks for. */
    public TrainResult train(byte[] initial, Targets targets, int[] train, int[] validation, TrainSpec spec,
            Listener listener, ScoringCheckpoint capture) {
        MemoryRelief.afterInference(initial.length); // what passes before left behind, not under this training
        long t0 = System.nanoTime();
        // the seed drives the block's initialisation and dropout; the sample order has its own Random
        Engine.getEngine("PyTorch").setRandomSeed((int) spec.seed());
        try (Model model = newModel()) {
            WeightsCodec.decode(initial, model);
            TrainingLoop loop = new TrainingLoop(model, new Inference(features, regression), targets, outputs,
                    trainable, spec, listener, train.length);
            DynamicsRecorder recorder = new DynamicsRecorder(train, scorerReference, features.size(), targets,
                    outputs, regression, epochScorer);
            return loop.run(train, validation, recorder, t0, capture);
        } finally {
            MemoryRelief.afterTraining(initial.length);
        }
    }

    /** A model holding {@code weights}, for model-level computations ({@link OutputAlignment}); the caller closes it. */
    Model load(byte[] weights) {
        Model model = newModel();
        try {
            WeightsCodec.decode(weights, model);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A model kept loaded with {@code weights} for repeated predictions without loading it each time; close it. */
    public Loaded loaded(byte[] weights) {
        return new Loaded(load(weights));
    }

    /** A loaded model ({@link #loaded}): {@link #predict} on it costs the forward passes alone. */
    public final class Loaded implements AutoCloseable {
        private final Model model;
        private final OnnxBert onnx;

        private Loaded(Model model) {
            this.model = model;
            try {
                this.onnx = Inference.onnx(model);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }

        /** As {@link RelevanceTrainer#predict(byte[], int[], int)} on the loaded weights, grad mode off. */
        public Predictions predict(int[] which, int batchSize) {
            Autograd.offOnThisThread();
            return new Inference(features, regression).predict(model, which, batchSize, onnx);
        }

        @Override
        public void close() {
            try (model) {
                if (onnx != null) {
                    onnx.close();
                }
            }
        }
    }

    /** Probabilities and hidden activations for the samples {@code which}. */
    public Predictions predict(byte[] weights, int[] which) {
        return predict(weights, which, features.inferenceBatch());
    }

    /** Predictions computed {@code batchSize} samples at a time. */
    public Predictions predict(byte[] weights, int[] which, int batchSize) {
        try (Model model = newModel()) {
            WeightsCodec.decode(weights, model);
            return new Inference(features, regression).predict(model, which, batchSize);
        } finally {
            MemoryRelief.afterInference(weights.length);
        }
    }
}
