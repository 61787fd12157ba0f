package dev.sift.workflow;

import java.util.List;

/** A workflow that failed validation; each message names file, line and key. */
public class WorkflowException extends RuntimeException {
    private final List<String> errors;

    /** Each error one line, what it quotes {@link dev.sift.data.Text#visible} (a header name or --set value). */
    public WorkflowException(List<String> errors) {
        super(String.join("\n", lines(errors)));
        this.errors = lines(errors);
    }

    private static List<String> lines(List<String> errors) {
        return errors.stream().map(dev.sift.data.Text::visible).toList();
    }

    public List<String> errors() {
        return errors;
    }
}
