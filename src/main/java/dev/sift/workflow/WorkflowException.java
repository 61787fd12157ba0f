package dev.sift.workflow;

import java.util.List;

/** A workflow that failed validation; each message names file, line and key. */
public class WorkflowException extends RuntimeException {
    private final List<String> errors;

    public WorkflowException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
