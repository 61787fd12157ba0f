package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.Sample;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Query-grouped folds, and out-of-fold predictions from a tiny hashed model. */
class CrossFitTest {
    private static final ModelSpec MODEL = new ModelSpec(ModelSpec.Encoder.HASHED_BOW, null, ModelSpec.Mode.FULL, 2,
            64, ModelSpec.Pooling.MEAN, 128, 8, 8);
    private static final TaskSpec TASK = new TaskSpec(TaskType.GRADED, 0, 3);
    private static final TrainSpec TRAIN = new TrainSpec(2, 32, 0.01, 7, 0.01, 0.1, 1.0, 0, TrainSpec.DeviceChoice.CPU);

    private static String[] groups(List<Sample> s) {
        return s.stream().map(Sample::group).toArray(String[]::new);
    }

    @Test
    void noQueryIsInTwoFoldsAndFoldsAreDeterministicAndBalanced() {
        String[] g = groups(RelevanceTrainerTest.samples(300));
        int[] a = CrossFit.assign(g, 5, 42);
        assertArrayEquals(a, CrossFit.assign(g, 5, 42), "same seed, same folds");
        Map<String, Integer> foldOf = new HashMap<>();
        int[] size = new int[5];
        for (int i = 0; i < g.length; i++) {
            Integer before = foldOf.putIfAbsent(g[i], a[i]);
            assertTrue(before == null || before == a[i], "query " + g[i] + " in two folds");
            size[a[i]]++;
        }
        int largestGroup = g.length == 0 ? 0 : (int) java.util.Arrays.stream(g)
                .collect(java.util.stream.Collectors.groupingBy(x -> x, java.util.stream.Collectors.counting()))
                .values().stream().mapToLong(Long::longValue).max().orElse(0);
        int min = IntStream.of(size).min().orElse(0);
        int max = IntStream.of(size).max().orElse(0);
        assertTrue(min > 0 && max - min <= largestGroup, java.util.Arrays.toString(size));
        // the pool's order does not change which fold a query lands in
        String[] reversed = new String[g.length];
        for (int i = 0; i < g.length; i++) {
            reversed[i] = g[g.length - 1 - i];
        }
        int[] b = CrossFit.assign(reversed, 5, 42);
        for (int i = 0; i < g.length; i++) {
            assertEquals(foldOf.get(reversed[i]), b[i]);
        }
        int[] other = CrossFit.assign(g, 5, 43);
        assertTrue(!java.util.Arrays.equals(a, other), "another seed, other folds");
    }

    @Test
    void foldsPartitionThePoolAndNeverTrainOnWhatTheyHoldOut() {
        String[] g = groups(RelevanceTrainerTest.samples(120));
        List<CrossFit.Fold> plan = CrossFit.plan(g, 4, 1);
        assertEquals(4, plan.size());
        int[] heldCount = new int[g.length];
        Set<String> seenGroups = new HashSet<>();
        for (CrossFit.Fold f : plan) {
            Set<Integer> train = new HashSet<>();
            IntStream.of(f.train()).forEach(train::add);
            Set<String> groupsHere = new HashSet<>();
            for (int i : f.heldOut()) {
                heldCount[i]++;
                assertTrue(!train.contains(i));
                groupsHere.add(g[i]);
            }
            for (int i : f.train()) {
                assertTrue(!groupsHere.contains(g[i]), "a held-out query is also trained on");
            }
            assertEquals(g.length, f.train().length + f.heldOut().length);
            assertEquals(groupsHere.size(), f.groups());
            for (String q : groupsHere) {
                assertTrue(seenGroups.add(q), "query " + q + " held out twice");
            }
        }
        assertTrue(IntStream.of(heldCount).allMatch(c -> c == 1), "every position held out exactly once");
    }

    @Test
    void tooFewQueriesOrOneFoldIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> CrossFit.assign(new String[] {"a", "a", "b"}, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> CrossFit.assign(new String[] {"a", "b"}, 1, 1));
    }

    /** Each sample's out-of-fold prediction is the one of the model trained without its fold, and of no other. */
    @Test
    void everyPoolSampleIsPredictedOnceByAModelThatDidNotTrainOnIt() {
        List<Sample> s = RelevanceTrainerTest.samples(160);
        EncodedPairs data = EncodedPairs.encode(s, MODEL.buckets());
        Targets t = Targets.of(TASK, s.stream().mapToDouble(Sample::label).toArray());
        RelevanceTrainer trainer = new RelevanceTrainer(MODEL, data, 4, false);
        byte[] init = trainer.initialWeights(3);
        int[] pool = IntStream.range(0, 120).toArray();
        int[] validation = IntStream.range(120, 160).toArray();
        String[] g = groups(s.subList(0, 120));
        int[] starts = new int[1];
        CrossFit.Result r = CrossFit.run(trainer, init, t, pool, g, validation, TRAIN, 3, (fold, folds, plan) -> {
            starts[0]++;
            assertEquals(3, folds);
            return RelevanceTrainer.Listener.NONE;
        });
        assertEquals(3, starts[0]);
        assertEquals(pool.length, r.outOfFold().size());
        for (int i = 0; i < pool.length; i++) {
            assertNotNull(r.outOfFold().probs()[i], "sample " + i + " has no out-of-fold prediction");
        }
        // fold 1's model again, by hand: training is deterministic on CPU, so its held-out predictions match
        CrossFit.Fold f = CrossFit.plan(g, 3, TRAIN.seed()).get(1);
        var model = trainer.train(init, t, f.train(), validation, TRAIN, RelevanceTrainer.Listener.NONE);
        Predictions direct = trainer.predict(model.weights(), f.heldOut());
        Predictions inSample = trainer.predict(model.weights(), f.train());
        for (int j = 0; j < f.heldOut().length; j++) {
            assertArrayEquals(direct.probs()[j], r.outOfFold().probs()[f.heldOut()[j]], 0f);
            assertEquals(1, r.foldOf()[f.heldOut()[j]]);
        }
        // and the samples it trained on were predicted by other folds' models, not by it
        int differ = 0;
        for (int j = 0; j < f.train().length; j++) {
            differ += java.util.Arrays.equals(inSample.probs()[j], r.outOfFold().probs()[f.train()[j]]) ? 0 : 1;
        }
        assertEquals(f.train().length, differ);
    }
}
