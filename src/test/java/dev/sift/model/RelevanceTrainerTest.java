package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.data.SyntheticShop;
import dev.sift.importance.GradientSimilarity;
import dev.sift.importance.LastLayerGradNorm;
import dev.sift.importance.ScoringInput;
import dev.sift.Sha256;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Tiny CPU runs of the real DJL training path (two epochs of a few hundred samples). */
class RelevanceTrainerTest {
    private static final ModelSpec MODEL = new ModelSpec(ModelSpec.Encoder.HASHED_BOW, null, ModelSpec.Mode.FULL, 2,
            64, ModelSpec.Pooling.MEAN, 128, 8, 8);
    private static final TaskSpec TASK = new TaskSpec(TaskType.GRADED, 0, 3);
    private static final TrainSpec TRAIN = new TrainSpec(2, 32, 0.01, 7, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU);

    static List<Sample> samples(int n) {
        List<Sample> out = new ArrayList<>();
        List<SyntheticShop.Row> rows = SyntheticShop.generate(n, 0.0, 3);
        for (int i = 0; i < rows.size(); i++) {
            SyntheticShop.Row r = rows.get(i);
            out.add(new Sample(i, r.query(), r.title(), r.description(), r.label(), r.query(), null, false,
                    Split.TRAIN, i + 2));
        }
        return out;
    }

