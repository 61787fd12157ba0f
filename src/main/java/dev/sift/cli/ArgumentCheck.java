package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.workflow.WorkflowException;

/**
 * A database command's checks of its own arguments that need nothing but the arguments (and the files they name):
 * {@link SiftMain#parseRefusal} makes them before the embedded PostgreSQL starts, which takes seconds, and the
 * command makes them again when it runs. The checks must not use injected beans: before the database starts, the
 * command object is picocli's, not the container's.
 */
interface ArgumentCheck {
    /** Throws a usage {@link SiftException} or a {@link WorkflowException} when the arguments do not hold. */
    void checkArguments();

    /**
     * The refusal of {@code command}'s arguments printed on {@code err} as a full start prints it (workflow errors one
     * per line, anything else as one {@code sift: } line), and its exit code; null when they hold, it makes no
     * checks, or a check failed in a way that is not a refusal (left to the full start).
     */
    static Integer refusal(Object command, java.io.PrintStream err) {
        if (!(command instanceof ArgumentCheck check)) {
            return null;
        }
        try {
            check.checkArguments();
            return null;
        } catch (WorkflowException e) {
            e.errors().forEach(err::println);
            return ExitCodes.USAGE;
        } catch (SiftException e) {
            err.println("sift: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException unexpected) {
            // not a refusal this check knows how to print: the command starts as it would without the early check,
            // makes the check again in call() and fails there as every command does
            return null;
        }
    }
}
