package dev.sift.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sift.ExitCodes;
import dev.sift.PostgresResource;
import dev.sift.SiftException;
import dev.sift.batch.FakeBatch.Attempt;
import dev.sift.batch.FakeBatch.Step;
import dev.sift.schedule.ScheduleSpec;
import dev.sift.schedule.ScheduledRuns;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.workflow.Console;
import dev.sift.workflow.WorkflowEngine;
import dev.sift.workflow.WorkflowParser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs on AWS Batch against a fake of the Batch REST-JSON API ({@link FakeBatch}) on a real HTTP port, through the
 * AWS SDK's Batch client, with the real embedded PostgreSQL: the SubmitJob request (queue, definition, command,
 * variables, no secret), and the job states a follower goes through: succeeded (the "container" really resumes the
 * run), retried by Batch, failed then resubmitted, failed for good, and a follower that dies and one that re-attaches.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = FakeBatch.Endpoint.class, restrictToAnnotatedClass = true)
class BatchRunsTest {
    static final String DB_PASSWORD = FakeBatch.DB_PASSWORD;
    static final String HASH_KEY = FakeBatch.HASH_KEY;
    static final String QUEUE = FakeBatch.QUEUE;
    static final String DEFINITION = FakeBatch.DEFINITION;
    static final String WORKFLOW = """
            name: on-batch
            dataset:
              generate: {rows: 200, noise: 0.1, seed: 3}
            model: {buckets: 64, dim: 8, hidden: 8}
            fine_tune: {epochs: 1}
            evaluate: {zero_shot: false, seeds: 1, bootstrap: 50}
            execution: {target: aws-batch, queue: gpu, attempts: 2}
            """;

    static FakeBatch fake;

    @Inject
    BatchRuns batch;
    @Inject
    BatchJobStore jobs;
    @Inject
    RunStore runs;
    @Inject
    WorkflowEngine engine;
    @Inject
    ScheduledRuns scheduled;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Console console = new Console(new PrintStream(err, true, StandardCharsets.UTF_8), false);

    @BeforeEach
    void fakeBatch() throws IOException {
        if (fake == null) {
            fake = FakeBatch.onConfiguredPort();
        }
        fake.reset();
    }

    @AfterAll
    static void stopFake() {
        if (fake != null) {
            fake.close();
            fake = null;
        }
    }

    private static WorkflowParser.Parsed parsed(Map<String, String> overrides) {
        return WorkflowParser.parse("batch.yaml", WORKFLOW, Path.of("."), overrides, true);
    }

