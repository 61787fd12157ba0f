package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code sift serve} processes on one PostgreSQL run a schedule that fires every 5 seconds; the node that runs
 * a firing (the first, by default) is killed with SIGKILL in the middle of it. Then: one run per firing, no two runs overlap, the
 * killed firing's run is resumed (not restarted) by the other node, and every firing after the kill either has its
 * run or fell while the schedule's previous run was unfinished (skipped by "do nothing", never caught up later).
 * {@code -Dsift.cluster.kill-at-run=K} kills the node running the K-th run (default 8) and
 * {@code -Dsift.cluster.after-recovery=N} sets how many runs the survivor finishes after the recovered one (default
 * 22): 30 runs by default, about 2.5 minutes of firings.
 */
class ScheduleClusterIT {
    private static final Duration PERIOD = Duration.ofSeconds(5);
    /** quarkus.quartz.misfire-threshold: a firing later than this is skipped, not run late. */
    private static final Duration MISFIRE = Duration.ofSeconds(2);
    private static EmbeddedPostgres pg;

    @TempDir
    Path home;

    /** One run of the schedule as stored. */
    record Run(long id, Instant fire, String status, Instant started, Instant finished, long pid) {
    }

    @BeforeAll
    static void startDatabase() throws Exception {
        pg = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        pg.close();
    }

    private Map<String, String> env() {
        return Map.of("SIFT_DB_URL", pg.getJdbcUrl("postgres", "postgres"), "SIFT_DB_USER", "postgres");
    }

