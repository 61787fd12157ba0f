package dev.sift.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.TaskType;
import dev.sift.model.Predictions;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** oof_loss and label_quality on given out-of-fold predictions. */
class OutOfFoldTest {
    /** In-sample the model fits every label; out of fold it does not fit sample 1's label. */
    private static ScoringInput fourSamples() {
        float[][] inSample = {{0.9f, 0.05f, 0.05f}, {0.05f, 0.9f, 0.05f}, {0.1f, 0.1f, 0.8f}, {0.8f, 0.1f, 0.1f}};
        float[][] hidden = {{1f}, {2f}, {3f}, {4f}};
        float[][] oof = {{0.8f, 0.1f, 0.1f}, {0.7f, 0.2f, 0.1f}, {0.2f, 0.2f, 0.6f}, {0.4f, 0.3f, 0.3f}};
        ScoringInput base = new ScoringInput(new Predictions(inSample, hidden, false), new int[] {0, 1, 2, 0},
                new float[4]);
        return base.withOutOfFold(new Predictions(oof, hidden, false));
    }

    @Test
    void oofLossIsTheCrossEntropyOfTheGivenGradeUnderTheOutOfFoldModel() {
        OutOfFoldLoss m = new OutOfFoldLoss();
        assertArrayEquals(new double[] {-Math.log(0.8f), -Math.log(0.2f), -Math.log(0.6f), -Math.log(0.4f)},
                m.score(fourSamples()), 1e-6);
        assertEquals("oof_loss", m.name());
        assertEquals(Orientation.HIGHER_IS_REMOVE, m.orientation());
        assertEquals(Set.of(Need.CROSS_FIT), m.needs());
        // the in-sample loss ranks sample 1 as clean as sample 0; out of fold it is the likeliest error
        double[] s = m.score(fourSamples());
        assertTrue(s[1] > s[0] && s[1] > s[2]);
    }

    @Test
    void oofLossIsTheSquaredErrorForRegression() {
        float[][] p = {{0.5f}, {0.5f}};
        ScoringInput in = new ScoringInput(new Predictions(p, new float[][] {{0f}, {0f}}, true), new int[2],
                new float[] {0.25f, 1.0f}).withOutOfFold(new Predictions(new float[][] {{0.5f}, {0.0f}},
                        new float[][] {{0f}, {0f}}, true));
        assertArrayEquals(new double[] {0.0625, 1.0}, new OutOfFoldLoss().score(in), 1e-7);
    }

    @Test
    void oofLossWithoutCrossFittingFailsClearlyAndTheParserCanSayWhy() {
        ScoringInput none = new ScoringInput(fourSamples().predictions(), new int[] {0, 1, 2, 0}, new float[4]);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new OutOfFoldLoss().score(none));
        assertTrue(e.getMessage().contains("score.cross_fit"), e.getMessage());
        String why = ImportanceMethods.whyNot(new OutOfFoldLoss(), TaskType.GRADED, EnumSet.noneOf(Need.class))
                .orElseThrow();
        assertTrue(why.startsWith("oof_loss needs out-of-fold predictions: set score.cross_fit"), why);
        assertTrue(ImportanceMethods.whyNot(new OutOfFoldLoss(), TaskType.REGRESSION, EnumSet.of(Need.CROSS_FIT))
                .isEmpty());
    }

    @Test
    void labelQualityUsesTheOutOfFoldProbabilitiesWhenThereAreAny() {
        ScoringInput in = fourSamples();
        ConfidentLearning cl = new ConfidentLearning();
        assertTrue(cl.uses().contains(Need.CROSS_FIT) && cl.needs().isEmpty());
        double[][] oof = {{0.8, 0.1, 0.1}, {0.7, 0.2, 0.1}, {0.2, 0.2, 0.6}, {0.4, 0.3, 0.3}};
        ConfidentLearning.Result expected = ConfidentLearning.fromProbabilities(toFloatAndBack(oof), in.classes(), 3);
        MethodResult r = cl.evaluate(in);
        assertArrayEquals(expected.quality(), r.scores(), 1e-12);
        assertArrayEquals(expected.flagged(), r.suggestions().flagged());
        // thresholds 0.6, 0.2, 0.6: sample 1 (label 1) is confidently grade 0 out of fold: flagged, 0 suggested
        assertTrue(r.suggestions().flagged()[1]);
        assertEquals(0, r.suggestions().suggested()[1]);
    }

    @Test
    void anEnsembleUsesWhatItsMembersUse() {
        RankEnsemble e = new RankEnsemble(java.util.List.of("tracin", "oof_loss"));
        assertTrue(e.needs().containsAll(Set.of(Need.UTILITY_SPLIT, Need.CROSS_FIT)));
        assertTrue(new RankEnsemble(java.util.List.of("label_quality")).uses().contains(Need.CROSS_FIT));
    }

    private static double[][] toFloatAndBack(double[][] p) {
        double[][] out = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            out[i] = new double[p[i].length];
            for (int k = 0; k < p[i].length; k++) {
                out[i][k] = (float) p[i][k];
            }
        }
        return out;
    }
}