    private String log() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /**
     * The job's "container": resumes the run as {@code sift resume RUN} does inside the job (the command read from the
     * SubmitJob request), then completes {@code done}.
     */
    private java.util.function.Consumer<JsonNode> container(AtomicLong ranRun, CompletableFuture<Void> done) {
        return submit -> new Thread(() -> {
            try {
                List<String> command = strings(submit.path("containerOverrides").path("command"));
                assertEquals(List.of("resume"), command.subList(0, 1), "the launcher's arguments");
                long runId = Long.parseLong(command.get(1));
                assertTrue(batch.checkLocalResume(runId, submit.path("jobId").asText()), "the job may resume its run");
                engine.resume(runId, new Console(new PrintStream(new ByteArrayOutputStream()), false));
                ranRun.set(runId);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }).start();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void submitsTheRunAsOneJobAndFollowsItToSuccessThroughABatchRetry() throws Exception {
        AtomicLong ranRun = new AtomicLong();
        CompletableFuture<Void> work = new CompletableFuture<>();
        fake.nextJob(Step.of("SUBMITTED"), Step.of("PENDING"), Step.of("RUNNABLE"), Step.of("STARTING"),
                Step.of("RUNNING"),
                Step.of("RUNNABLE").attempts(new Attempt(null, "Host EC2 (instance i-0abc) terminated.",
                        "Host EC2 (instance i-0abc) terminated.")),
                Step.of("STARTING").attempts(new Attempt(null, null, "Host EC2 (instance i-0abc) terminated.")),
                Step.of("RUNNING").attempts(new Attempt(null, null, "Host EC2 (instance i-0abc) terminated."))
                        .until(work).hook(container(ranRun, work)),
                Step.of("SUCCEEDED").reason("Essential container in task exited").attempts(
                        new Attempt(null, null, "Host EC2 (instance i-0abc) terminated."),
                        new Attempt(0, null, "Essential container in task exited")));

        long id = batch.submit(parsed(Map.of()), Path.of("batch.yaml"), null, null, console);

        work.get(60, TimeUnit.SECONDS);
        assertEquals(id, ranRun.get(), "the job resumed the submitted run");
        RunEntity run = runs.findRun(id).orElseThrow();
        assertEquals(RunEntity.Status.SUCCEEDED, run.status, log());
        List<FakeBatch.Request> submits = fake.requests("/v1/submitjob");
        assertEquals(1, submits.size(), "one job for the whole run");
        JsonNode body = submits.get(0).body();
        assertEquals(QUEUE, body.path("jobQueue").asText());
        assertEquals(DEFINITION, body.path("jobDefinition").asText());
        assertEquals(List.of("resume", Long.toString(id)),
                strings(body.path("containerOverrides").path("command")));
        assertTrue(body.path("jobName").asText().startsWith("sift-run-" + id + "-on-batch"), body.toString());
        JsonNode env = body.path("containerOverrides").path("environment");
        assertEquals(1, env.size(), env.toString());
        assertEquals(JobRequests.RUN_ID_VARIABLE, env.get(0).path("name").asText());
        assertEquals(Long.toString(id), env.get(0).path("value").asText());
        assertEquals(Long.toString(id), body.path("tags").path("sift-run").asText());
        assertNoSecrets();

        BatchJobEntity job = jobs.latest(id).orElseThrow();
        assertEquals("SUCCEEDED", job.status);
        assertEquals(2, job.batchAttempts, "Batch's own retry is recorded");
        assertEquals(0, job.exitCode);
        assertNull(job.retryOf);
        String log = log();
        for (String step : List.of("SUBMITTED -> PENDING", "PENDING -> RUNNABLE", "RUNNABLE -> STARTING",
                "STARTING -> RUNNING", "attempt 1 ended (Host EC2 (instance i-0abc) terminated.); Batch retries it",
                "RUNNING -> SUCCEEDED")) {
            assertTrue(log.contains("AWS Batch job " + job.jobId + ": " + step), step + " in:\n" + log);
        }
    }

    @Test
    void aFailedJobIsSubmittedAgainAsAResumeAndItsRetryIsRecorded() {
        fake.nextJob(Step.of("RUNNABLE"), Step.of("RUNNING"),
                Step.of("FAILED").reason("Essential container in task exited")
                        .attempts(new Attempt(1, null, "Essential container in task exited")));
        fake.nextJob(Step.of("RUNNABLE"), Step.of("RUNNING").hook(submit -> {
            long runId = Long.parseLong(submit.path("containerOverrides").path("command").get(1).asText());
            runs.finishRun(runId, RunEntity.Status.SUCCEEDED, null); // what the resumed run's last stage does
        }), Step.of("SUCCEEDED").attempts(new Attempt(0, null, "Essential container in task exited")));

        long id = batch.submit(parsed(Map.of()), Path.of("batch.yaml"), null, null, console);

        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(id).orElseThrow().status);
        List<BatchJobEntity> all = jobs.ofRun(id);
        assertEquals(2, all.size());
        assertEquals("FAILED", all.get(0).status);
        assertEquals(1, all.get(0).exitCode);
        assertEquals("SUCCEEDED", all.get(1).status);
        assertEquals(all.get(0).jobId, all.get(1).retryOf);
        List<FakeBatch.Request> submits = fake.requests("/v1/submitjob");
        assertEquals(2, submits.size());
        assertEquals(all.get(0).jobId, submits.get(1).body().path("tags").path("sift-retry-of").asText());
        assertEquals(List.of("resume", Long.toString(id)),
                strings(submits.get(1).body().path("containerOverrides").path("command")));
        assertTrue(log().contains("submitting it again (job 2 of 2)"), log());
        assertNoSecrets();
    }

    @Test
    void aRunWhoseJobsFailAsOftenAsAllowedFailsWithOneLine() {
        Step failed = Step.of("FAILED").reason("Essential container in task exited")
                .attempts(new Attempt(1, null, "Essential container in task exited"));
        fake.nextJob(Step.of("RUNNABLE"), failed);
        fake.nextJob(Step.of("RUNNABLE"), failed);

        SiftException e = assertThrows(SiftException.class,
                () -> batch.submit(parsed(Map.of()), Path.of("batch.yaml"), null, null, console));

        assertEquals(ExitCodes.FAILURE, e.exitCode());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().matches("run \\d+ failed on AWS Batch after 2 jobs: AWS Batch job \\S+ FAILED "
                + "\\(Essential container in task exited; exit code 1\\)"), e.getMessage());
        long id = Long.parseLong(e.getMessage().replaceAll("run (\\d+) .*", "$1"));
        RunEntity run = runs.findRun(id).orElseThrow();
        assertEquals(RunEntity.Status.FAILED, run.status);
        assertEquals(e.getMessage(), run.error);
        assertEquals(2, fake.requests("/v1/submitjob").size());
    }

