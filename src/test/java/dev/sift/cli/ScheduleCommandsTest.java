package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.ExitCodes;
import dev.sift.PostgresResource;
import dev.sift.schedule.ScheduleSpec;
import dev.sift.schedule.ScheduledRuns;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.ScheduleLocks;
import dev.sift.workflow.Console;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sift schedule ...}, {@code sift run --schedule} and firings, through the commands and services in this JVM
 * (one application start) against the test PostgreSQL. Quartz is halted here, as in {@code sift schedule}: the job
 * store changes, nothing fires by itself; {@code ScheduleClusterIT} runs {@code sift serve}.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(value = ScheduleCommandsTest.HaltedQuartz.class, restrictToAnnotatedClass = true)
class ScheduleCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What SiftMain sets for {@code sift schedule}: a Quartz scheduler that is created but never started. */
    public static class HaltedQuartz implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            System.setProperty(SiftMain.START_MODE, "halted");
            return Map.of(SiftMain.START_MODE, "halted");
        }

        @Override
        public void stop() {
            System.clearProperty(SiftMain.START_MODE);
        }
    }

    @Inject
    CommandLine.IFactory factory;
    @Inject
    ScheduledRuns scheduled;
    @Inject
    RunStore runs;

    @TempDir
    Path dir;

    private InJvm.Out sift(String... args) {
        return InJvm.sift(factory, args);
    }

    private Path tinyWorkflow() throws Exception {
        Path wf = dir.resolve("tiny.yaml");
        Files.writeString(wf, """
                name: tiny-scheduled
                dataset:
                  generate: {rows: 200, noise: 0.1, seed: 3}
                model: {buckets: 64, dim: 8, hidden: 8}
                fine_tune: {epochs: 1}
                evaluate: {zero_shot: false, seeds: 1}
                iterations: 1
                """);
        return wf;
    }

    private JsonNode schedule(String name) throws Exception {
        InJvm.Out list = sift("schedule", "list", "--format", "json");
        assertEquals(0, list.code(), list.err());
        for (JsonNode s : JSON.readTree(list.out())) {
            if (s.get("name").asText().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static void assertOneLineError(InJvm.Out r, int code, String contains) {
        assertEquals(code, r.code(), r.err());
        String err = r.err().strip();
        assertTrue(err.startsWith("sift: ") && !err.contains("\n") && err.contains(contains), err);
    }

    private static long count(String sql, Object param) throws Exception {
        try (Connection c = DriverManager.getConnection(System.getProperty("test.sift.db.url"));
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Holds a schedule's advisory lock from another session, as a run of it elsewhere would. */
    private static Connection holdLock(String schedule) throws Exception {
        Connection c = DriverManager.getConnection(System.getProperty("test.sift.db.url"));
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
            ps.setLong(1, ScheduleLocks.key(schedule));
            ps.execute();
        }
        return c;
    }

    @Test
    void addListPauseResumeTriggerRemove() throws Exception {
        Path wf = tinyWorkflow();
        InJvm.Out add = sift("schedule", "add", "nightly", "--cron", "0 0 3 * * ?", "--zone", "Europe/Berlin",
                wf.toString(), "--set", "fine_tune.epochs=2");
        assertEquals(0, add.code(), add.err());
        assertTrue(add.err().contains("schedule nightly added: 0 0 3 * * ? (Europe/Berlin), next firing"), add.err());

        JsonNode s = schedule("nightly");
        assertEquals("0 0 3 * * ?", s.get("cron").asText());
        assertEquals("Europe/Berlin", s.get("zone").asText());
        assertEquals("scheduled", s.get("state").asText());
        assertEquals("fine_tune.epochs=2", s.get("overrides").asText());
        assertEquals(wf.toAbsolutePath().toString(), s.get("workflow").asText());
        assertEquals(3, Instant.parse(s.get("next_firing").asText()).atZone(ZoneId.of("Europe/Berlin")).getHour());
        assertEquals(1, count("SELECT count(*) FROM qrtz_job_details WHERE job_name = ? AND requests_recovery "
                + "AND is_nonconcurrent", "nightly"), "recoverable, never concurrent");

        // a fixed offset is listed as it was given (a probe's +02:00 was listed as GMT+02:00)
        assertEquals(0, sift("schedule", "add", "offset", "--cron", "0 0 3 * * ?", "--zone", "+02:00",
                wf.toString()).code());
        assertEquals("+02:00", schedule("offset").get("zone").asText());
        assertEquals(0, sift("schedule", "remove", "offset").code());
        assertOneLineError(sift("schedule", "add", "nightly", "--cron", "0 0 4 * * ?", wf.toString()),
                ExitCodes.USAGE, "exists");
        assertOneLineError(sift("schedule", "add", "Nightly", "--cron", "0 0 4 * * ?", wf.toString()),
                ExitCodes.USAGE, "differs from the schedule 'nightly' only in letter case");
        assertEquals(0, sift("schedule", "pause", "nightly").code());
        assertEquals("paused", schedule("nightly").get("state").asText());
        assertEquals(0, sift("schedule", "resume", "nightly").code());
        assertEquals("scheduled", schedule("nightly").get("state").asText());
        InJvm.Out trigger = sift("schedule", "trigger", "nightly");
        assertEquals(0, trigger.code(), trigger.err());
        assertEquals(2, count("SELECT count(*) FROM qrtz_triggers WHERE job_name = ?", "nightly"),
                "the cron trigger and a one-off trigger waiting for a sift serve node");

        // a run of it deleted earlier left a row that keeps a recovered firing from running again; removed with it
        try (Connection c = DriverManager.getConnection(System.getProperty("test.sift.db.url"));
                PreparedStatement ps = c.prepareStatement("INSERT INTO deleted_firing (schedule_name, fire_time, "
                        + "run_id) VALUES (?, now(), 999999), ('other', now(), 999998)")) {
            ps.setString(1, "nightly");
            ps.executeUpdate();
        }
        assertEquals(0, sift("schedule", "remove", "nightly").code());
        assertEquals(null, schedule("nightly"));
        assertEquals(0, count("SELECT count(*) FROM deleted_firing WHERE schedule_name = ?", "nightly"));
        assertEquals(1, count("SELECT count(*) FROM deleted_firing WHERE schedule_name = ?", "other"));
        try (Connection c = DriverManager.getConnection(System.getProperty("test.sift.db.url"));
                PreparedStatement ps = c.prepareStatement("DELETE FROM deleted_firing WHERE schedule_name = 'other'")) {
            ps.executeUpdate();
        }
        assertEquals(0, count("SELECT count(*) FROM qrtz_triggers WHERE job_name = ?", "nightly"));
        assertOneLineError(sift("schedule", "pause", "nightly"), ExitCodes.USAGE, "no schedule named 'nightly'");
    }

    @Test
    void badCronZoneNameOrWorkflowExitTwoAndAddNothing() throws Exception {
        Path wf = tinyWorkflow();
        assertOneLineError(sift("schedule", "add", "bad", "--cron", "0 3 * * *", wf.toString()), ExitCodes.USAGE,
                "6 or 7 fields");
        assertOneLineError(sift("schedule", "add", "bad", "--cron", "0 0 3 * * * *", wf.toString()),
                ExitCodes.USAGE, "day-of-month");
        assertOneLineError(sift("schedule", "add", "bad", "--cron", "0 0 3 * * ?", "--zone", "Nowhere/X",
                wf.toString()), ExitCodes.USAGE, "not a time zone");
        assertOneLineError(sift("schedule", "add", "bad name", "--cron", "0 0 3 * * ?", wf.toString()),
                ExitCodes.USAGE, "schedule name 'bad name'");
        InJvm.Out badWorkflow = sift("schedule", "add", "bad", "--cron", "0 0 3 * * ?", wf.toString(), "--set",
                "fine_tune.epochz=2");
        assertEquals(ExitCodes.USAGE, badWorkflow.code());
        assertTrue(badWorkflow.err().contains("epochz"), badWorkflow.err());
        InJvm.Out missing = sift("schedule", "add", "bad", "--cron", "0 0 3 * * ?", dir.resolve("missing.yaml")
                .toString());
        assertEquals(2, missing.code());
        assertEquals(dir.resolve("missing.yaml") + ": cannot read workflow: no such file or directory",
                missing.err().strip());
        assertEquals(0, count("SELECT count(*) FROM qrtz_job_details WHERE job_name = ?", "bad"));
    }

    /**
     * A run by hand under a schedule's name takes the schedule's advisory lock: refused (exit 4, one line) while
     * another session holds it, run and recorded under the schedule once it is free; resume takes it too.
     */
    @Test
    void runUnderAScheduleIsRefusedWhileItsLockIsHeld() throws Exception {
        Path wf = tinyWorkflow();
        assertEquals(0, sift("schedule", "add", "hourly", "--cron", "0 0 * * * ?", wf.toString()).code());
        assertOneLineError(sift("run", wf.toString(), "--schedule", "no-such"), ExitCodes.USAGE,
                "no schedule named 'no-such'");
        try (Connection holder = holdLock("hourly")) {
            assertOneLineError(sift("run", wf.toString(), "--schedule", "hourly"), ExitCodes.BUSY,
                    "schedule 'hourly' is busy");
            assertEquals(0, count("SELECT count(*) FROM run WHERE schedule_name = ?", "hourly"), "nothing started");
        }
        InJvm.Out run = sift("run", wf.toString(), "--schedule", "hourly");
        assertEquals(0, run.code(), run.err());
        Matcher m = Pattern.compile("run (\\d+) \\(").matcher(run.err());
        assertTrue(m.find(), run.err());
        long runId = Long.parseLong(m.group(1));

        JsonNode shown = JSON.readTree(sift("runs", "show", Long.toString(runId), "--format", "json").out())
                .get("run");
        assertEquals("hourly", shown.get("schedule").asText());
        assertTrue(shown.get("fire_time").isNull(), "a run by hand has no firing");
        InJvm.Out history = sift("schedule", "history", "hourly", "--format", "json");
        assertEquals(0, history.code(), history.err());
        JsonNode rows = JSON.readTree(history.out());
        assertEquals(1, rows.size());
        assertEquals(runId, rows.get(0).get("run").asLong());
        assertEquals("SUCCEEDED", rows.get(0).get("status").asText());

        try (Connection holder = holdLock("hourly")) {
            assertOneLineError(sift("resume", Long.toString(runId)), ExitCodes.BUSY, "is busy");
        }
        assertEquals(0, sift("schedule", "remove", "hourly").code());
        assertEquals(1, JSON.readTree(sift("schedule", "history", "hourly", "--format", "json").out()).size(),
                "a removed schedule's runs stay in its history");
        assertOneLineError(sift("run", wf.toString(), "--device", "tpu"), ExitCodes.USAGE,
                "--device must be cpu, gpu or auto, got 'tpu'");
        assertOneLineError(sift("schedule", "history", "no-such-schedule"), ExitCodes.USAGE,
                "no schedule named 'no-such-schedule'");
        assertOneLineError(sift("schedule", "history", "hourly", "--limit", "0"), ExitCodes.USAGE,
                "--limit must be at least 1");
    }

    /**
     * One run per firing: a firing that finds its run finished does nothing; a firing recovered from a node that
     * stopped (its run INTERRUPTED) resumes that run instead of starting another; a firing whose lock is held is
     * skipped.
     */
    @Test
    void aFiringHasOneRunAndARecoveredFiringResumesIt() throws Exception {
        ScheduleSpec spec = ScheduleSpec.of("firings", "*/5 * * * * ?", null, tinyWorkflow(), Map.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(log, true, StandardCharsets.UTF_8), false);
        Instant first = Instant.parse("2026-01-01T00:00:05Z");
        long run = scheduled.fire(spec, first, false, console).orElseThrow();
        assertEquals(Optional.of(run), scheduled.fire(spec, first, false, console));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("already ran as run " + run), log.toString());
        RunEntity r = runs.findRun(run).orElseThrow();
        assertEquals(RunEntity.Status.SUCCEEDED, r.status);
        assertEquals(first, r.fireTime);

        Instant second = first.plusSeconds(5);
        try (Connection holder = holdLock("firings")) {
            assertEquals(Optional.empty(), scheduled.fire(spec, second, false, console), "skipped: lock held");
        }
        // the node running the second firing stopped after ingest: its run is INTERRUPTED, fine-tune never finished
        RunEntity cut = runs.createRun("firings", "tiny-scheduled", spec.workflowPath().toString(),
                spec.parse().snapshot(), null, new dev.sift.store.Firing("firings", second));
        try (Connection c = DriverManager.getConnection(System.getProperty("test.sift.db.url"));
                PreparedStatement ps = c.prepareStatement("UPDATE run SET status = 'INTERRUPTED' WHERE id = ?")) {
            ps.setLong(1, cut.id);
            ps.executeUpdate();
        }
        assertEquals(Optional.of(cut.id), scheduled.fire(spec, second, true, console));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("recovered: resuming run " + cut.id), log.toString());
        assertEquals(RunEntity.Status.SUCCEEDED, runs.findRun(cut.id).orElseThrow().status);
        assertEquals(2, count("SELECT count(*) FROM run WHERE schedule_name = ?", "firings"), "one run per firing");

        // a firing whose run was deleted is not run again when it is recovered (its node stopped mid-run); its
        // schedule exists, as it must for Quartz to recover a firing (a far cron: nothing fires during the test)
        InJvm.Out added = sift("schedule", "add", "firings", "--cron", "0 0 3 1 1 ? 2099", tinyWorkflow().toString());
        assertEquals(0, added.code(), added.err());
        Instant third = second.plusSeconds(5);
        RunEntity gone = runs.createRun("firings", "tiny-scheduled", spec.workflowPath().toString(),
                spec.parse().snapshot(), null, new dev.sift.store.Firing("firings", third));
        try (Connection c = DriverManager.getConnection(System.getProperty("test.sift.db.url"));
                PreparedStatement ps = c.prepareStatement("UPDATE run SET status = 'INTERRUPTED', owner_pid = NULL "
                        + "WHERE id = ?")) {
            ps.setLong(1, gone.id);
            ps.executeUpdate();
        }
        InJvm.Out deleted = sift("runs", "delete", Long.toString(gone.id));
        assertEquals(0, deleted.code(), deleted.err());
        assertEquals(Optional.empty(), scheduled.fire(spec, third, true, console));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("firing of " + third + " not run again: its run "
                + gone.id + " was deleted"), log.toString());
        assertEquals(2, count("SELECT count(*) FROM run WHERE schedule_name = ?", "firings"), "no run for it");
        // once the schedule is removed its firings are never recovered: its rows go, and a later delete adds none
        assertEquals(0, sift("schedule", "remove", "firings").code());
        assertEquals(0, count("SELECT count(*) FROM deleted_firing WHERE schedule_name = ?", "firings"));
        InJvm.Out later = sift("runs", "delete", Long.toString(cut.id));
        assertEquals(0, later.code(), later.err());
        assertEquals(0, count("SELECT count(*) FROM deleted_firing WHERE schedule_name = ?", "firings"));
    }

    /** A firing whose workflow no longer checks leaves a FAILED run with the reason, in the schedule's history. */
    @Test
    void aFiringWhoseWorkflowNoLongerChecksIsRecordedAsAFailedRun() throws Exception {
        Path data = dir.resolve("gone.csv");
        Files.writeString(data, "query,title,label\nlamp,red lamp,1\n");
        Path wf = dir.resolve("gone.yaml");
        Files.writeString(wf, "name: gone-data\ndataset:\n  path: gone.csv\n  columns: {query: query, title: title, "
                + "label: label}\n");
        ScheduleSpec spec = ScheduleSpec.of("gone", "0 0 3 * * ?", null, wf, Map.of());
        Files.delete(data);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(log, true, StandardCharsets.UTF_8), false);
        Instant at = Instant.parse("2026-01-02T03:00:00Z");
        long id = scheduled.fire(spec, at, false, console).orElseThrow();
        RunEntity run = runs.findRun(id).orElseThrow();
        assertEquals(RunEntity.Status.FAILED, run.status);
        assertEquals(at, run.fireTime);
        assertEquals("gone-data", run.workflow);
        assertTrue(run.error.startsWith("firing of " + at + " not run: the schedule's workflow no longer checks: "),
                run.error);
        assertTrue(run.error.contains("gone.csv"), run.error);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("not run"), log.toString());
        assertTrue(run.specYaml.contains(data.toAbsolutePath().toString()), "stored as a run stores its workflow: "
                + run.specYaml);
        assertEquals(Optional.of(id), scheduled.fire(spec, at, true, console), "recovered: the record, not a resume");
        assertEquals(RunEntity.Status.FAILED, runs.findRun(id).orElseThrow().status);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("was recorded as not run (run " + id + ")"),
                log.toString());
        // resumed while the file is still gone: bad input, exit code 2 (a probe's was exit 1)
        InJvm.Out resumed = sift("resume", Long.toString(id));
        assertEquals(2, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("no such file or directory: " + data.toAbsolutePath()), resumed.err());
    }
}
