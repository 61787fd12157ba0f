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

    /** Does the work and returns what later stages (and resumed runs) read. */
    O run(StageContext ctx) throws Exception;
}