    @Test
    void siftRefusingItsInputIsNotSubmittedAgain() {
        fake.nextJob(Step.of("RUNNING"), Step.of("FAILED").reason("Essential container in task exited")
                .attempts(new Attempt(2, null, null)));

        SiftException e = assertThrows(SiftException.class,
                () -> batch.submit(parsed(Map.of()), Path.of("batch.yaml"), null, null, console));

        assertEquals(ExitCodes.FAILURE, e.exitCode());
        assertTrue(e.getMessage().contains("exit code 2"), e.getMessage());
        assertEquals(1, fake.requests("/v1/submitjob").size());
    }

    @Test
    void aFollowerThatDiesLeavesTheJobAndASecondOneReattachesWithoutSubmitting() {
        CompletableFuture<Void> release = new CompletableFuture<>();
        fake.nextJob(Step.of("SUBMITTED"), Step.of("RUNNABLE"), Step.of("RUNNING"), Step.crash(),
                Step.of("RUNNING").until(release),
                Step.of("SUCCEEDED").attempts(new Attempt(0, null, null)).hook(submit -> runs.finishRun(
                        Long.parseLong(submit.path("containerOverrides").path("command").get(1).asText()),
                        RunEntity.Status.SUCCEEDED, null))); // the job's container finishes the run
        // the follower dies (here: its DescribeJobs call fails); the job goes on
        assertThrows(RuntimeException.class,
                () -> batch.submit(parsed(Map.of()), Path.of("batch.yaml"), null, null, console));
        long runId = Long.parseLong(fake.requests("/v1/submitjob").get(0).body().path("jobName").asText()
                .replaceAll("sift-run-(\\d+)-.*", "$1"));
        BatchJobEntity job = jobs.latest(runId).orElseThrow();
        assertEquals("RUNNING", jobs.latest(job.runId).orElseThrow().status);

        // a local resume would execute the run beside its job: refused while the job lives
        SiftException busy = assertThrows(SiftException.class, () -> scheduled.resume(job.runId, console));
        assertEquals(ExitCodes.BUSY, busy.exitCode());
        assertTrue(busy.getMessage().contains("AWS Batch job " + job.jobId), busy.getMessage());

        release.complete(null);
        RunEntity run = scheduled.resumeOnBatch(job.runId, console);

        assertEquals(RunEntity.Status.SUCCEEDED, run.status);
        assertEquals(1, fake.requests("/v1/submitjob").size(), "no second job");
        assertEquals(1, jobs.ofRun(job.runId).size());
        assertEquals("SUCCEEDED", jobs.latest(job.runId).orElseThrow().status);
        assertTrue(log().contains("re-attaching to AWS Batch job " + job.jobId + " (RUNNING at last look)"), log());
    }

