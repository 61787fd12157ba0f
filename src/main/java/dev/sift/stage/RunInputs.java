package dev.sift.stage;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.data.LabelNoise;
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
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The prepared dataset of a run, read from S3 once per process and checked against its sha256, and what derives
 * from it.
 */
@ApplicationScoped
public class RunInputs {
    private static final ObjectMapper JSON = new ObjectMapper();
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
            PreparedDataset.Hashed read = objects.read(key, PreparedDataset::readHashed);
            if (!read.intact(sha)) {
                throw new SiftException(ExitCodes.FAILURE, "prepared dataset " + objects.uri(key) + " is corrupt "
                        + "(sha256 " + read.sha256() + "); 'sift resume " + ctx.runId() + "' ingests it again");
            }
            return read.samples();
        });
    }

    /**
     * The labels {@code dataset.noise} flipped and their values before, read from the prepared dataset's
     * {@code noise.json}; empty without injected noise (or for a dataset prepared before it was stored).
     */
    public Optional<LabelNoise.Flips> flips(StageContext ctx) {
        String key = RunLayout.noise(datasetSha(ctx));
        if (ctx.spec().dataset().noise() == null || !objects.exists(key)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(objects.get(key));
            JsonNode idx = n.path("indices");
            JsonNode orig = n.path("original");
            if (!idx.isArray() || !orig.isArray() || idx.size() != orig.size()) {
                throw new SiftException(ExitCodes.FAILURE, objects.uri(key) + " is corrupt: field indices or "
                        + "original is missing or their lengths differ");
            }
            int[] indices = new int[idx.size()];
            double[] original = new double[idx.size()];
            for (int k = 0; k < indices.length; k++) {
                indices[k] = idx.get(k).asInt();
                original[k] = orig.get(k).asDouble();
            }
            return Optional.of(new LabelNoise.Flips(indices, original));
        } catch (IOException e) {
            throw new SiftException(ExitCodes.FAILURE, objects.uri(key) + ": not JSON (" + e.getMessage() + ")");
        }
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