    @Test
    void oneRunPerFiringNoneOverlappingAndTheKilledFiringIsResumedByTheOtherNode() throws Exception {
        int afterRecovery = Integer.getInteger("sift.cluster.after-recovery", 22);
        int killAt = Integer.getInteger("sift.cluster.kill-at-run", 8);
        Path wf = home.resolve("tiny.yaml");
        Files.writeString(wf, """
                name: tiny
                dataset:
                  generate: {rows: 200, noise: 0.1, seed: 3}
                model: {buckets: 64, dim: 8, hidden: 8}
                fine_tune: {epochs: 1}
                evaluate: {zero_shot: false, seeds: 1}
                iterations: 1
                cache: false
                """);
        SiftProcess add = SiftProcess.start(home, env(), "schedule", "add", "every5", "--cron", "*/5 * * * * ?",
                wf.toString());
        assertEquals(0, add.waitFor(120), add.output());
        SiftProcess a = SiftProcess.start(home, env(), "serve");
        SiftProcess b = SiftProcess.start(home, env(), "serve");
        try {
            // the node running the killAt-th run is killed in the middle of it (ingest done, fine-tune under way)
            long[] target = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + 6L * killAt);
            while (target == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
                target = fineTuning(killAt);
            }
            assertTrue(target != null, "no run reached fine-tune:\n" + a.output() + "\n" + b.output());
            SiftProcess victim = target[1] == a.process.pid() ? a : b;
            victim.process.destroyForcibly();
            assertTrue(victim.process.waitFor(30, TimeUnit.SECONDS));
            Instant killedAt = Instant.now();
            SiftProcess survivor = victim == a ? b : a;
            long killedId = target[0];
            Run killed = runs().stream().filter(r -> r.id() == killedId).findFirst().orElseThrow();
            assertEquals(victim.process.pid(), killed.pid(), "the killed node's run");
            assertEquals("RUNNING", killed.status());
            System.out.println("before the kill, runs per node: " + runs().stream().collect(
                    java.util.stream.Collectors.groupingBy(Run::pid, java.util.stream.Collectors.counting())));

            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90 + 6L * afterRecovery);
            while (System.nanoTime() < deadline && finishedAfter(killed.id()) < afterRecovery + 1) {
                Thread.sleep(250);
            }
            survivor.process.destroy(); // SIGTERM: a run under way is marked INTERRUPTED
            assertEquals(143, survivor.waitFor(60), "SIGTERM ends sift serve:\n" + survivor.output());
            check(runs(), killed, killedAt, survivor.process.pid(), afterRecovery, survivor.output());
        } finally {
            a.process.destroyForcibly();
            b.process.destroyForcibly();
        }
    }

    private void check(List<Run> runs, Run killed, Instant killedAt, long survivorPid, int afterRecovery, String log)
            throws Exception {
        long runsBefore = runs.stream().filter(r -> r.id() <= killed.id()).count();
        String table = String.join("\n", runs.stream().map(Run::toString).toList());
        System.out.println("killed run " + killed.id() + " at " + killedAt + "; runs:\n" + table);
        // the killed firing: one run, resumed by the survivor where it stopped (ingest not redone), succeeded
        Run recovered = runs.stream().filter(r -> r.id() == killed.id()).findFirst().orElseThrow();
        assertEquals("SUCCEEDED", recovered.status(), table + "\n" + log);
        assertEquals(survivorPid, recovered.pid(), "the survivor finished it");
        assertEquals(1, query("SELECT attempt FROM stage_run WHERE run_id = ? AND stage = 'ingest'", killed.id()));
        // the stage the kill cut short ran a second time (fine-tune, unless it had just finished); no other did
        assertTrue(query("SELECT count(*) FROM stage_run WHERE run_id = ? AND attempt > 1", killed.id()) <= 1);
        assertEquals(0, query("SELECT count(*) FROM stage_run WHERE run_id = ? AND attempt > 2", killed.id()));
        assertEquals(5, query("SELECT count(*) FROM stage_run WHERE run_id = ? AND status = 'SUCCEEDED'", killed.id()));
        assertTrue(log.contains("recovered: resuming run " + killed.id()), log);
        // one run per firing, on the 5-second grid
        Set<Instant> fires = new HashSet<>();
        for (Run r : runs) {
            assertTrue(fires.add(r.fire()), "two runs of firing " + r.fire() + ":\n" + table);
            assertEquals(0, r.fire().toEpochMilli() % PERIOD.toMillis(), table);
        }
        // none overlapping: each run starts after the one before it finished
        List<Run> done = runs.stream().filter(r -> r.finished() != null).toList();
        for (int i = 1; i < done.size(); i++) {
            assertTrue(!done.get(i).started().isBefore(done.get(i - 1).finished()), "overlap:\n" + table);
        }
        // no catch-up: every run but the recovered one started within the misfire threshold of its firing (+ start-up)
        // Each node's first run gets 6 s more: that node's JVM is cold (the job's first run loads the engine's
        // classes); on a loaded machine (CI beside a probe, 2026-12-04) run 1 began 5.3 s after its firing, and the
        // second node's first run is as cold (until stop 52 only the first run overall had the allowance, and the
        // test failed once under load 5-6). A catch-up is a firing run late after others, which later runs would show.
        Set<Long> firstOfNode = new HashSet<>();
        // the killed run counts as its resumer's (its row carries the survivor's pid): a survivor that ran nothing
        // before it is warm after resuming it, and the killed run itself is left out below
        runs.stream().collect(java.util.stream.Collectors.groupingBy(Run::pid)).values()
                .forEach(rs -> firstOfNode.add(rs.stream().mapToLong(Run::id).min().orElseThrow()));
        for (Run r : runs) {
            if (r.id() != killed.id()) {
                Duration allowed = MISFIRE.plusSeconds(firstOfNode.contains(r.id()) ? 8 : 2);
                assertTrue(Duration.between(r.fire(), r.started()).compareTo(allowed) < 0,
                        "run " + r.id() + " started late (a catch-up?):\n" + table);
            }
        }
        // none lost: every firing time from the first run on has its run, or fell while the run before was unfinished
        Instant last = runs.get(runs.size() - 1).fire();
        int skipped = 0;
        for (Instant t = runs.get(0).fire().plus(PERIOD); !t.isAfter(last); t = t.plus(PERIOD)) {
            Instant at = t;
            boolean ran = fires.contains(at);
            // unfinished at t, with slack: the firing is blocked until Quartz hears the job returned, which is after
            // the run is marked finished (the job's last writes and Quartz's own update; up to about 4 s seen on a
            // fresh node of a loaded 2-core machine), and a firing released later than the misfire threshold is
            // skipped, as the "do nothing" policy says
            boolean covered = runs.stream().anyMatch(r -> r.fire().isBefore(at) && r.finished() != null
                    && r.finished().plus(MISFIRE).plusSeconds(3).isAfter(at));
            assertTrue(ran || covered, "firing " + at + " lost:\n" + table + "\nthe survivor's log from 20 s before "
                    + "it to 10 s after:\n" + around(log, at));
            skipped += ran ? 0 : 1;
        }
        long after = runs.stream().filter(r -> r.fire().isAfter(killed.fire()) && "SUCCEEDED".equals(r.status()))
                .count();
        assertTrue(after >= afterRecovery, table);
        assertTrue(runs.size() >= runsBefore + afterRecovery, table);
        System.out.printf("ScheduleClusterIT: %d runs, killed firing %s resumed as run %d, %d firings after it ran, "
                + "%d skipped while a run was unfinished%n", runs.size(), killed.fire(), killed.id(), after, skipped);
    }

    /**
     * The lines of a node's log (each starts with HH:mm:ss in this machine's zone) from 20 s before {@code at} to 10 s
     * after it, with the lines without a time that follow them: what the node did around a lost firing.
     */
    static String around(String log, Instant at) {
        java.time.LocalTime from = at.minusSeconds(20).atZone(java.time.ZoneId.systemDefault()).toLocalTime();
        java.time.LocalTime to = at.plusSeconds(10).atZone(java.time.ZoneId.systemDefault()).toLocalTime();
        StringBuilder out = new StringBuilder();
        boolean in = false;
        for (String line : log.split("\n")) {
            if (line.matches("\\d\\d:\\d\\d:\\d\\d .*")) {
                java.time.LocalTime t = java.time.LocalTime.parse(line.substring(0, 8));
                in = !t.isBefore(from) && !t.isAfter(to);
            }
            if (in) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** The id and owner pid of a run numbered at least {@code nth} whose fine-tune is under way, or null. */
    private long[] fineTuning(int nth) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
                PreparedStatement ps = c.prepareStatement("SELECT r.id, r.owner_pid FROM run r JOIN stage_run s ON "
                        + "s.run_id = r.id WHERE r.schedule_name = 'every5' AND r.status = 'RUNNING' AND s.stage = "
                        + "'fine-tune' AND s.status = 'RUNNING' AND (SELECT count(*) FROM run WHERE schedule_name = "
                        + "'every5' AND id <= r.id) >= ?")) {
            ps.setInt(1, nth);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
            }
        }
    }

    private int finishedAfter(long killedRun) throws Exception {
        return (int) query("SELECT count(*) FROM run WHERE id >= ? AND status = 'SUCCEEDED'", killedRun);
    }

    private List<Run> runs() throws Exception {
        List<Run> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
                PreparedStatement ps = c.prepareStatement("SELECT id, fire_time, status, started_at, finished_at, "
                        + "owner_pid FROM run WHERE schedule_name = 'every5' ORDER BY fire_time");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                var finished = rs.getTimestamp(5);
                out.add(new Run(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                        rs.getTimestamp(4).toInstant(), finished == null ? null : finished.toInstant(), rs.getLong(6)));
            }
        }
        return out;
    }

    private long query(String sql, Object... params) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"));
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
