package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.sift.Sha256;
import dev.sift.data.Sample;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The central difference along g equals explicit per-sample autograd dot products g . dM(x_i)/dtheta, and the
 * step rule sits between float32 round-off (steps too small) and truncation (steps too large).
 */
class OutputAlignmentTest {
    private static final ModelSpec MODEL = new ModelSpec(ModelSpec.Encoder.HASHED_BOW, null, ModelSpec.Mode.FULL, 2,
            64, ModelSpec.Pooling.MEAN, 128, 8, 8);
    private static final TrainSpec TRAIN = new TrainSpec(2, 16, 0.01, 7, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU);
    private static final double[] RELATIVE_STEPS = {1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1,
        1};

    @TempDir
    Path dir;

    /** max_i |a_i - ref_i| / max_i |ref_i|: an error relative to the scale of the values. */
    static double relativeError(double[] a, double[] ref) {
        double worst = 0;
        double scale = 0;
        for (int i = 0; i < ref.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return worst / scale;
    }

    private record Setup(RelevanceTrainer trainer, byte[] weights, Targets targets, int[] pool) {
    }

    private static Setup setup(TaskSpec task, int outputs, boolean regression, boolean freezeTower) {
        List<Sample> s = RelevanceTrainerTest.samples(80);
        EncodedPairs data = EncodedPairs.encode(s, MODEL.buckets());
        // the synthetic grades are 0-3: a binary task reads grade >= 2 as relevant
        Targets t = Targets.of(task, s.stream().mapToDouble(x -> task.type() == TaskType.BINARY
                ? (x.label() >= 2 ? 1 : 0) : x.label()).toArray());
        RelevanceTrainer trainer = freezeTower
                ? new RelevanceTrainer(() -> new PairModel(MODEL.buckets(), MODEL.dim(), MODEL.hidden(), outputs),
                        data, outputs, regression, name -> !name.contains("tower"), b -> { }, Device.cpu())
                : new RelevanceTrainer(MODEL, data, outputs, regression);
        int[] pool = IntStream.range(0, 60).toArray();
        byte[] w = trainer.train(trainer.initialWeights(3), t, pool, new int[0], TRAIN, RelevanceTrainer.Listener.NONE)
                .weights();
        return new Setup(trainer, w, t, pool);
    }

    @Test
    void centralDifferenceEqualsPerSampleAutogradAndTheStepRuleIsInTheGoodRange() {
        Setup s = setup(new TaskSpec(TaskType.GRADED, 0, 3), 4, false, false);
        try (OutputAlignment a = OutputAlignment.open(s.trainer(), s.weights())) {
            a.accumulateGradient(s.targets(), s.pool(), 16);
            double[] ref = a.perSampleLoop(s.pool());
            System.out.printf("||theta|| %.4g, ||g|| %.4g, eps %.4g%n", a.parameterNorm(), a.gradientNorm(),
                    a.defaultEps());
            System.out.println("||eps g||/||theta||  eps  max|cd - autograd|/max|autograd|: float64, float32 forward");
            double[] err = new double[RELATIVE_STEPS.length];
            int chosenRow = -1;
            for (int k = 0; k < RELATIVE_STEPS.length; k++) {
                double eps = a.epsFor(RELATIVE_STEPS[k]);
                err[k] = relativeError(a.centralDifference(s.pool(), eps, 16), ref);
                double err32 = relativeError(a.centralDifference(s.pool(), eps, 16, false), ref);
                System.out.printf("%8.0e   %10.4g   %.3g   %.3g%n", RELATIVE_STEPS[k], eps, err[k], err32);
                chosenRow = RELATIVE_STEPS[k] == OutputAlignment.RELATIVE_STEP ? k : chosenRow;
            }
            double chosen = relativeError(a.centralDifference(s.pool(), a.defaultEps(), 16), ref);
            assertTrue(chosen < 1e-4, "default step: relative error " + chosen);
            assertEquals(err[chosenRow], chosen, 0.0, "the default is one of the rows");
            // too small: round-off; too large: truncation and ReLU kinks inside the step
            assertTrue(err[0] > 10 * chosen, "round-off at " + RELATIVE_STEPS[0] + ": " + err[0]);
            int last = RELATIVE_STEPS.length - 1;
            assertTrue(err[last] > 10 * chosen, "truncation at " + RELATIVE_STEPS[last] + ": " + err[last]);
            // the parameters are back where they were
            assertEquals(Sha256.hex(s.weights()), Sha256.hex(a.weights()));
        }
    }

    @Test
    void computeMatchesTheLoopForRegressionAndForFrozenParameters() {
        for (boolean regression : new boolean[] {true, false}) {
            TaskSpec task = regression ? new TaskSpec(TaskType.REGRESSION, 0, 3) : new TaskSpec(TaskType.BINARY, 0, 1);
            Setup s = setup(task, regression ? 1 : 2, regression, !regression);
            OutputAlignment.Result r = OutputAlignment.compute(s.trainer(), s.weights(), s.targets(), s.pool(), 16);
            double[] ref;
            try (OutputAlignment a = OutputAlignment.open(s.trainer(), s.weights())) {
                a.accumulateGradient(s.targets(), s.pool(), 60);
                assertEquals(r.gradientNorm(), a.gradientNorm(), 1e-6 * r.gradientNorm(), "batching does not change g");
                ref = a.perSampleLoop(s.pool());
            }
            double err = relativeError(r.values(), ref);
            assertTrue(err < 1e-4, task.type() + ": relative error " + err);
            assertEquals(OutputAlignment.RELATIVE_STEP * r.parameterNorm() / r.gradientNorm(), r.eps(), 1e-15);
        }
    }

    /**
     * On a thread that did not load the engine (grad mode is on there by default, as on a scheduler's worker thread)
     * the in-place parameter writes of the central difference work and give the same values.
     */
    @Test
    void computeWorksOnAnotherThread() throws Exception {
        Setup s = setup(new TaskSpec(TaskType.GRADED, 0, 3), 4, false, false);
        double[] here = OutputAlignment.compute(s.trainer(), s.weights(), s.targets(), s.pool(), 16).values();
        double[][] there = new double[1][];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                there[0] = OutputAlignment.compute(s.trainer(), s.weights(), s.targets(), s.pool(), 16).values();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        t.start();
        t.join();
        assertEquals(null, failure[0] == null ? null : failure[0].toString());
        assertArrayEquals(here, there[0]);
    }

    /** Frozen parameters count neither in g nor in ||theta||: the tower (most of the weights) frozen. */
    @Test
    void frozenParametersAreLeftOut() {
        Setup all = setup(new TaskSpec(TaskType.BINARY, 0, 1), 2, false, false);
        Setup frozen = new Setup(new RelevanceTrainer(() -> new PairModel(MODEL.buckets(), MODEL.dim(),
                MODEL.hidden(), 2), all.trainer().features(), 2, false, name -> !name.contains("tower"), b -> { }, Device.cpu()),
                all.weights(), all.targets(), all.pool());
        OutputAlignment.Result a = OutputAlignment.compute(all.trainer(), all.weights(), all.targets(), all.pool(), 16);
        OutputAlignment.Result f = OutputAlignment.compute(frozen.trainer(), frozen.weights(), frozen.targets(),
                frozen.pool(), 16);
        assertTrue(f.parameterNorm() < a.parameterNorm() && f.gradientNorm() < a.gradientNorm());
        double[] zero = new double[all.pool().length];
        try (OutputAlignment none = OutputAlignment.open(new RelevanceTrainer(() -> new PairModel(MODEL.buckets(),
                MODEL.dim(), MODEL.hidden(), 2), all.trainer().features(), 2, false, name -> false, b -> { }, Device.cpu()),
                all.weights())) {
            none.accumulateGradient(all.targets(), all.pool(), 16);
            assertEquals(0.0, none.gradientNorm());
            assertArrayEquals(zero, none.centralDifference(all.pool(), none.defaultEps(), 16));
        }
    }

    /** A BERT cross-encoder with its lower layer frozen (mode last_layers): the float64 copy runs BERT too. */
    @Test
    void crossEncoderWithFrozenLayersMatchesTheLoop() throws Exception {
        Path folder = TinyBert.write(dir.resolve("tiny"), 1, null);
        Checkpoint cp = Checkpoint.huggingFace(folder.toString(), name -> Files.readAllBytes(folder.resolve(name)));
        List<Sample> samples = RelevanceTrainerTest.samples(24);
        TokenizedPairs pairs = TinyBert.pairs(cp, samples, 24);
        Targets t = TinyBert.grades(samples);
        Pattern layer = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");
        RelevanceTrainer trainer = TinyBert.crossEncoder(cp, pairs, 0.1f, name -> {
            var m = layer.matcher(name);
            return name.contains("head_") || (m.find() && Integer.parseInt(m.group(1)) >= 1);
        });
        byte[] w = trainer.initialWeights(3);
        int[] pool = IntStream.range(0, samples.size()).toArray();
        try (OutputAlignment a = OutputAlignment.open(trainer, w)) {
            a.accumulateGradient(t, pool, 8);
            double[] ref = a.perSampleLoop(pool);
            double err = relativeError(a.centralDifference(pool, a.defaultEps(), 8), ref);
            assertTrue(err < 1e-4, "cross-encoder: relative error " + err);
            assertEquals(Sha256.hex(w), Sha256.hex(a.weights()));
        }
    }
}
