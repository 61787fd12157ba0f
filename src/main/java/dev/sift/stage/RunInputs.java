package dev.sift.stage;

import dev.sift.ExitCodes;
import dev.sift.Sha256;
import dev.sift.SiftException;
import dev.sift.data.PreparedDataset;
import dev.sift.data.Sample;
import dev.sift.model.EncodedPairs;
import dev.sift.model.Targets;
import dev.sift.stage.StageOutputs.IngestOutput;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.workflow.StageContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The prepared dataset of a run, read from S3 once per process and checked against its sha256, and what derives
 * from it.
 */
@ApplicationScoped
public class RunInputs {
    @Inject
    ObjectStore objects;

    /** Sha256 of the run's prepared dataset. */
    public String datasetSha(StageContext ctx) {
        return ctx.output(IngestOutput.class).dataset();
    }

    public List<Sample> samples(StageContext ctx) {
        return ctx.cached("samples", () -> {
            String sha = datasetSha(ctx);
            String key = RunLayout.dataset(sha);
            if (!objects.exists(key)) {
                throw new SiftException(ExitCodes.FAILURE, "prepared dataset " + objects.uri(key) + " is missing; "
                        + "'sift resume " + ctx.runId() + "' ingests it again");
            }
            byte[] bytes = objects.get(key);
            String got = Sha256.hex(bytes);
            if (!got.equals(sha)) {
                throw new SiftException(ExitCodes.FAILURE, "prepared dataset " + objects.uri(key) + " is corrupt "
                        + "(sha256 " + got + "); 'sift resume " + ctx.runId() + "' ingests it again");
            }
            return PreparedDataset.read(bytes);
        });
    }

    /** Hashed word and bigram features of every sample, for the hashed bag-of-words model. */
    public EncodedPairs encoded(StageContext ctx) {
        return ctx.cached("encoded", () -> EncodedPairs.encode(samples(ctx), ctx.spec().model().buckets()));
    }

    public Targets targets(StageContext ctx) {
        return ctx.cached("targets", () -> Targets.of(ctx.spec().task(),
                samples(ctx).stream().mapToDouble(Sample::label).toArray()));
    }
}
