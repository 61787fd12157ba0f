package dev.sift.batch;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.config.SiftConfig;
import dev.sift.data.Text;
import dev.sift.store.Firing;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.workflow.Console;
import dev.sift.workflow.WorkflowEngine;
import dev.sift.workflow.WorkflowParser;
import dev.sift.workflow.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.batch.model.SubmitJobResponse;

/**
 * Runs executed as AWS Batch jobs ({@code execution: aws-batch}). Submitting records the run, submits one job that
 * runs {@code sift resume RUN} in the same image, records the job id (table batch_job) and follows the job until it
 * ends. A failed job is submitted again, as a resume, while {@code execution.attempts} allows and the failure is not
 * Sift refusing its input (exit code 2). A follower that starts again (a second {@code sift resume RUN --submit}, a
 * scheduled firing recovered on another node) re-attaches to the run's job when it has not ended, never submitting a
 * second one beside it.
 */
@ApplicationScoped
public class BatchRuns {
    /** Set by AWS Batch in every job's container. */
    public static final String JOB_ID_VARIABLE = "AWS_BATCH_JOB_ID";

    @Inject
    WorkflowEngine engine;
    @Inject
    RunStore runs;
    @Inject
    BatchJobStore jobs;
    @Inject
    BatchClients clients;
    @Inject
    SiftConfig config;

    /** {@code sift run --submit} and a firing of an aws-batch workflow: records the run, submits it, follows it. */
    public long submit(WorkflowParser.Parsed parsed, Path workflow, String name, Firing firing, Console console) {
        BatchTarget target = BatchTarget.resolve(parsed.spec().execution(), config.batch());
        RunEntity run = engine.create(parsed, workflow, name, firing);
        console.info("run " + run.id + " (" + Text.printable(run.name) + ") recorded; executing on AWS Batch");
        BatchJobEntity job;
        try {
            job = submitJob(run, target, null, console);
        } catch (RuntimeException e) {
            throw failRun(run.id, "cannot submit run " + run.id + " to AWS Batch: " + e.getMessage(), e);
        }
        return followChain(run, job, target, console).id;
    }

    /**
     * {@code sift resume RUN --submit}: follows the run's job when it has not ended (re-attaching), or submits a new
     * one that resumes the run.
     */
    public RunEntity follow(long runId, Console console) {
        RunEntity run = runs.require(runId);
        if (run.status == RunEntity.Status.SUCCEEDED) {
            console.info("run " + runId + " already finished");
            return run;
        }
        WorkflowSpec spec = WorkflowParser.parse("run " + runId + " (stored workflow)", run.specYaml, null, Map.of(),
                false).spec();
        BatchTarget target = BatchTarget.resolve(spec.execution(), config.batch());
        Optional<BatchJobEntity> last = jobs.latest(runId).filter(j -> !j.terminal());
        BatchJobEntity job;
        if (last.isPresent()) {
            job = last.get();
            console.info("run " + runId + ": re-attaching to AWS Batch job " + job.jobId + " (" + job.status
                    + " at last look); no new job is submitted");
        } else {
            job = submitJob(run, target, null, console);
        }
        return followChain(run, job, target, console);
    }

    /**
     * The run's AWS Batch job that has not ended, read from Batch once more: a follower that died (Ctrl-C, a lost
     * machine) leaves the last status it saw, and a job that ended since would otherwise block {@code runs delete}
     * until {@code sift resume RUN --submit} followed it. What Batch says now is stored. Empty when no job is live;
     * when Batch cannot be read (no credentials, no network) or does not know the job (another region or account
     * than the one that submitted it: not stored as LOST from here), the job as stored, with the reason.
     */
    public Optional<LiveJob> liveJob(long runId) {
        for (BatchJobEntity j : jobs.ofRun(runId)) {
            if (j.terminal()) {
                continue;
            }
            try {
                JobSnapshot now = new JobFollower(clients.client(), jobs, config.batch().pollInterval(),
                        new Console(System.err, false)).refresh(j);
                if (now == null) {
                    return Optional.of(new LiveJob(j.jobId, j.status, "Batch here does not know the job (another "
                            + "region or account than the one that submitted it?)"));
                }
                if (!now.terminal()) {
                    return Optional.of(new LiveJob(j.jobId, now.status(), null));
                }
            } catch (RuntimeException e) {
                return Optional.of(new LiveJob(j.jobId, j.status, unread(e)));
            }
        }
        return Optional.empty();
    }

