package dev.sift.workflow;

import dev.sift.data.PreparedDataset;
import dev.sift.data.Sample;
import dev.sift.model.EncodedPairs;
import dev.sift.model.Targets;
import dev.sift.store.ObjectStore;
import dev.sift.Sha256;
import java.util.List;

/** The prepared dataset of a run, read from S3 once per process and checked against its sha256. */
final class RunData {
    private final ObjectStore objects;
    private List<Sample> samples;
    private EncodedPairs encoded;
    private Targets targets;
    private final java.util.Map<String, Object> cache = new java.util.HashMap<>();

    RunData(ObjectStore objects) {
        this.objects = objects;
    }

    synchronized List<Sample> samples(StageContext ctx) {
        if (samples == null) {
            String sha = ctx.output("ingest", 0).get("dataset").asText();
            byte[] bytes = objects.get("datasets/" + sha + "/data.jsonl");
            String got = Sha256.hex(bytes);
            if (!got.equals(sha)) {
                throw new IllegalStateException("prepared dataset " + sha + " in S3 is corrupt (sha256 " + got + ")");
            }
            samples = PreparedDataset.read(bytes);
        }
        return samples;
    }

    synchronized EncodedPairs encoded(StageContext ctx) {
        if (encoded == null) {
            encoded = EncodedPairs.encode(samples(ctx), ctx.spec().model().buckets());
        }
        return encoded;
    }

    @SuppressWarnings("unchecked")
    synchronized <T> T cached(String key, java.util.function.Supplier<T> make) {
        Object v = cache.get(key);
        if (v == null) {
            v = make.get();
            cache.put(key, v);
        }
        return (T) v;
    }

    synchronized Targets targets(StageContext ctx) {
        if (targets == null) {
            targets = Targets.of(ctx.spec().task(), samples(ctx).stream().mapToDouble(Sample::label).toArray());
        }
        return targets;
    }
}
