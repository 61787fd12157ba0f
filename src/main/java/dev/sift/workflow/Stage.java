package dev.sift.workflow;

/**
 * One step of the pipeline, found by the engine as a CDI bean: a new stage is one class (plus its part of the
 * workflow spec). A stage declares where it sits in the plan and the record type of its output, which the
 * engine stores as JSON in {@code stage_run.output_json} and hands to later stages, and to a resumed run, typed.
 * Stages are re-runnable: running one again replaces what it wrote before.
 *
 * @param <O> the stage's output record
 */
public interface Stage<O extends Record> {
    /** Where a stage runs: once before the iterations (iteration 0), or in every iteration 1..n. */
    enum Scope {
        ONCE, EACH_ITERATION
    }

    /** Name stored in stage_run; one of {@link dev.sift.store.RunLayout}'s stage names. */
    String name();

    Scope scope();

    /** Position among the stages of the same scope; lower runs first. */
    int order();

    /** The output record's class, for reading stored outputs back. */
    Class<O> outputType();

    /**
     * Called when the stage's output was reused from run {@code origin} instead of computed (stage caching): repeats
     * what the computing run said that a reader of this run needs (default: nothing).
     */
    default void reused(StageContext ctx, O output, long origin) {
    }

    /** Whether the workflow asks for this stage at all (default: always). */
    default boolean enabled(WorkflowSpec spec) {
        return true;
    }

    /**
     * Whether what a finished run of this stage stored is still there and unchanged. A resumed run runs a
     * finished stage again when it is not (an object deleted or corrupted in S3, weights gone).
     */
    default boolean intact(StageContext ctx, O output) {
        return true;
    }

    /**
     * Whether the iterations end after this step, read from its output (a stop rule met): the reason, or empty to go
     * on. Asked of stored outputs on resume too, so a resumed run stops where the first one did.
     */
    default java.util.Optional<String> endsIterations(O output) {
        return java.util.Optional.empty();
    }

    /**
     * Checks made before this stage runs or is reused from the cache (a setting that cannot work with what earlier
     * stages produced); throws to stop the run before any work. Default: none.
     */
    default void check(StageContext ctx) {
    }

    /**
     * Whether a finished run of this stage in another run, with the same cache key, may stand in for running it
     * (see {@link StageCache}); such a stage copies what it stored in {@link #adopt}. Off unless a stage says so.
     */
    default boolean cacheable() {
        return false;
    }

    /**
     * Copies into {@code ctx}'s run what this stage stored at {@code ctx}'s iteration in run {@code from} (its rows
     * and its objects under the run's prefix); the engine stores {@code from}'s output with the run prefix rewritten.
     */
    default void adopt(StageContext ctx, long from) {
    }

    /**
     * The workflow sections (snake_case: {@code dataset}, {@code fine_tune} ...) this stage and everything it calls
     * read, for its cache key; earlier stages' sections come in through their keys. {@code null}, the default: all.
     * A section left out here that the stage does read would let a changed parameter reuse a stale output.
     */
    default java.util.List<String> specSections() {
        return null;
    }

    /**
     * What the stage reads from outside Sift's store, as a digest that changes when it does (the data file of
     * ingest), for the cache key; empty when it reads nothing from outside.
     */
    default String externalInputs(WorkflowSpec spec) {
        return "";
    }

    /**
     * Whether the stage can split its work over processes ({@code --shard I/N}): {@link #runShard} stores one slice,
     * and {@link #run} then reads the stored slices instead of computing them.
     */
    default boolean shardable() {
        return false;
    }

    /** Computes and stores one shard's slice (replacing what it stored before); true when all N are now stored. */
    default boolean runShard(StageContext ctx, Shard shard) throws Exception {
        throw new UnsupportedOperationException(name() + " cannot be sharded");
    }

    /** Does the work and returns what later stages (and resumed runs) read. */
    O run(StageContext ctx) throws Exception;
}
