package dev.sift.workflow;

import java.util.List;

/** The workflow's {@code execution} section: where a run executes (this process, or an AWS Batch job). */
final class ExecutionParser {
    private ExecutionParser() {
    }

    /** {@code execution: local | aws-batch}, or a mapping with {@code target} and the Batch settings. */
    static WorkflowSpec.Execution parse(SpecBinder.Obj r) {
        WorkflowSpec.Execution dflt = WorkflowSpec.Execution.LOCAL;
        if (!r.isMapping("execution")) {
            String target = r.choice("execution", "local", "local", "aws-batch");
            return new WorkflowSpec.Execution(target(target), dflt.queue(), null, dflt.attempts());
        }
        SpecBinder.Obj e = r.obj("execution");
        WorkflowSpec.Execution.Target target = target(e.choice("target", "local", "local", "aws-batch"));
        String queue = e.string("queue", dflt.queue());
        String jobDefinition = e.string("job_definition", null);
        int attempts = (int) e.integer("attempts", dflt.attempts(), 1, 10);
        if (target == WorkflowSpec.Execution.Target.LOCAL) {
            for (String key : List.of("queue", "job_definition", "attempts")) {
                if (e.has(key)) {
                    e.invalid(key, "only applies to execution.target aws-batch");
                }
            }
        }
        e.done();
        return new WorkflowSpec.Execution(target, queue, jobDefinition, attempts);
    }

    private static WorkflowSpec.Execution.Target target(String value) {
        return value.equals("aws-batch") ? WorkflowSpec.Execution.Target.AWS_BATCH
                : WorkflowSpec.Execution.Target.LOCAL;
    }
}
