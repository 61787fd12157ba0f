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

    @Test
    void cutPointsApplyTheLabelSharesToFewerScores() {
        // 8 labels: a quarter grade 0, a quarter grade 1, half grade 2; 4 scores get 1, 1 and 2 of them
        double[] labels = {0, 0, 1, 1, 2, 2, 2, 2};
        double[] scores = {0.4, 0.1, 0.9, 0.2};
        double[] cuts = ZeroShot.cutPoints(scores, labels, 3);
        assertArrayEquals(new double[] {0.2, 0.4}, cuts, 1e-12);
        // no label of the top grade: its cut is past every score
        double[] none = ZeroShot.cutPoints(scores, new double[] {0, 1, 1}, 3);
        assertEquals(Double.POSITIVE_INFINITY, none[1]);
    }

    @Test
    void aGradeTheTrainingSplitNeverHadIsNeverPredicted() {
        // every training label is 2 of 0..3: a test score below (or above) every training score is still grade 2
        double[] scores = {0.4, 0.1, 0.9, 0.2};
        double[] cuts = ZeroShot.cutPoints(scores, new double[] {2, 2, 2, 2}, 4);
        for (double s : new double[] {-5, 0.1, 0.5, 0.9, 7}) {
            assertEquals(2, ZeroShot.grade(s, cuts), "score " + s);
        }
        // grades 1 and 2 only: below the training range is grade 1, never 0
        double[] two = ZeroShot.cutPoints(scores, new double[] {1, 1, 2, 2}, 3);
        assertEquals(1, ZeroShot.grade(-5, two));
        assertEquals(2, ZeroShot.grade(0.9, two));
    }

    @Test
    void calibratedGradesReadTheExpectedGradeAtTheCuts() {
        // two pairs, grades 0..2; expected grades 0.9 and 1.1: argmax says 1 and 1, cuts at 1.0 and 1.5 say 0 and 1
        dev.sift.model.Predictions p = new dev.sift.model.Predictions(
                new float[][] {{0.3f, 0.5f, 0.2f}, {0.2f, 0.5f, 0.3f}}, new float[2][1], false);
        dev.sift.data.TaskSpec task = new dev.sift.data.TaskSpec(dev.sift.data.TaskType.GRADED, 0, 2);
        TestSet t = TestSet.of(task, java.util.List.of(
                new dev.sift.data.Sample(0, "q", "t1", "", 0, "q", null, false, dev.sift.data.Split.TEST, 2),
                new dev.sift.data.Sample(1, "q", "t2", "", 1, "q", null, false, dev.sift.data.Split.TEST, 3)), 10);
        assertArrayEquals(new int[] {1, 1}, TestOutcome.of(p, t).predicted());
        assertArrayEquals(new int[] {0, 1}, TestOutcome.of(p, t, new double[] {1.0, 1.5}).predicted());
    }
}