    /** Why Batch could not be read, in a few words: the SDK's chains explain themselves over a screen. */
    static String unread(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) { // describe() wraps the SDK's
            String m = String.valueOf(t.getMessage());
            if (m.startsWith("Unable to load region")) {
                return "no AWS region: set SIFT_BATCH_REGION or AWS_REGION";
            }
            if (m.startsWith("Unable to load credentials")) {
                return "no AWS credentials found";
            }
        }
        String line = dev.sift.store.DatabaseProbe.firstLine(String.valueOf(e.getMessage()));
        return line.length() <= 160 ? line : line.substring(0, 157) + "...";
    }

    /** A job that has not ended: its status now, or as last stored when Batch could not be read ({@code unread}). */
    public record LiveJob(String jobId, String status, String unread) {
    }

    /** Whether a recorded run's workflow says {@code execution: aws-batch}. */
    public boolean executesOnBatch(RunEntity run) {
        return onBatch(WorkflowParser.parse("run " + run.id + " (stored workflow)", run.specYaml, null, Map.of(),
                false).spec());
    }

    /** Whether a workflow's runs go to AWS Batch when a schedule fires them. */
    public static boolean onBatch(WorkflowSpec spec) {
        return spec.execution().target() == WorkflowSpec.Execution.Target.AWS_BATCH;
    }

    /**
     * Refuses a local {@code sift resume RUN} while the run's Batch job has not ended, unless this process is that
     * job ({@code AWS_BATCH_JOB_ID}): two processes would execute one run. Returns whether this process is the job.
     */
    public boolean checkLocalResume(long runId, String thisJobId) {
        Optional<BatchJobEntity> live = jobs.latest(runId).filter(j -> !j.terminal());
        if (live.isEmpty()) {
            return false;
        }
        if (live.get().jobId.equals(thisJobId)) {
            return true;
        }
        throw new SiftException(ExitCodes.BUSY, "run " + runId + " is executing as AWS Batch job " + live.get().jobId
                + " (" + live.get().status + " at last look): follow it with 'sift resume " + runId + " --submit'");
    }

    /** The Batch job id of this process, when it runs inside a Batch job. */
    public static String thisJobId() {
        return System.getenv(JOB_ID_VARIABLE);
    }

    private BatchJobEntity submitJob(RunEntity run, BatchTarget target, String retryOf, Console console) {
        SubmitJobResponse r = clients.client().submitJob(JobRequests.submit(run.id, run.name, target, retryOf));
        BatchJobEntity job = jobs.submitted(run.id, r.jobId(), r.jobName(), target, retryOf);
        console.info("run " + run.id + " submitted to AWS Batch: job " + r.jobId() + " (" + r.jobName() + ") on "
                + target.queue() + ", job definition " + target.jobDefinition() + ", command "
                + String.join(" ", JobRequests.command(run.id)));
        return job;
    }

    private RunEntity followChain(RunEntity run, BatchJobEntity first, BatchTarget target, Console console) {
        JobFollower follower = new JobFollower(clients.client(), jobs, config.batch().pollInterval(), console);
        BatchJobEntity job = first;
        while (true) {
            JobSnapshot end = follower.follow(job);
            if (end.succeeded()) {
                RunEntity done = runs.findRun(run.id).orElseThrow();
                if (done.status != RunEntity.Status.SUCCEEDED) {
                    throw new SiftException(ExitCodes.FAILURE, "AWS Batch job " + job.jobId + " succeeded, but run "
                            + run.id + " is " + done.status + (done.error == null ? "" : ": " + done.error));
                }
                return done;
            }
            int chain = jobs.chainLength(job);
            String why = "AWS Batch job " + job.jobId + " " + end.status() + " (" + end.describeFailure() + ")";
            if (retryable(end) && chain < target.attempts()) {
                console.info("run " + run.id + ": " + why + "; submitting it again (job " + (chain + 1) + " of "
                        + target.attempts() + "), resuming from the last finished stage");
                job = submitJob(run, target, job.jobId, console);
                continue;
            }
            String tries = chain > 1 ? " after " + chain + " jobs" : "";
            throw failRun(run.id, "run " + run.id + " failed on AWS Batch" + tries + ": " + why, null);
        }
    }

    /** Sift refusing its input (exit code 2) fails again the same way; anything else may pass on a new job. */
    private static boolean retryable(JobSnapshot end) {
        return !JobSnapshot.LOST.equals(end.status())
                && (end.exitCode() == null || end.exitCode() != ExitCodes.USAGE);
    }

    /** Marks the run failed unless its job already did (with the failing stage's own error), as one line. */
    private SiftException failRun(long runId, String line, Throwable cause) {
        String oneLine = line.replaceAll("\\s*\\R\\s*", " ");
        RunEntity run = runs.findRun(runId).orElseThrow();
        if (run.status == RunEntity.Status.RUNNING) {
            runs.finishRun(runId, RunEntity.Status.FAILED, oneLine);
        }
        return new SiftException(ExitCodes.FAILURE, oneLine, cause);
    }
}
