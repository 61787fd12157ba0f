package dev.sift.stage;

import dev.sift.store.RunCopy;
import dev.sift.data.Split;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.ScoringCheckpoint;
import dev.sift.stage.StageOutputs.FineTuneOutput;
import dev.sift.store.DynamicsStore;
import dev.sift.store.RunLayout;
import dev.sift.store.WeightStore;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Draws the initial weights from the seed (the common starting point of every later retraining), trains on
 * the training split and stores both checkpoints in PostgreSQL.
 */
@ApplicationScoped
public class FineTuneStage implements Stage<FineTuneOutput> {
    @Inject
    RunCopy copy;
    @Inject
    WeightStore weights;
    @Inject
    ModelFactory models;
    @Inject
    RunInputs inputs;
    @Inject
    DynamicsStore dynamics;

    /** Relevance tasks; recommendation has its own stages ({@code Rec*Stage}). */
    @Override
    public boolean enabled(WorkflowSpec spec) {
        return !spec.task().recommendation();
    }

    @Override
    public String name() {
        return RunLayout.FINE_TUNE;
    }

    @Override
    public Scope scope() {
        return Scope.ONCE;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Class<FineTuneOutput> outputType() {
        return FineTuneOutput.class;
    }

    /** Both checkpoints are still in the weight store. */
    @Override
    public boolean intact(StageContext ctx, FineTuneOutput output) {
        return weights.exists(output.initWeights()) && weights.exists(output.weights())
                && (output.scoringWeights() == null || output.scoringWeights().stream().allMatch(weights::exists));
    }

    @Override
    public List<String> specSections() {
        return List.of("task", "model", "fine_tune", "score");
    }

    @Override
    public boolean cacheable() {
        return true;
    }

    /** The training dynamics; the weights are shared by their digest. */
    @Override
    public void adopt(StageContext ctx, long from) {
        copy.rows(from, ctx.runId(), List.of(new RunCopy.Rows("training_dynamics", "stage = ? AND iteration = ?",
                name(), ctx.iteration())));
    }

    /** The curves' pool (iteration 1's) is the training split: a tiny point is refused before anything trains. */
    @Override
    public void check(StageContext ctx) {
        Curves.check(ctx.spec().evaluate().curve(), ctx.output(StageOutputs.IngestOutput.class).train());
    }

    @Override
    public FineTuneOutput run(StageContext ctx) {
        int[] train = Subsets.ofSplit(inputs.samples(ctx), Split.TRAIN);
        RelevanceTrainer trainer = models.trainer(ctx);
        byte[] init = trainer.initialWeights(ctx.spec().fineTune().seed());
        String initSha = weights.put(init, "djl-params");
        int[] validation = Subsets.ofSplit(inputs.samples(ctx), Split.VALIDATION);
        ctx.console().info(String.format("  model %s, %d training samples, %d validation samples",
                ctx.spec().model().encoder().key(), train.length, validation.length));
        ScoringCheckpoint checkpoint = ctx.spec().score().checkpoint();
        RelevanceTrainer.TrainResult result = trainer.train(init, inputs.targets(ctx), train, validation,
                ctx.spec().fineTune(), TrainingProgress.of(ctx, name()), checkpoint);
        String sha = weights.put(result.weights(), "djl-params");
        List<String> scoring = checkpoint.needsEpochWeights()
                ? result.checkpoints().stream().map(w -> weights.put(w, "djl-params")).toList() : null;
        dynamics.replace(ctx.runId(), name(), ctx.iteration(), result.dynamics());
        var last = result.epochs().get(result.epochs().size() - 1);
        return new FineTuneOutput(initSha, sha, train.length, result.millis(), last.trainLoss(),
                last.validationLoss(), result.epochs().size(), result.bestEpoch(), scoring);
    }
}
