package dev.sift.stage;

import dev.sift.Sha256;
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
            byte[] bytes = objects.get(RunLayout.dataset(sha));
            String got = Sha256.hex(bytes);
            if (!got.equals(sha)) {
                throw new IllegalStateException("prepared dataset " + sha + " in S3 is corrupt (sha256 " + got + ")");
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
