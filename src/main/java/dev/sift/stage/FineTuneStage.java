package dev.sift.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.data.Split;
import dev.sift.model.RelevanceTrainer;
import dev.sift.store.WeightStore;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Draws the initial weights from the seed (the common starting point of every later retraining), trains on
 * the training split and stores both checkpoints in PostgreSQL.
 */
@ApplicationScoped
public class FineTuneStage implements Stage {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    WeightStore weights;
    @Inject
    ModelFactory models;
    @Inject
    dev.sift.store.DynamicsStore dynamics;

    @Override
    public String name() {
        return "fine-tune";
    }

    @Override
    public ObjectNode run(StageContext ctx) {
        RelevanceTrainer trainer = models.trainer(ctx);
        byte[] init = trainer.initialWeights(ctx.spec().fineTune().seed());
        String initSha = weights.put(init, "djl-params");
        int[] train = Subsets.ofSplit(ctx.samples(), Split.TRAIN);
        int[] validation = Subsets.ofSplit(ctx.samples(), Split.VALIDATION);
        ctx.console().info(String.format("  model %s, %d training samples, %d validation samples",
                ctx.spec().model().encoder().key(), train.length, validation.length));
        RelevanceTrainer.TrainResult result = trainer.train(init, ctx.targets(), train, validation,
                ctx.spec().fineTune(), TrainingProgress.of(ctx, "fine-tune"));
        String sha = weights.put(result.weights(), "djl-params");
        dynamics.replace(ctx.runId(), name(), ctx.iteration(), result.dynamics());
        ObjectNode out = JSON.createObjectNode();
        out.put("init_weights", initSha);
        out.put("weights", sha);
        out.put("train_samples", train.length);
        out.put("train_ms", result.millis());
        var last = result.epochs().get(result.epochs().size() - 1);
        out.put("train_loss", last.trainLoss());
        out.put("validation_loss", last.validationLoss());
        out.put("epochs_run", result.epochs().size());
        out.put("best_epoch", result.bestEpoch());
        return out;
    }
}
