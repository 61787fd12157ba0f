package dev.sift.stage;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.evaluation.TestOutcome;
import dev.sift.evaluation.TestSet;
import dev.sift.evaluation.ZeroShot;
import dev.sift.model.Predictions;
import dev.sift.model.RelevanceTrainer;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;

/**
 * A trained model's answers on a set of samples, with grades read as {@code evaluate.grades} says: calibrated cut
 * points on the expected grade, placed where the model's validation predictions reproduce the training split's
 * grade shares (the calibration the zero-shot baseline gets; the training split stands in when there is no
 * validation split), or the most probable grade.
 */
@ApplicationScoped
public class Outcomes {
    @Inject
    ModelFactory models;
    @Inject
    RunInputs inputs;

    TestOutcome of(StageContext ctx, byte[] weights, int[] rows, TestSet set) {
        RelevanceTrainer trainer = models.trainer(ctx);
        Predictions p = trainer.predict(weights, rows);
        if (!ctx.spec().task().classification() || ctx.spec().evaluate().grades() == WorkflowSpec.Grades.ARGMAX) {
            return TestOutcome.of(p, set);
        }
        List<Sample> samples = inputs.samples(ctx);
        int[] reference = Subsets.ofSplit(samples, Split.VALIDATION);
        int[] train = Subsets.ofSplit(samples, Split.TRAIN);
        reference = reference.length == 0 ? train : reference;
        Predictions r = Arrays.equals(reference, rows) ? p : trainer.predict(weights, reference);
        double[] scores = new double[r.size()];
        Arrays.setAll(scores, r::rankScore);
        double[] trainLabels = Baselines.labelsFromZero(ctx, samples, train);
        return TestOutcome.of(p, set, ZeroShot.cutPoints(scores, trainLabels, ctx.spec().task().classes()));
    }
}
