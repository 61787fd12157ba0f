package dev.sift.workflow;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a stage sees: the run, the spec, its iteration, the typed outputs of stages that finished before it
 * (read back from PostgreSQL, so a resumed process sees the same) and a per-process cache for what is costly to
 * rebuild (the prepared data, models, embeddings).
 */
public final class StageContext {
    private final long runId;
    private final WorkflowSpec spec;
    private final int iteration;
    private final Console console;
    private final Outputs outputs;
    private final Map<String, Object> cache;

    /** The finished stages' outputs, by output type and iteration. */
    interface Outputs {
        <O extends Record> Optional<O> find(Class<O> type, int iteration);
    }

    StageContext(long runId, WorkflowSpec spec, int iteration, Console console, Outputs outputs,
            Map<String, Object> cache) {
        this.runId = runId;
        this.spec = spec;
        this.iteration = iteration;
        this.console = console;
        this.outputs = outputs;
        this.cache = cache;
    }

    /** A context outside the engine (tests, tools): no finished stages, its own cache. */
    public static StageContext standalone(long runId, WorkflowSpec spec, int iteration, Console console) {
        return new StageContext(runId, spec, iteration, console, new Outputs() {
            @Override
            public <O extends Record> Optional<O> find(Class<O> type, int it) {
                return Optional.empty();
            }
        }, new HashMap<>());
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

    /** The output of a stage that ran once (iteration 0); fails if it has not finished. */
    public <O extends Record> O output(Class<O> type) {
        return output(type, 0);
    }

    /** The output of a finished stage at an iteration; fails if it has not finished. */
    public <O extends Record> O output(Class<O> type, int iteration) {
        return outputs.find(type, iteration).orElseThrow(() -> new IllegalStateException(
                type.getSimpleName() + " of iteration " + iteration + " is not there: that stage has not finished"));
    }

    /** A value computed once per run and process (data, models, features, embeddings). */
    @SuppressWarnings("unchecked")
    public <T> T cached(String key, Supplier<T> make) {
        synchronized (cache) {
            Object v = cache.get(key);
            if (v == null) {
                v = make.get();
                cache.put(key, v);
            }
            return (T) v;
        }
    }
}
