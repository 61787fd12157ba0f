package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sift.Sha256;
import dev.sift.data.Sample;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Per-sample loss weights and replaced labels reach the training loss, and change nothing when neutral. */
class WeightedTrainingTest {
    private static final ModelSpec MODEL = new ModelSpec(ModelSpec.Encoder.HASHED_BOW, null, ModelSpec.Mode.FULL, 2,
            64, ModelSpec.Pooling.MEAN, 256, 8, 8);
    private static final TaskSpec TASK = new TaskSpec(TaskType.GRADED, 0, 3);
    private static final TrainSpec TRAIN = new TrainSpec(2, 16, 0.01, 7, 0.01, 0.1, 1.0, 0,
            TrainSpec.DeviceChoice.CPU);

    @Test
    void weightOneEverywhereIsPlainTrainingAndOtherWeightsOrLabelsChangeTheModel() {
        List<Sample> s = RelevanceTrainerTest.samples(60);
        RelevanceTrainer trainer = new RelevanceTrainer(MODEL, EncodedPairs.encode(s, MODEL.buckets()), 4, false);
        Targets t = Targets.of(TASK, s.stream().mapToDouble(Sample::label).toArray());
        int[] train = IntStream.range(0, 48).toArray();
        byte[] init = trainer.initialWeights(3);
        String plain = Sha256.hex(trainer.train(init, t, train, new int[0], TRAIN, RelevanceTrainer.Listener.NONE)
                .weights());
        double[] ones = new double[train.length];
        Arrays.fill(ones, 1.0);
        assertEquals(plain, Sha256.hex(trainer.train(init, t.adjusted(train, ones, null), train, new int[0], TRAIN,
                RelevanceTrainer.Listener.NONE).weights()), "weight 1 everywhere is plain training, bit for bit");
        double[] half = ones.clone();
        Arrays.fill(half, 0, 24, 0.0);
        assertNotEquals(plain, Sha256.hex(trainer.train(init, t.adjusted(train, half, null), train, new int[0],
                TRAIN, RelevanceTrainer.Listener.NONE).weights()));
        int[] labels = new int[train.length];
        Arrays.fill(labels, -1);
        labels[5] = (t.classes()[5] + 2) % 4;
        assertNotEquals(plain, Sha256.hex(trainer.train(init, t.adjusted(train, null, labels), train, new int[0],
                TRAIN, RelevanceTrainer.Listener.NONE).weights()));
    }

    @Test
    void adjustedTargetsReplaceOnlyTheListedSamples() {
        Targets t = Targets.of(TASK, new double[] {0, 1, 2, 3, 1});
        Targets a = t.adjusted(new int[] {1, 3}, new double[] {0.5, 2.0}, new int[] {3, -1});
        assertArrayEquals(new int[] {0, 3, 2, 3, 1}, a.classes());
        assertArrayEquals(new float[] {0, 3, 2, 3, 1}, a.values());
        assertArrayEquals(new float[] {1f, 0.5f, 1f, 2f, 1f}, a.weights());
        assertArrayEquals(new int[] {0, 1, 2, 3, 1}, t.classes(), "the original is untouched");
        Targets r = Targets.of(new TaskSpec(TaskType.REGRESSION, 1, 3), new double[] {1, 2});
        assertThrows(IllegalArgumentException.class, () -> r.adjusted(new int[] {0}, null, new int[] {1}));
    }
}
