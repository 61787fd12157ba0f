package dev.sift.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ZeroShotTest {
    @Test
    void cutPointsReproduceTheTrainingLabelDistribution() {
        // 2 of grade 0, 1 of grade 1, 3 of grade 2: cuts at the 3rd and 4th smallest scores
        double[] scores = {0.9, 0.1, 0.5, 0.3, 0.7, 0.2};
        double[] labels = {2, 0, 1, 0, 2, 2};
        double[] cuts = ZeroShot.cutPoints(scores, labels, 3);
        assertArrayEquals(new double[] {0.3, 0.5}, cuts, 1e-12);
        int[] grades = new int[scores.length];
        int[] counts = new int[3];
        for (int i = 0; i < scores.length; i++) {
            grades[i] = ZeroShot.grade(scores[i], cuts);
            counts[grades[i]]++;
        }
        assertArrayEquals(new int[] {2, 1, 3}, counts);
        assertEquals(0, ZeroShot.grade(-1, cuts));
        assertEquals(2, ZeroShot.grade(2, cuts));
    }
}
