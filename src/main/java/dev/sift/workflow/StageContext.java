package dev.sift.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sift.data.Sample;
import dev.sift.model.EncodedPairs;
import dev.sift.model.Targets;
import java.util.List;
import java.util.function.BiFunction;

/**
 * What a stage sees: the run, the spec, its iteration, the outputs of stages that finished before it (read
 * back from PostgreSQL, so a resumed process sees the same) and the prepared data, loaded once per process.
 */
public final class StageContext {
    private final long runId;
    private final WorkflowSpec spec;
    private final int iteration;
    private final Console console;
    private final BiFunction<String, Integer, JsonNode> outputs;
    private final RunData data;

    StageContext(long runId, WorkflowSpec spec, int iteration, Console console,
            BiFunction<String, Integer, JsonNode> outputs, RunData data) {
        this.runId = runId;
        this.spec = spec;
        this.iteration = iteration;
        this.console = console;
        this.outputs = outputs;
        this.data = data;
    }

    public long runId() {
        return runId;
    }

    public WorkflowSpec spec() {
        return spec;
    }

    public int iteration() {
        return iteration;
    }

    public Console console() {
        return console;
    }

    /** Outputs of a finished stage; fails if it has not finished. */
    public JsonNode output(String stage, int iteration) {
        JsonNode n = outputs.apply(stage, iteration);
        if (n == null) {
            throw new IllegalStateException("stage " + stage + " of iteration " + iteration + " has not finished");
        }
        return n;
    }

    public List<Sample> samples() {
        return data.samples(this);
    }

    public EncodedPairs encoded() {
        return data.encoded(this);
    }

    public Targets targets() {
        return data.targets(this);
    }

    /** A value computed once per run and process (models, features, embeddings). */
    public <T> T cached(String key, java.util.function.Supplier<T> make) {
        return data.cached(key, make);
    }

    /** Sha256 of the prepared dataset. */
    public String datasetSha() {
        return output("ingest", 0).get("dataset").asText();
    }

    /** S3 key prefix for this run's artefacts. */
    public String runKey(String name) {
        return "runs/" + runId + "/iter-" + iteration + "/" + name;
    }
}
