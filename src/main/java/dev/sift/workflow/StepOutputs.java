package dev.sift.workflow;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The outputs of a run's finished steps, by output type and iteration: what later stages look up through their
 * context, and what a step's output says about ending the iterations.
 */
final class StepOutputs implements StageContext.Outputs {
    private final Map<String, Record> byKey = new HashMap<>();

    void put(WorkflowEngine.Step step, Record output) {
        byKey.put(key(step.stage().outputType(), step.iteration()), output);
    }

    @Override
    public <O extends Record> Optional<O> find(Class<O> type, int iteration) {
        return Optional.ofNullable(type.cast(byKey.get(key(type, iteration))));
    }

    /** The reason the step's stored output gives for ending the iterations after its own, or empty to go on. */
    Optional<String> endsIterations(WorkflowEngine.Step step) {
        return endsIterations(step.stage(), byKey.get(key(step.stage().outputType(), step.iteration())));
    }

    @SuppressWarnings("unchecked")
    private static <O extends Record> Optional<String> endsIterations(Stage<O> stage, Record output) {
        return stage.endsIterations((O) output);
    }

    private static String key(Class<?> type, int iteration) {
        return type.getName() + "@" + iteration;
    }
}