    @Test
    void aTrainingWhoseLossIsNotFiniteStopsWithAnErrorInsteadOfReturningNaNWeights() {
        List<Sample> s = samples(200);
        Targets t = Targets.of(TASK, s.stream().mapToDouble(Sample::label).toArray());
        int[] all = IntStream.range(0, s.size()).toArray();
        RelevanceTrainer trainer = new RelevanceTrainer(MODEL, EncodedPairs.encode(s, MODEL.buckets()), 4, false);
        byte[] init = trainer.initialWeights(1);
        // AdamW moves every weight by about the learning rate: 1e30 overflows the next forward pass
        TrainSpec wild = new TrainSpec(2, 32, 1e30, 7, 0.0, 0.0, 0.0, 0, TrainSpec.DeviceChoice.CPU);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> trainer.train(init, t, all, new int[0], wild, RelevanceTrainer.Listener.NONE));
        assertTrue(e.getMessage().startsWith("training diverged: the loss of batch "), e.getMessage());
        assertTrue(e.getMessage().contains("of epoch 1 is "), e.getMessage());
        // the same data and weights train to finite losses at a sane rate
        var ok = trainer.train(init, t, all, new int[0], TRAIN, RelevanceTrainer.Listener.NONE);
        assertTrue(ok.epochs().stream().allMatch(x -> Double.isFinite(x.trainLoss())));
    }

    @Test
    void scoringCheckpointsAreTheWeightsAfterTheirEpochs() {
        List<Sample> s = samples(200);
        Targets t = Targets.of(TASK, s.stream().mapToDouble(Sample::label).toArray());
        int[] all = IntStream.range(0, s.size()).toArray();
        RelevanceTrainer trainer = new RelevanceTrainer(MODEL, EncodedPairs.encode(s, MODEL.buckets()), 4, false);
        byte[] init = trainer.initialWeights(1);
        TrainSpec three = new TrainSpec(3, 32, 0.01, 7, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU);
        var best = trainer.train(init, t, all, new int[0], three, RelevanceTrainer.Listener.NONE);
        assertTrue(best.checkpoints().isEmpty());
        assertEquals(List.of(Sha256.hex(best.weights())), best.scoringWeights().stream().map(Sha256::hex).toList());
        var mean = trainer.train(init, t, all, new int[0], three, RelevanceTrainer.Listener.NONE,
                ScoringCheckpoint.parse("mean"));
        List<String> epochs = mean.checkpoints().stream().map(Sha256::hex).toList();
        assertEquals(3, epochs.size());
        assertEquals(3, epochs.stream().distinct().count(), "each epoch moves the weights");
        // newest first: the last epoch's weights are the trained ones (no early stopping here)
        assertEquals(Sha256.hex(best.weights()), epochs.get(0));
        var first = trainer.train(init, t, all, new int[0], three, RelevanceTrainer.Listener.NONE,
                ScoringCheckpoint.parse("epoch:1"));
        assertEquals(List.of(epochs.get(2)), first.checkpoints().stream().map(Sha256::hex).toList());
        assertEquals(Sha256.hex(best.weights()), Sha256.hex(first.weights()), "the trained weights do not change");
        var last = trainer.train(init, t, all, new int[0], three, RelevanceTrainer.Listener.NONE,
                ScoringCheckpoint.parse("final"));
        assertEquals(List.of(epochs.get(0)), last.checkpoints().stream().map(Sha256::hex).toList());
        // early stopping: one checkpoint per epoch run, none twice
        TrainSpec stops = new TrainSpec(8, 32, 0.05, 7, 0.01, 0.0, 1.0, 1, TrainSpec.DeviceChoice.CPU);
        int[] fit = IntStream.range(0, 150).toArray();
        int[] held = IntStream.range(150, 200).toArray();
        var early = trainer.train(init, t, fit, held, stops, RelevanceTrainer.Listener.NONE,
                ScoringCheckpoint.parse("mean"));
        assertEquals(early.epochs().size(), early.checkpoints().size());
        assertEquals(early.checkpoints().size(), early.checkpoints().stream().map(Sha256::hex).distinct().count());
        // the dynamics up to a checkpoint
        assertEquals(1, mean.dynamics().firstEpochs(1).epochs());
        assertArrayEquals(mean.dynamics().loss()[0], mean.dynamics().firstEpochs(1).loss()[0]);
        assertEquals(3, mean.dynamics().firstEpochs(5).epochs());
    }

    @Test
    void scoringCheckpointTextIsParsedOrRefused() {
        assertEquals(ScoringCheckpoint.BEST, ScoringCheckpoint.parse("best"));
        assertEquals(new ScoringCheckpoint(ScoringCheckpoint.Kind.EPOCH, 2), ScoringCheckpoint.parse(" Epoch:2 "));
        assertEquals("epoch:2", ScoringCheckpoint.parse("epoch:2").toString());
        assertEquals(2, ScoringCheckpoint.parse("epoch:2").dynamicsEpochs(5));
        assertEquals(5, ScoringCheckpoint.parse("final").dynamicsEpochs(5));
        for (String bad : new String[] {"epoch:0", "epoch:", "epoch:x", "last", ""}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> ScoringCheckpoint.parse(bad));
            assertTrue(e.getMessage().contains("best, final, mean or epoch:K"), e.getMessage());
        }
    }

    @Test
    void sameSeedSameWeightsDifferentSeedDifferentWeights() {
        List<Sample> s = samples(200);
        EncodedPairs data = EncodedPairs.encode(s, MODEL.buckets());
        Targets t = Targets.of(TASK, s.stream().mapToDouble(Sample::label).toArray());
        int[] all = IntStream.range(0, s.size()).toArray();
        RelevanceTrainer trainer = new RelevanceTrainer(MODEL, data, 4, false);
        byte[] init = trainer.initialWeights(1);
        assertEquals(Sha256.hex(init), Sha256.hex(trainer.initialWeights(1)));
        var a = trainer.train(init, t, all, new int[0], TRAIN, RelevanceTrainer.Listener.NONE);
        var b = trainer.train(init, t, all, new int[0], TRAIN, RelevanceTrainer.Listener.NONE);
        assertEquals(Sha256.hex(a.weights()), Sha256.hex(b.weights()));
        assertNotEquals(Sha256.hex(init), Sha256.hex(a.weights()), "training must change the weights");
        var c = trainer.train(init, t, all, new int[0], new TrainSpec(2, 32, 0.01, 8, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU),
                RelevanceTrainer.Listener.NONE);
        assertNotEquals(Sha256.hex(a.weights()), Sha256.hex(c.weights()));
        assertTrue(a.epochs().get(1).trainLoss() < a.epochs().get(0).trainLoss(), "loss falls");
        // dynamics: every training sample, every epoch, from the training passes
        assertEquals(2, a.dynamics().epochs());
        assertEquals(s.size(), a.dynamics().loss()[1].length);
        assertTrue(a.dynamics().pTrue()[1][0] > 0 && a.dynamics().pTrue()[1][0] < 1);
        // predictions come from the trained weights, not the initial ones
        Predictions p0 = trainer.predict(init, all);
        Predictions p1 = trainer.predict(a.weights(), all);
        assertNotEquals(p0.probs()[0][0], p1.probs()[0][0]);
    }

    /** The closed-form last-layer gradient norm equals DJL autograd on one sample at a time. */
    @Test
    void lastLayerGradNormMatchesAutograd() throws Exception {
        List<Sample> s = samples(40);
        EncodedPairs data = EncodedPairs.encode(s, MODEL.buckets());
        Targets t = Targets.of(TASK, s.stream().mapToDouble(Sample::label).toArray());
        int[] idx = IntStream.range(0, 8).toArray();
        RelevanceTrainer trainer = new RelevanceTrainer(MODEL, data, 4, false);
        byte[] w = trainer.train(trainer.initialWeights(2), t, IntStream.range(0, 40).toArray(), new int[0],
                TRAIN, RelevanceTrainer.Listener.NONE).weights();
        Predictions p = trainer.predict(w, idx);
        int[] cls = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            cls[i] = t.classes()[idx[i]];
        }
        double[] closed = new LastLayerGradNorm().score(new ScoringInput(p, cls, new float[idx.length]));

        Engine.getEngine("PyTorch").setRandomSeed(2);
        try (Model model = Model.newInstance("check", Device.cpu(), "PyTorch")) {
            PairModel block = new PairModel(MODEL.buckets(), MODEL.dim(), MODEL.hidden(), 4);
            model.setBlock(block);
            try (Trainer tr = model.newTrainer(new DefaultTrainingConfig(new RelevanceLoss(false)))) {
                tr.initialize(data.shapes());
                block.loadParameters(model.getNDManager(),
                        new DataInputStream(new ByteArrayInputStream(w)));
                for (int i = 0; i < idx.length; i++) {
                    try (NDManager m = model.getNDManager().newSubManager()) {
                        NDList x = data.batch(m, new int[] {idx[i]});
                        float[] oneHot = new float[4];
                        oneHot[cls[i]] = 1;
                        for (var param : block.getParameters()) {
                            param.getValue().getArray().setRequiresGradient(true);
                        }
                        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                            NDList out = block.forward(new ParameterStore(m, false), x, true);
                            NDArray loss = new RelevanceLoss(false).evaluate(new NDList(m.create(oneHot,
                                    new Shape(1, 4))), out);
                            gc.backward(loss);
                        }
                        double sq = 0;
                        for (var param : block.outputLayer().getParameters()) {
                            float[] g = param.getValue().getArray().getGradient().toFloatArray();
                            for (float v : g) {
                                sq += (double) v * v;
                            }
                        }
                        // GradientCollector accumulates: zero every gradient before the next sample
                        for (var param : block.getParameters()) {
                            NDArray g = param.getValue().getArray().getGradient();
                            g.subi(g);
                        }
                        double auto = Math.sqrt(sq);
                        assertEquals(auto, closed[i], 1e-4 * Math.max(1e-3, auto), "sample " + i);
                    }
                }
            }
        }
    }

    /** Ghost-norm GraNd over all parameters equals one-sample-at-a-time autograd norms. */
    @Test
    void ghostNormGrandMatchesPerSampleAutograd() {
        List<Sample> s = samples(60);
        EncodedPairs data = EncodedPairs.encode(s, MODEL.buckets());
        Targets t = Targets.of(TASK, s.stream().mapToDouble(Sample::label).toArray());
        RelevanceTrainer trainer = new RelevanceTrainer(MODEL, data, 4, false);
        int[] all = IntStream.range(0, s.size()).toArray();
        byte[] w = trainer.train(trainer.initialWeights(4), t, all, new int[0], TRAIN, RelevanceTrainer.Listener.NONE)
                .weights();
        int[] which = IntStream.range(0, 20).toArray();
        int[] cls = Arrays.stream(which).map(i -> t.classes()[i]).toArray();
        double[] ghost = GhostGradNorms.compute(w, data, cls, which, MODEL.dim(), MODEL.hidden(), 4, 8);
        double[] loop = GhostGradNorms.perSampleLoop(w, data, cls, which, MODEL.dim(), MODEL.hidden(), 4);
        for (int i = 0; i < which.length; i++) {
            assertTrue(Math.abs(ghost[i] - loop[i]) <= 1e-4 * loop[i], i + ": ghost " + ghost[i] + " vs autograd "
                    + loop[i]);
        }
    }

    /** TracIn per epoch is the closed-form similarity at that epoch's weights, times that epoch's learning rate. */
    @Test
    void tracinPerEpochIsRecordedAtEachCheckpoint() {
        List<Sample> s = samples(80);
        EncodedPairs data = EncodedPairs.encode(s, MODEL.buckets());
        Targets t = Targets.of(TASK, s.stream().mapToDouble(Sample::label).toArray());
        int[] train = IntStream.range(0, 64).toArray();
        int[] valid = IntStream.range(64, 80).toArray();
        RelevanceTrainer trainer = new RelevanceTrainer(MODEL, data, 4, false)
                .withEpochScorer(GradientSimilarity.EPOCH_TRACIN, valid);
        var r = trainer.train(trainer.initialWeights(5), t, train, valid, TRAIN, RelevanceTrainer.Listener.NONE);
        var d = r.dynamics();
        assertEquals(2, d.tracin().length);
        assertEquals(2, d.el2n().length);
        Predictions pt = trainer.predict(r.weights(), train);
        Predictions pv = trainer.predict(r.weights(), valid);
        double[] at = GradientSimilarity.values(pt.probs(), pt.hidden(),
                Arrays.stream(train).map(i -> t.classes()[i]).toArray(), pv.probs(), pv.hidden(),
                Arrays.stream(valid).map(i -> t.classes()[i]).toArray());
        long perEpoch = (64 + TRAIN.batchSize() - 1) / TRAIN.batchSize();
        long steps = 2 * perEpoch;
        // the checkpoint counts with the epoch's mean step size, not its last one
        float lr = new LearningRateSchedule((float) TRAIN.learningRate(), Math.round(TRAIN.warmup() * steps), steps)
                .meanRate(perEpoch + 1, steps);
        for (int i = 0; i < train.length; i++) {
            assertEquals(lr * at[i], d.tracin()[1][i], 1e-6 * Math.max(1e-3, Math.abs(lr * at[i])));
            assertTrue(d.el2n()[1][i] >= 0 && d.el2n()[1][i] <= Math.sqrt(2) + 1e-6);
        }
    }

    /** The epoch scorer sees every epoch's checkpoint once, on all training and validation samples. */
    @Test
    void epochScorerIsCalledOncePerEpochWithTrainingAndValidationPredictions() {
        List<Sample> s = samples(50);
        EncodedPairs data = EncodedPairs.encode(s, MODEL.buckets());
        Targets t = Targets.of(TASK, s.stream().mapToDouble(Sample::label).toArray());
        int[] train = IntStream.range(0, 40).toArray();
        int[] valid = IntStream.range(40, 50).toArray();
        List<int[]> calls = new ArrayList<>();
        EpochScorer ones = (p, c, vp, vc) -> {
            calls.add(new int[] {p.size(), c.length, vp.size(), vc.length});
            assertArrayEquals(Arrays.stream(valid).map(i -> t.classes()[i]).toArray(), vc);
            double[] v = new double[p.size()];
            Arrays.fill(v, 1.0);
            return v;
        };
        RelevanceTrainer plain = new RelevanceTrainer(MODEL, data, 4, false);
        byte[] init = plain.initialWeights(3);
        var scored = plain.withEpochScorer(ones, valid).train(init, t, train, valid, TRAIN, RelevanceTrainer.Listener.NONE);
        assertEquals(TRAIN.epochs(), calls.size());
        for (int[] sizes : calls) {
            assertArrayEquals(new int[] {40, 40, 10, 10}, sizes);
        }
        // a constant score comes back as each epoch's mean learning rate
        LearningRateSchedule lr = LearningRateSchedule.of(TRAIN, 2);
        assertEquals((lr.rate(1) + lr.rate(2)) / 2, scored.dynamics().tracin()[0][5], 1e-7);
        assertEquals((lr.rate(3) + lr.rate(4)) / 2, scored.dynamics().tracin()[1][5], 1e-7);

        var unscored = plain.train(init, t, train, valid, TRAIN, RelevanceTrainer.Listener.NONE);
        assertNull(unscored.dynamics().tracin(), "no scorer, no per-epoch column");
        assertEquals(Sha256.hex(scored.weights()), Sha256.hex(unscored.weights()), "scoring does not touch training");
        calls.clear();
        plain.withEpochScorer(ones, new int[0]).train(init, t, train, valid, TRAIN, RelevanceTrainer.Listener.NONE);
        assertTrue(calls.isEmpty(), "nothing to score against without a reference set");
    }

    @Test
    void targetsScaleRegressionAndShiftGrades() {
        Targets g = Targets.of(new TaskSpec(TaskType.GRADED, 1, 4), new double[] {1, 4, 2});
        assertArrayEquals(new int[] {0, 3, 1}, g.classes());
        Targets r = Targets.of(new TaskSpec(TaskType.REGRESSION, 1, 5), new double[] {1, 5, 3});
        assertArrayEquals(new float[] {0f, 1f, 0.5f}, r.values(), 1e-6f);
    }
}
