package dev.sift.store;

/**
 * Owns the names of stored things: every stage name and every S3 key a run writes or reads. Nothing else builds
 * a key by hand.
 */
public final class RunLayout {
    public static final String INGEST = "ingest";
    public static final String FINE_TUNE = "fine-tune";
    public static final String SCORE = "score";
    public static final String FILTER = "filter";
    public static final String EVALUATE = "evaluate";

    private RunLayout() {
    }

    /** A prepared dataset, content-addressed by its sha256. */
    public static String dataset(String sha256) {
        return "datasets/" + sha256 + "/data.jsonl";
    }

    /**
     * The labels {@code dataset.noise} flipped in a prepared dataset, with their values before the flip
     * ({@code indices}, {@code original}); absent without injected noise.
     */
    public static String noise(String sha256) {
        return "datasets/" + sha256 + "/noise.json";
    }

    public static String manifest(String sha256) {
        return "datasets/" + sha256 + "/manifest.json";
    }

    /** Rows ingest refused, with line, field and reason. */
    public static String quarantine(long runId) {
        return "runs/" + runId + "/ingest/quarantine.jsonl";
    }

    /** An artefact of one iteration of a run ({@code selected.json}, {@code random.json}, {@code hidden.f32}). */
    public static String iteration(long runId, int iteration, String name) {
        return "runs/" + runId + "/iter-" + iteration + "/" + name;
    }

    public static String selected(long runId, int iteration) {
        return iteration(runId, iteration, "selected.json");
    }

    public static String random(long runId, int iteration) {
        return iteration(runId, iteration, "random.json");
    }

    /**
     * Every evaluated model's answers on the test split of one iteration (gzipped CSV: subset, seed, sample, score,
     * prediction, probability, threshold), which {@code sift runs export --predictions} joins with the texts.
     */
    public static String predictions(long runId, int iteration) {
        return iteration(runId, iteration, "test-predictions.csv.gz");
    }

    /** The pool's last hidden activations (float32, little-endian) of the iteration's scoring model. */
    public static String hidden(long runId, int iteration) {
        return iteration(runId, iteration, "hidden.f32");
    }

    /**
     * Frozen-encoder embeddings of a dataset's queries and titles, shared by every run with the same inputs: distinct
     * vectors and per-sample indexes.
     */
    public static String pairEmbeddings(String checkpointSha, String datasetSha, int maxLength) {
        return "cache/embeddings/" + checkpointSha + "/" + datasetSha + "-" + maxLength + ".pairs";
    }

    /** Frozen-encoder embeddings of a recommendation dataset's item texts, by item index. */
    public static String itemEmbeddings(String checkpointSha, String datasetSha, int maxLength) {
        return "cache/embeddings/" + checkpointSha + "/" + datasetSha + "-" + maxLength + ".f32";
    }
}
