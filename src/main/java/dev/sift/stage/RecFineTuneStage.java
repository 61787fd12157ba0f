package dev.sift.stage;

import dev.sift.recommend.Interactions;
import dev.sift.recommend.TwoTower;
import dev.sift.stage.RecOutputs.RecFineTuneOutput;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.WeightStore;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Recommendation's fine-tune: trains the text two-tower model on every training interaction from the fine-tune seed,
 * recording each interaction's full-softmax loss after every epoch (and its EL2N after the last), which the score
 * stage reads. Stores the weights in PostgreSQL and the dynamics in S3 under the run.
 */
@ApplicationScoped
public class RecFineTuneStage implements Stage<RecFineTuneOutput> {
    @Inject
    RecModels rec;
    @Inject
    ObjectStore objects;
    @Inject
    WeightStore weights;

    @Override
    public boolean enabled(WorkflowSpec spec) {
        return spec.task().recommendation();
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
    public Class<RecFineTuneOutput> outputType() {
        return RecFineTuneOutput.class;
    }

    @Override
    public boolean intact(StageContext ctx, RecFineTuneOutput output) {
        return weights.exists(output.weights()) && objects.exists(output.dynamicsKey());
    }

    @Override
    public RecFineTuneOutput run(StageContext ctx) {
        Interactions data = rec.data(ctx);
        int[] rows = data.trainRows();
        ctx.console().info(String.format("  %d users, %d items ranked, %d training / %d validation / %d test "
                + "interactions", data.users(), data.items(), rows.length,
                data.usersWith(dev.sift.data.Split.VALIDATION).length, data.usersWith(dev.sift.data.Split.TEST).length));
        if (data.usersWith(dev.sift.data.Split.TEST).length == 0) {
            throw dev.sift.SiftException.usage("no user has three or more positive interactions, so none has a "
                    + "validation and a test target (each user's last positive tests, the one before validates): "
                    + "nothing can be evaluated");
        }
        TwoTower.Trained t = rec.train(ctx, "two-tower", rows, null, 0, true);
        String sha = rec.store(t.weights());
        String key = RunLayout.iteration(ctx.runId(), 0, "two-tower-dynamics.f32");
        objects.put(key, encode(t.dynamics()), "application/octet-stream");
        float[][] byEpoch = t.dynamics().lossByEpoch();
        double last = 0;
        for (float l : byEpoch[byEpoch.length - 1]) {
            last += l;
        }
        return new RecFineTuneOutput(sha, rows.length, data.users(), data.items(), last / Math.max(1, rows.length),
                t.seconds(), key);
    }

    /** Epochs, rows, then each epoch's losses and the last epoch's EL2N, float32 little-endian. */
    static byte[] encode(TwoTower.Dynamics d) {
        int epochs = d.lossByEpoch().length;
        int n = d.el2n().length;
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * n * (epochs + 1)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(epochs).putInt(n);
        for (float[] e : d.lossByEpoch()) {
            for (float f : e) {
                b.putFloat(f);
            }
        }
        for (float f : d.el2n()) {
            b.putFloat(f);
        }
        return b.array();
    }

    static TwoTower.Dynamics decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int epochs = b.getInt();
        int n = b.getInt();
        float[][] loss = new float[epochs][n];
        for (float[] e : loss) {
            for (int i = 0; i < n; i++) {
                e[i] = b.getFloat();
            }
        }
        float[] el2n = new float[n];
        for (int i = 0; i < n; i++) {
            el2n[i] = b.getFloat();
        }
        return new TwoTower.Dynamics(loss, el2n);
    }
}
