package dev.sift.stage;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.data.TaskType;
import dev.sift.evaluation.Metrics;
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
 * grade shares (the training split stands in when there is no validation split; the zero-shot baseline's cut
 * points reproduce the same shares on the training split's cosines), or the most probable grade. Binary tasks read the probability of the positive class against
 * the threshold with the best F1 on the validation split (the training split without one).
 */
@ApplicationScoped
public class Outcomes {
    @Inject
    ModelFactory models;
    @Inject
    RunInputs inputs;

    TestOutcome of(StageContext ctx, byte[] weights, int[] rows, TestSet set) {
        return of(ctx, weights, rows, set, null);
    }

    /**
     * {@link #of}, the grade shares read from {@code labels} (every sample's, by index) instead of the stored
     * labels: the clean reference of a run with {@code dataset.noise} is graded by the shares of the labels it
     * trained on.
     */
    TestOutcome of(StageContext ctx, byte[] weights, int[] rows, TestSet set, double[] labels) {
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
        if (ctx.spec().task().type() == TaskType.BINARY) {
            // F1 at the threshold where the validation split's F1 peaks: chosen there, applied here
            double[] probability = new double[p.size()];
            Arrays.setAll(probability, p::rankScore);
            double threshold = Metrics.bestF1Threshold(scores, positives(ctx, samples, reference));
            return TestOutcome.binary(probability, probability, threshold);
        }
        double[] trainLabels = Baselines.labelsFromZero(ctx, samples, train);
        if (labels != null) {
            for (int i = 0; i < train.length; i++) {
                trainLabels[i] = labels[train[i]] - ctx.spec().task().minLabel();
            }
        }
        return TestOutcome.of(p, set, ZeroShot.cutPoints(scores, trainLabels, ctx.spec().task().classes()));
    }

    /** Whether each of {@code rows} is labelled positive (binary tasks: the label is the task's maximum). */
    static boolean[] positives(StageContext ctx, List<Sample> samples, int[] rows) {
        boolean[] out = new boolean[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = samples.get(rows[i]).label() == ctx.spec().task().maxLabel();
        }
        return out;
    }
}
