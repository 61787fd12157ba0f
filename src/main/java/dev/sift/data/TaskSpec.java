package dev.sift.data;

import static java.util.Objects.requireNonNull;

/** The learning task and the label range; graded labels are integers from minLabel to maxLabel. */
public record TaskSpec(TaskType type, double minLabel, double maxLabel) {
    public TaskSpec {
        requireNonNull(type, "type is null");
    }

    /** Number of output classes (1 for regression). */
    public int classes() {
        return switch (type) {
            case BINARY -> 2;
            case GRADED -> (int) Math.round(maxLabel - minLabel) + 1;
            case REGRESSION, RECOMMENDATION -> 1;
        };
    }

    /** True for graded and binary tasks, whose labels are class indices. */
    public boolean classification() {
        return type == TaskType.GRADED || type == TaskType.BINARY;
    }

    /** True for implicit-feedback recommendation, which has its own model, methods and evaluation. */
    public boolean recommendation() {
        return type == TaskType.RECOMMENDATION;
    }
}
