package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.sift.data.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inference orders samples by padded length so batches pad little, and still returns each sample's own outputs in
 * the order asked: the same as predicting each sample alone.
 */
class InferenceOrderTest {
    @TempDir
    Path dir;

    private record Lengths(int... len) implements FeatureSource {
        @Override
        public Shape[] shapes() {
            return new Shape[0];
        }

        @Override
        public NDList batch(NDManager manager, int[] sel) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int size() {
            return len.length;
        }

        @Override
        public int length(int sample) {
            return len[sample];
        }
    }

    @Test
    void positionsAreOrderedByLengthTiesInTheirOrder() {
        assertArrayEquals(new int[] {2, 3, 1, 0},
                Inference.byLength(new Lengths(9, 5, 1, 3, 1), new int[] {0, 1, 2, 4}));
        assertArrayEquals(new int[] {0, 1, 2}, Inference.byLength(new Lengths(4, 4, 4), new int[] {2, 0, 1}));
    }

    @Test
    void lengthOrderedBatchesGiveEachSampleItsOwnPrediction() throws Exception {
        Path folder = TinyBert.write(dir.resolve("tiny"), 5, null);
        Checkpoint cp = Checkpoint.huggingFace(folder.toString(), name -> Files.readAllBytes(folder.resolve(name)));
        List<Sample> samples = new ArrayList<>(RelevanceTrainerTest.samples(24));
        for (int i = 0; i < samples.size(); i += 3) { // titles from 1 to 9 repeats long: padding differs a lot
            Sample s = samples.get(i);
            samples.set(i, new Sample(s.index(), s.query(), (s.title() + " ").repeat(1 + i / 3).trim(),
                    s.description(), s.label(), s.query(), null, false, s.split(), s.sourceLine()));
        }
        TokenizedPairs pairs = TinyBert.pairs(cp, samples, 64);
        RelevanceTrainer trainer = TinyBert.crossEncoder(cp, pairs, 0f, name -> true);
        byte[] init = trainer.initialWeights(3);
        int[] which = IntStream.range(0, samples.size()).map(i -> samples.size() - 1 - i).toArray();
        Predictions all = trainer.predict(init, which);
        for (int i = 0; i < which.length; i++) {
            Predictions alone = trainer.predict(init, new int[] {which[i]});
            assertArrayEquals(alone.probs()[0], all.probs()[i], 1e-5f, "sample " + which[i]);
            assertArrayEquals(alone.hidden()[0], all.hidden()[i], 1e-4f, "sample " + which[i]);
        }
        assertEquals(24, IntStream.of(which).map(pairs::length).filter(l -> l > 0).count());
    }
}
