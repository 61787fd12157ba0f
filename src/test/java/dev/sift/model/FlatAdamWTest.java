package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import dev.sift.data.Sample;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FlatAdamW} against DJL's {@code AdamW} (what training used before), bit for bit: two copies of a small
 * three-layer perceptron (odd widths, so chunks end inside rows' ranges and kernels run their vector loops and
 * scalar tails at other places than per whole parameter) start from the same weights; every step both get the
 * same batch, the same backward pass (their gradients are checked equal first), the same global-norm clipping as
 * training ({@link TrainingLoop#clipByGlobalNorm}), then one is updated by DJL's AdamW and the other by
 * {@code FlatAdamW}, under the same warm-up and decay schedule and weight decay. After every step every weight must
 * be the same float (exact equality, no tolerance), and both optimisers must have zeroed the gradients. A
 * {@code FlatAdamW} with another epsilon must be told apart, so the comparison can fail. Last, a whole training
 * run through {@link RelevanceTrainer} gives the same weight bytes with either optimiser.
 */
class FlatAdamWTest {
    private static final int STEPS = 6;
    private static final float WEIGHT_DECAY = 0.1f;
    private static final LearningRateSchedule SCHEDULE = new LearningRateSchedule(0.01f, 2, STEPS);

    @Test
    void sameWeightsAsDjlAdamWAfterEveryStepInSmallChunks() {
        assertEquals(-1, firstDifferentStep(FlatAdamW.EPSILON, 100));
    }

    @Test
    void sameWeightsAsDjlAdamWAfterEveryStepInDefaultChunks() {
        assertEquals(-1, firstDifferentStep(FlatAdamW.EPSILON, FlatAdamW.DEFAULT_CHUNK));
    }

    @Test
    void anotherEpsilonIsToldApart() {
        assertEquals(1, firstDifferentStep(FlatAdamW.EPSILON * 2, 100));
    }

    @Test
    void sameWeightsAsDjlAdamWAfterEveryStepWithTheJavaLoop() {
        assertEquals(-1, firstDifferentStep(FlatAdamW.EPSILON, AdamWLoop.DEFAULT_CHUNK, true));
    }

    @Test
    void sameWeightsAsDjlAdamWAfterEveryStepWithTheJavaLoopInSmallChunks() {
        // the 301 x 37 weights in 12 chunks of 1,000 (the last 137); chunks of 7: odd everywhere
        assertEquals(-1, firstDifferentStep(FlatAdamW.EPSILON, 1000, true));
        assertEquals(-1, firstDifferentStep(FlatAdamW.EPSILON, 7, true));
        assertEquals(1, firstDifferentStep(FlatAdamW.EPSILON * 2, 1000, true));
    }

    @Test
    void clippingInsideTheUpdateGivesTheSameWeights() {
        assertEquals(-1, firstDifferentStep(FlatAdamW.EPSILON, 100, false, true));
        assertEquals(-1, firstDifferentStep(FlatAdamW.EPSILON, AdamWLoop.DEFAULT_CHUNK, true, true));
    }

    @Test
    void anotherEpsilonIsToldApartWithTheJavaLoop() {
        assertEquals(1, firstDifferentStep(FlatAdamW.EPSILON * 2, AdamWLoop.DEFAULT_CHUNK, true));
    }

    @Test
    void zeroAndSubnormalMomentsGiveTheSameWeightsWithTheJavaLoop() {
        // inputs whose columns are 0 (gradients always 0: moments 0) or tiny (moments in or near the subnormals),
        // the moments the loop does not send through PyTorch's square root
        float[] columnScale = new float[23];
        Arrays.fill(columnScale, 1f);
        for (int c = 0; c < 15; c++) {
            columnScale[c] = c < 5 ? 0f : c < 10 ? 1e-19f : 1e-15f;
        }
        assertEquals(-1, firstDifferentStep(FlatAdamW.EPSILON, AdamWLoop.DEFAULT_CHUNK, true, false, columnScale));
        assertEquals(1, firstDifferentStep(FlatAdamW.EPSILON * 2, AdamWLoop.DEFAULT_CHUNK, true, false, columnScale));
    }

    @Test
    void negligibleMomentsLeaveTheDenominatorAtEpsilon() {
        for (float eps : new float[] {1e-8f, 1e-6f, 1e-12f}) {
            float tiny = AdamWLoop.negligibleVariance(eps);
            assertTrue(tiny > 0);
            float below = Math.nextDown(tiny);
            // tiny itself: what a moment below it is raised to before the root
            for (float v : new float[] {0f, Float.MIN_VALUE, Float.MIN_NORMAL, below, tiny}) {
                if (v > tiny) {
                    continue; // MIN_NORMAL is above the bound for the smallest epsilon
                }
                // every root within an ulp of the exact one
                float root = (float) Math.sqrt(v);
                for (float r : new float[] {Math.nextDown(root), root, Math.nextUp(root)}) {
                    assertEquals(eps, Math.max(0f, r) + eps, "v " + v + ", eps " + eps);
                }
            }
        }
        assertEquals(0f, AdamWLoop.negligibleVariance(0f)); // without epsilon, every root counts
    }

    @Test
    void trainingGivesTheSameWeightsWithEitherAdamW() {
        var s = RelevanceTrainerTest.samples(120);
        Targets t = Targets.of(new TaskSpec(TaskType.GRADED, 0, 3), s.stream().mapToDouble(Sample::label).toArray());
        ModelSpec spec = new ModelSpec(ModelSpec.Encoder.HASHED_BOW, null, ModelSpec.Mode.FULL, 2, 64,
                ModelSpec.Pooling.MEAN, 128, 8, 8);
        RelevanceTrainer trainer = new RelevanceTrainer(spec, EncodedPairs.encode(s, spec.buckets()), 4, false);
        byte[] init = trainer.initialWeights(1);
        int[] all = IntStream.range(0, s.size()).toArray();
        TrainSpec train = new TrainSpec(2, 32, 0.01, 7, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU);
        byte[] flat = trainer.train(init, t, all, new int[0], train, RelevanceTrainer.Listener.NONE).weights();
        byte[] djl;
        System.setProperty(FlatAdamW.PROPERTY, "djl");
        try {
            djl = trainer.train(init, t, all, new int[0], train, RelevanceTrainer.Listener.NONE).weights();
        } finally {
            System.clearProperty(FlatAdamW.PROPERTY);
        }
        assertArrayEquals(djl, flat);
        assertTrue(!Arrays.equals(init, flat), "training moved the weights");
    }

    /**
     * A BERT cross-encoder with dropout, one layer frozen, trained through {@link RelevanceTrainer}: the default
     * training (step leaves whose gradients start from none, the Java AdamW) and DJL's AdamW (gradients zeroed and
     * accumulated into) give the same weight bytes. The word embeddings' gradient comes from the dense embedding
     * backward, the largest the leaves take over.
     */
    @Test
    void trainingABertGivesTheSameWeightsWithEitherAdamW(@TempDir Path dir) throws Exception {
        Path folder = TinyBert.write(dir, 5, null);
        Checkpoint cp = Checkpoint.huggingFace(folder.toString(), name -> Files.readAllBytes(folder.resolve(name)));
        var s = RelevanceTrainerTest.samples(48);
        RelevanceTrainer trainer = TinyBert.crossEncoder(cp, TinyBert.pairs(cp, s, 24), 0.1f,
                name -> !name.contains("layer.0."));
        byte[] init = trainer.initialWeights(3);
        int[] train = IntStream.range(0, 40).toArray();
        int[] validation = IntStream.range(40, s.size()).toArray();
        TrainSpec spec = new TrainSpec(2, 8, 1e-3, 9, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU);
        Targets t = TinyBert.grades(s);
        byte[] leaves = trainer.train(init, t, train, validation, spec, RelevanceTrainer.Listener.NONE).weights();
        byte[] djl;
        System.setProperty(FlatAdamW.PROPERTY, "djl");
        try {
            djl = trainer.train(init, t, train, validation, spec, RelevanceTrainer.Listener.NONE).weights();
        } finally {
            System.clearProperty(FlatAdamW.PROPERTY);
        }
        assertArrayEquals(djl, leaves);
        assertTrue(!Arrays.equals(init, leaves), "training moved the weights");
    }

    /** The first step (from 1) after which some weight differs between the two optimisers, or -1 for none. */
    private static int firstDifferentStep(float epsilon, long chunk) {
        return firstDifferentStep(epsilon, chunk, false);
    }

    private static int firstDifferentStep(float epsilon, long chunk, boolean loop) {
        return firstDifferentStep(epsilon, chunk, loop, false);
    }

    private static int firstDifferentStep(float epsilon, long chunk, boolean loop, boolean folded) {
        return firstDifferentStep(epsilon, chunk, loop, folded, null);
    }

    /**
     * @param folded the tested side passes the clipping scale to the update instead of scaling the gradients
     * @param columnScale multiplies each input column (null: none)
     */
    private static int firstDifferentStep(float epsilon, long chunk, boolean loop, boolean folded,
            float[] columnScale) {
        Engine.getEngine("PyTorch").setRandomSeed(11);
        try (Model djl = model("djl"); Model flat = model("flat"); NDManager data = NDManager.newBaseManager("PyTorch")) {
            WeightsCodec.decode(WeightsCodec.encode(djl.getBlock()), flat);
            List<Parameter> djlParams = trainable(djl);
            List<Parameter> flatParams = trainable(flat);
            assertArrays(weights(djlParams), weights(flatParams), "initial weights");
            Optimizer reference = Optimizer.adamW().optLearningRateTracker(SCHEDULE).optWeightDecays(WEIGHT_DECAY)
                    .build();
            int different = -1;
            try (FlatAdamW tested = new FlatAdamW(flatParams, SCHEDULE, WEIGHT_DECAY, epsilon, chunk, loop)) {
                for (int step = 1; step <= STEPS; step++) {
                    NDArray x = data.randomNormal(new Shape(8, 23));
                    if (columnScale != null) {
                        x = x.mul(data.create(columnScale));
                    }
                    NDArray y = data.randomNormal(new Shape(8, 5));
                    backward(djl, x, y);
                    backward(flat, x, y);
                    if (different < 0) { // same weights, same batch: the same gradients
                        assertArrays(gradients(djlParams), gradients(flatParams), "gradients before step " + step);
                    }
                    TrainingLoop.clipByGlobalNorm(djlParams, 1.0);
                    float scale = folded ? TrainingLoop.clipScale(flatParams, 1.0) : 1f;
                    if (!folded) {
                        TrainingLoop.clipByGlobalNorm(flatParams, 1.0);
                    }
                    for (Parameter p : djlParams) {
                        reference.update(p.getId(), p.getArray(), p.getArray().getGradient());
                    }
                    tested.step(scale);
                    assertZero(gradients(djlParams));
                    assertZero(gradients(flatParams));
                    if (different < 0 && !same(weights(djlParams), weights(flatParams))) {
                        different = step;
                    }
                }
            }
            return different;
        }
    }

    private static Model model(String name) {
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(37).build()).add(Activation::tanh)
                .add(Linear.builder().setUnits(301).build()).add(Activation::tanh)
                .add(Linear.builder().setUnits(5).build());
        Model m = Model.newInstance(name, Device.cpu(), "PyTorch");
        m.setBlock(block);
        block.initialize(m.getNDManager(), DataType.FLOAT32, new Shape(8, 23));
        return m;
    }

    /** Every parameter of {@code m}, each marked as needing a gradient. */
    static List<Parameter> trainable(Model m) {
        List<Parameter> out = new ArrayList<>();
        for (var p : m.getBlock().getParameters()) {
            p.getValue().getArray().setRequiresGradient(true);
            out.add(p.getValue());
        }
        return out;
    }

    /** One backward pass of the mean squared error of {@code m} on {@code x} against {@code y}. */
    static void backward(Model m, NDArray x, NDArray y) {
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray out = m.getBlock().forward(new ParameterStore(m.getNDManager(), false), new NDList(x), true)
                    .singletonOrThrow();
            gc.backward(out.sub(y).square().mean());
        }
    }

    private static List<float[]> weights(List<Parameter> params) {
        return params.stream().map(p -> p.getArray().toFloatArray()).toList();
    }

    private static List<float[]> gradients(List<Parameter> params) {
        return params.stream().map(p -> p.getArray().getGradient().toFloatArray()).toList();
    }

    /** Exactly the same floats (bit patterns; NaN equals NaN). */
    private static boolean same(List<float[]> a, List<float[]> b) {
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i);
            float[] y = b.get(i);
            for (int j = 0; j < x.length; j++) {
                if (Float.floatToIntBits(x[j]) != Float.floatToIntBits(y[j])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void assertArrays(List<float[]> a, List<float[]> b, String what) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), what + ", parameter " + i);
        }
    }

    private static void assertZero(List<float[]> grads) {
        for (float[] g : grads) {
            for (float v : g) {
                assertTrue(v == 0f, "gradient zeroed after the update");
            }
        }
    }
}
