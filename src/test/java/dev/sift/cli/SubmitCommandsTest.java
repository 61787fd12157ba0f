package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.PostgresResource;
import dev.sift.batch.FakeBatch;
import dev.sift.batch.FakeBatch.Attempt;
import dev.sift.batch.FakeBatch.Step;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sift run --submit} and {@code sift resume RUN [--submit]} through picocli, against {@link FakeBatch}. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = FakeBatch.Endpoint.class, restrictToAnnotatedClass = true)
class SubmitCommandsTest {
    static FakeBatch fake;

    @Inject
    CommandLine.IFactory factory;
    @Inject
    RunStore runs;

    @TempDir
    Path dir;

    @BeforeEach
    void fakeBatch() throws Exception {
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

    private Path workflow() throws Exception {
        Path wf = dir.resolve("batch.yaml");
        Files.writeString(wf, """
                name: submitted
                dataset:
                  generate: {rows: 200, noise: 0.1, seed: 3}
                model: {buckets: 64, dim: 8, hidden: 8}
                fine_tune: {epochs: 1}
                evaluate: {zero_shot: false, seeds: 1}
                """);
        return wf;
    }

    @Test
    void aRunWhoseJobsFailEndsWithOneLineAndExitCodeOne() throws Exception {
        Step failed = Step.of("FAILED").reason("Essential container in task exited")
                .attempts(new Attempt(1, null, "Essential container in task exited"));
        fake.nextJob(Step.of("RUNNABLE"), Step.of("RUNNING"), failed);
        fake.nextJob(Step.of("RUNNABLE"), failed);

        // the workflow says local: --submit alone sends it to Batch, with the default settings (gpu, 2 jobs)
        InJvm.Out r = InJvm.sift(factory, "run", "--submit", workflow().toString());

        assertEquals(1, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("sift: run \\d+ failed on AWS Batch after 2 jobs: AWS Batch job \\S+ FAILED \\(Essential "
                + "container in task exited; exit code 1\\)"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals("", r.out());
        String runId = last.replaceAll("sift: run (\\d+) .*", "$1");
        assertEquals(List.of("resume", runId), commandOf(0));
        assertEquals(List.of("resume", runId), commandOf(1));
        RunEntity run = runs.findRun(Long.parseLong(runId)).orElseThrow();
        assertEquals(RunEntity.Status.FAILED, run.status);
        assertEquals(last.substring("sift: ".length()), run.error);
    }

    @Test
    void aMissingQueueSettingIsOneLineAndExitCodeTwo() throws Exception {
        InJvm.Out r = InJvm.sift(factory, "run", "--submit", workflow().toString(), "--set",
                "execution.target=aws-batch", "--set", "execution.queue=cpu");

        assertEquals(2, r.code(), r.err());
        assertEquals("sift: execution.queue: cpu needs SIFT_BATCH_CPU_QUEUE (Terraform output sift_batch_cpu_queue), "
                + "which is not set", r.err().strip());
        assertTrue(fake.all().isEmpty());
    }

    private static List<String> commandOf(int job) {
        List<String> out = new java.util.ArrayList<>();
        fake.requests("/v1/submitjob").get(job).body().path("containerOverrides").path("command")
                .forEach(n -> out.add(n.asText()));
        return out;
    }
}