    /** Stop 43's: a dead follower's last status blocked 'runs delete' until a resume followed the job to its end. */
    @Test
    void aJobLeftLiveByADeadFollowerIsReadAgainBeforeItBlocksAnything() {
        fake.nextJob(Step.of("SUBMITTED"), Step.of("RUNNING"), Step.crash(), Step.of("RUNNING"), Step.of("FAILED"));
        assertThrows(RuntimeException.class,
                () -> batch.submit(parsed(Map.of()), Path.of("batch.yaml"), null, null, console));
        long runId = Long.parseLong(fake.requests("/v1/submitjob").get(0).body().path("jobName").asText()
                .replaceAll("sift-run-(\\d+)-.*", "$1"));
        BatchJobEntity job = jobs.latest(runId).orElseThrow();
        assertEquals("RUNNING", job.status);
        assertEquals(new BatchRuns.LiveJob(job.jobId, "RUNNING", null), batch.liveJob(runId).orElseThrow(),
                "Batch says it still runs");
        assertTrue(batch.liveJob(runId).isEmpty(), "Batch says it failed: nothing live, and that is stored");
        assertEquals("FAILED", jobs.latest(runId).orElseThrow().status);
    }

    @Test
    void aMissingQueueSettingIsOneLineBeforeAnyRunIsRecorded() {
        SiftException e = assertThrows(SiftException.class, () -> batch.submit(
                parsed(Map.of("execution.queue", "cpu")), Path.of("batch.yaml"), null, null, console));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals("execution.queue: cpu needs SIFT_BATCH_CPU_QUEUE (Terraform output sift_batch_cpu_queue), "
                + "which is not set", e.getMessage());
        assertTrue(fake.all().isEmpty());
    }

    /**
     * A schedule's firing of an aws-batch workflow submits the run and follows it holding the schedule's lock; its
     * follower dies; the firing recovered on another node re-attaches to the job (no second one), and the job's
     * {@code sift resume RUN} runs without the lock its follower holds.
     */
    @Test
    void aScheduledFiringOnBatchIsRecoveredByReattachingAndItsJobResumesBesideTheLock(
            @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path wf = dir.resolve("nightly.yaml");
        java.nio.file.Files.writeString(wf, WORKFLOW);
        ScheduleSpec spec = ScheduleSpec.of("batch-nightly", "0 0 3 * * ?", "UTC", wf, Map.of());
        Instant fireTime = Instant.parse("2026-11-30T03:00:00Z");
        CompletableFuture<Void> work = new CompletableFuture<>();
        fake.nextJob(Step.of("RUNNABLE"), Step.crash(), Step.of("RUNNING").until(work).hook(submit -> new Thread(() -> {
            try {
                long runId = Long.parseLong(submit.path("containerOverrides").path("command").get(1).asText());
                scheduled.resume(runId, submit.path("jobId").asText(),
                        new Console(new PrintStream(new ByteArrayOutputStream()), false));
                work.complete(null);
            } catch (Throwable t) {
                work.completeExceptionally(t);
            }
        }).start()), Step.of("SUCCEEDED").attempts(new Attempt(0, null, null)));

        SiftException died = assertThrows(SiftException.class, () -> scheduled.fire(spec, fireTime, false, console));
        assertEquals(ExitCodes.ENVIRONMENT, died.exitCode());
        RunEntity run = runs.findFiring("batch-nightly", fireTime).orElseThrow();
        assertEquals(RunEntity.Status.RUNNING, run.status);

        assertEquals(java.util.Optional.of(run.id), scheduled.fire(spec, fireTime, true, console));

        work.get(60, TimeUnit.SECONDS);
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(run.id).orElseThrow().status, log());
        assertEquals(1, fake.requests("/v1/submitjob").size(), "the recovered firing submitted no second job");
        assertTrue(log().contains("re-attaching to AWS Batch job"), log());
    }

    /** No request carries the database password, the hash key or a variable named like a secret. */
    private static void assertNoSecrets() {
        for (FakeBatch.Request r : fake.all()) {
            assertFalse(r.raw().contains(DB_PASSWORD), r.raw());
            assertFalse(r.raw().contains(HASH_KEY), r.raw());
            for (JsonNode v : r.body().path("containerOverrides").path("environment")) {
                String name = v.path("name").asText();
                assertFalse(name.matches("(?i).*(PASSWORD|SECRET|KEY|TOKEN).*"), name);
            }
        }
    }
}
