package dev.sift.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LabelNoiseTest {
    private static final TaskSpec GRADED = new TaskSpec(TaskType.GRADED, 0, 3);

    /** 1000 samples in 100 queries of 10, grades 0-3; every fifth query is validation, utility or test. */
    private static List<Sample> samples(TaskSpec task) {
        List<Sample> out = new ArrayList<>();
        Random r = new Random(3);
        Split[] others = {Split.VALIDATION, Split.UTILITY, Split.TEST};
        for (int i = 0; i < 1000; i++) {
            int q = i / 10;
            Split split = q % 5 == 0 ? others[(q / 5) % 3] : Split.TRAIN;
            double y = task.type() == TaskType.REGRESSION ? task.minLabel() + r.nextDouble()
                    * (task.maxLabel() - task.minLabel()) : task.minLabel() + r.nextInt(task.classes());
            out.add(new Sample(i, "query " + q, "title " + i, "", y, "query " + q, null, false, split, i + 2));
        }
        return out;
    }

    private static int train(List<Sample> s) {
        return (int) s.stream().filter(x -> x.split() == Split.TRAIN).count();
    }

    @ParameterizedTest
    @EnumSource(LabelNoise.Kind.class)
    void flipsOnlyTrainingLabelsWithinRangeAndMarksThem(LabelNoise.Kind kind) {
        List<Sample> in = samples(GRADED);
        LabelNoise.Result r = LabelNoise.apply(in, GRADED, new LabelNoise.Spec(0.2, kind, 5));
        int expected = (int) Math.round(0.2 * train(in));
        if (kind == LabelNoise.Kind.QUERY) {
            assertTrue(r.count() >= expected && r.count() < expected + 10, "whole queries: " + r.count());
        } else {
            assertEquals(expected, r.count());
        }
        Set<Integer> flipped = new HashSet<>();
        for (int i : r.flipped()) {
            flipped.add(i);
        }
        // the labels before the flip are kept, and putting them back gives the input's labels
        double[] noisy = r.samples().stream().mapToDouble(Sample::label).toArray();
        double[] restored = r.flips().restore(noisy);
        for (int i = 0; i < in.size(); i++) {
            assertEquals(in.get(i).label(), restored[i], 0.0, "sample " + i);
        }
        for (int i = 0; i < in.size(); i++) {
            Sample before = in.get(i);
            Sample after = r.samples().get(i);
            assertEquals(before.index(), after.index());
            assertEquals(before.split(), after.split());
            assertEquals(flipped.contains(i), after.noisy());
            if (flipped.contains(i)) {
                assertEquals(Split.TRAIN, before.split(), "only training labels");
                assertNotEquals(before.label(), after.label(), "a graded flip changes the grade");
                assertTrue(after.label() >= 0 && after.label() <= 3 && after.label() == Math.rint(after.label()));
            } else {
                assertEquals(before.label(), after.label());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LabelNoise.Kind.class)
    void sameSeedSameFlipsOtherSeedOtherFlips(LabelNoise.Kind kind) {
        List<Sample> in = samples(GRADED);
        LabelNoise.Result a = LabelNoise.apply(in, GRADED, new LabelNoise.Spec(0.3, kind, 11));
        LabelNoise.Result b = LabelNoise.apply(in, GRADED, new LabelNoise.Spec(0.3, kind, 11));
        LabelNoise.Result c = LabelNoise.apply(in, GRADED, new LabelNoise.Spec(0.3, kind, 12));
        assertArrayEquals(a.flipped(), b.flipped());
        assertEquals(a.samples(), b.samples());
        assertFalse(java.util.Arrays.equals(a.flipped(), c.flipped()));
    }

    @Test
    void theFlippedLabelsAreNotTheFirstATrainerWithTheSameSeedWouldSee() {
        List<Sample> in = samples(GRADED);
        long seed = 1;
        LabelNoise.Result r = LabelNoise.apply(in, GRADED, new LabelNoise.Spec(0.2, LabelNoise.Kind.ADJACENT, seed));
        // the training loop's first epoch: the training indices in order, shuffled with a Random of its seed
        List<Integer> order = new ArrayList<>(in.stream().filter(x -> x.split() == Split.TRAIN).map(Sample::index)
                .toList());
        java.util.Collections.shuffle(order, new Random(seed));
        Set<Integer> first = new HashSet<>(order.subList(0, r.count()));
        long shared = java.util.Arrays.stream(r.flipped()).filter(first::contains).count();
        // independent draws share about a fifth (0.2 x 160 = 32); the same stream shared all 160
        assertTrue(shared < 0.4 * r.count(), shared + " of " + r.count() + " flipped are the first seen");
    }

    @Test
    void adjacentMovesOneGradeFarMovesToTheFarthest() {
        List<Sample> in = samples(GRADED);
        LabelNoise.Result adj = LabelNoise.apply(in, GRADED, new LabelNoise.Spec(0.5, LabelNoise.Kind.ADJACENT, 1));
        LabelNoise.Result far = LabelNoise.apply(in, GRADED, new LabelNoise.Spec(0.5, LabelNoise.Kind.FAR, 1));
        Map<Double, Double> farOf = Map.of(0.0, 3.0, 1.0, 3.0, 2.0, 0.0, 3.0, 0.0);
        for (int i : adj.flipped()) {
            assertEquals(1.0, Math.abs(adj.samples().get(i).label() - in.get(i).label()));
        }
        for (int i : far.flipped()) {
            assertEquals(farOf.get(in.get(i).label()), far.samples().get(i).label());
        }
    }

    @Test
    void queryNoiseFlipsWholeQueries() {
        List<Sample> in = samples(GRADED);
        LabelNoise.Result r = LabelNoise.apply(in, GRADED, new LabelNoise.Spec(0.25, LabelNoise.Kind.QUERY, 2));
        Map<String, int[]> perQuery = new HashMap<>();
        for (Sample s : r.samples()) {
            if (s.split() == Split.TRAIN) {
                int[] c = perQuery.computeIfAbsent(s.query(), q -> new int[2]);
                c[0]++;
                c[1] += s.noisy() ? 1 : 0;
            }
        }
        for (var e : perQuery.entrySet()) {
            assertTrue(e.getValue()[1] == 0 || e.getValue()[1] == e.getValue()[0], e.getKey() + " partly flipped");
        }
    }

    @Test
    void uniformReachesEveryOtherGrade() {
        Random r = new Random(4);
        Set<Double> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            double y = LabelNoise.flip(1, GRADED, LabelNoise.Kind.UNIFORM, r);
            assertNotEquals(1.0, y);
            seen.add(y);
        }
        assertEquals(Set.of(0.0, 2.0, 3.0), seen);
    }

    @ParameterizedTest
    @EnumSource(LabelNoise.Kind.class)
    void binaryLabelsSwapForEveryKind(LabelNoise.Kind kind) {
        TaskSpec binary = new TaskSpec(TaskType.BINARY, 0, 1);
        List<Sample> in = samples(binary);
        LabelNoise.Result r = LabelNoise.apply(in, binary, new LabelNoise.Spec(0.2, kind, 9));
        for (int i : r.flipped()) {
            assertEquals(1 - in.get(i).label(), r.samples().get(i).label());
        }
    }

    @Test
    void regressionAdjacentIsOneUnitClippedAndFarReflects() {
        TaskSpec reg = new TaskSpec(TaskType.REGRESSION, 0, 5);
        Random r = new Random(1);
        assertEquals(4.5, LabelNoise.flip(0.5, reg, LabelNoise.Kind.FAR, r));
        for (int i = 0; i < 100; i++) {
            double y = LabelNoise.flip(4.5, reg, LabelNoise.Kind.ADJACENT, r);
            assertTrue(y == 3.5 || y == 5.0, "one unit down, or up clipped to max: " + y);
            double u = LabelNoise.flip(2, reg, LabelNoise.Kind.UNIFORM, r);
            assertTrue(u >= 0 && u <= 5);
        }
    }

    @Test
    void zeroFractionFlipsNothingAndFractionOneIsRefused() {
        List<Sample> in = samples(GRADED);
        assertEquals(0, LabelNoise.apply(in, GRADED, new LabelNoise.Spec(0, LabelNoise.Kind.FAR, 1)).count());
        assertThrows(IllegalArgumentException.class, () -> new LabelNoise.Spec(1.0, LabelNoise.Kind.FAR, 1));
    }
}
