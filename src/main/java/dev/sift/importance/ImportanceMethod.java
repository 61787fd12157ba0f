package dev.sift.importance;

import dev.sift.data.TaskType;
import java.util.EnumSet;
import java.util.Set;

/**
 * One way to score every training sample. A method describes itself: its name, what a higher value means
 * ({@link #orientation()}), what its input must carry ({@link #needs()}) and which tasks it is defined for
 * ({@link #tasks()}). The registry ({@link ImportanceMethods}) is built from these classes and nothing else: a new
 * method is one class with {@code @AutoService(ImportanceMethod.class)} and a public no-argument constructor.
 */
public interface ImportanceMethod {
    /** Name used in workflows and in stored scores. */
    String name();

    /** What a higher value means, in words. */
    String meaning();

    /** Whether a higher value marks a sample to keep (helpful, clean) or to remove (hard, likely noise). */
    Orientation orientation();

    /** What {@link ScoringInput} must carry beyond the pool's predictions and targets. */
    default Set<Need> needs() {
        return EnumSet.noneOf(Need.class);
    }

    /**
     * What the method reads when the scoring setup has it, beyond what it {@link #needs()} (for example
     * {@code label_quality} takes out-of-fold predictions when cross-fitting is on); includes the needs.
     */
    default Set<Need> uses() {
        return needs();
    }

    /**
     * Why the method is not defined for regression (shown when a workflow asks for it); null when it is. A method
     * with a note is a classification method: {@link #tasks()} follows from it.
     */
    default String regressionNote() {
        return null;
    }

    /**
     * Tasks the method is defined for: every task, or graded and binary only when it has a {@link #regressionNote()};
     * the workflow parser refuses it for any other.
     */
    default Set<TaskType> tasks() {
        return regressionNote() == null ? EnumSet.allOf(TaskType.class) : EnumSet.of(TaskType.GRADED, TaskType.BINARY);
    }

    /** One value per pool sample. */
    double[] score(ScoringInput input);

    /** Scores plus whatever else the method found (flags, suggested labels); most methods have only scores. */
    default MethodResult evaluate(ScoringInput input) {
        return new MethodResult(score(input), null);
    }
}
