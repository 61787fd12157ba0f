package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sift.Sha256;
import dev.sift.data.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The same MiniLM cross-encoder training, repeated in one process while another thread keeps the garbage collector
 * busy, gives the same weights every time. Three evaluation trainings of long MiniLM runs went to NaN where the same
 * training in a fresh process did not. The cause was the attention's scale multiplied in as a DJL number, whose
 * buffer the collector could free before the backward pass read it ({@link Scalars}). With that multiplication this
 * test failed in all 7 runs within the first five steps (garbage gradients, then NaN weights); without it, it passes.
 * The path is that of those runs: the pretrained MiniLM, every parameter trained, {@link FlatAdamW}'s native kernel
 * in chunks, clipping.
 */
class RepeatedTrainingTest {
    @Test
    void theSameTrainingRepeatedInOneProcessUnderGarbageCollectionGivesTheSameWeights() throws Exception {
        Checkpoint cp = Checkpoint.miniLm();
        List<Sample> samples = RelevanceTrainerTest.samples(96);
        TokenizedPairs pairs = TinyBert.pairs(cp, samples, 32);
        Targets t = TinyBert.grades(samples);
        RelevanceTrainer trainer = TinyBert.crossEncoder(cp, pairs, 0.1f, name -> true);
        byte[] init = trainer.initialWeights(42);
        int[] train = IntStream.range(0, 80).toArray();
        int[] validation = IntStream.range(80, samples.size()).toArray();
        TrainSpec spec = new TrainSpec(2, 16, 5e-5, 43, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU);
        int repeats = 3;
        AtomicBoolean stop = new AtomicBoolean();
        Thread collector = new Thread(() -> {
            List<byte[]> garbage = new ArrayList<>();
            while (!stop.get()) {
                garbage.add(new byte[1 << 20]);
                if (garbage.size() > 64) {
                    garbage.clear();
                    System.gc();
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gc-hammer");
        collector.setDaemon(true);
        collector.start();
        try {
            String first = null;
            List<String> losses = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                var result = trainer.train(init, t, train, validation, spec, RelevanceTrainer.Listener.NONE);
                String sha = Sha256.hex(result.weights());
                losses.add(result.epochs().get(1).trainLoss() + "/" + result.epochs().get(1).validationLoss());
                if (first == null) {
                    first = sha;
                }
                assertEquals(first, sha, "training " + (r + 1) + " of " + repeats + " differs; losses " + losses);
            }
        } finally {
            stop.set(true);
            collector.join();
        }
    }
}
