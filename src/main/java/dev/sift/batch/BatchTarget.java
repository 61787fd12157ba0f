package dev.sift.batch;

import static java.util.Objects.requireNonNull;

import dev.sift.SiftException;
import dev.sift.config.SiftConfig;
import dev.sift.workflow.WorkflowSpec;
import java.util.Optional;

/**
 * Where a run's Batch job goes: the job queue and job definition (names or ARNs), and how many jobs in a row Sift
 * submits when the one before failed. {@code execution.queue: gpu} takes SIFT_BATCH_GPU_QUEUE and
 * SIFT_BATCH_RUN_JOB_DEFINITION, {@code cpu} SIFT_BATCH_CPU_QUEUE and SIFT_BATCH_RUN_CPU_JOB_DEFINITION (the Terraform
 * module's outputs {@code sift_batch_*}); any other queue is a queue name or ARN, and then
 * {@code execution.job_definition} is required.
 */
public record BatchTarget(String queue, String jobDefinition, int attempts) {
    public BatchTarget {
        requireNonNull(queue, "queue is null");
        requireNonNull(jobDefinition, "jobDefinition is null");
    }

    /** Resolves a workflow's execution settings against the configuration; a missing setting is one line, exit 2. */
    public static BatchTarget resolve(WorkflowSpec.Execution execution, SiftConfig.Batch config) {
        String queue;
        Optional<String> definition;
        switch (execution.queue()) {
            case "gpu" -> {
                queue = required(config.gpuQueue(), "gpu", "SIFT_BATCH_GPU_QUEUE", "sift_batch_gpu_queue");
                definition = config.runJobDefinition();
            }
            case "cpu" -> {
                queue = required(config.cpuQueue(), "cpu", "SIFT_BATCH_CPU_QUEUE", "sift_batch_cpu_queue");
                definition = config.runCpuJobDefinition();
            }
            default -> {
                queue = execution.queue();
                definition = Optional.empty();
            }
        }
        String jobDefinition = execution.jobDefinition() != null ? execution.jobDefinition()
                : definition.orElseThrow(() -> SiftException.usage(missingDefinition(execution.queue())));
        return new BatchTarget(queue, jobDefinition, execution.attempts());
    }

    private static String missingDefinition(String queue) {
        if (!queue.equals("gpu") && !queue.equals("cpu")) {
            return "execution.job_definition: required with a queue other than gpu or cpu (got queue " + queue + ")";
        }
        String cpu = queue.equals("cpu") ? "_cpu" : "";
        return "execution.job_definition: not set, and SIFT_BATCH_RUN" + cpu.toUpperCase(java.util.Locale.ROOT)
                + "_JOB_DEFINITION is not set either (Terraform output sift_batch_run" + cpu + "_job_definition)";
    }

    private static String required(Optional<String> value, String queue, String env, String output) {
        return value.orElseThrow(() -> SiftException.usage("execution.queue: " + queue + " needs " + env
                + " (Terraform output " + output + "), which is not set"));
    }
}
