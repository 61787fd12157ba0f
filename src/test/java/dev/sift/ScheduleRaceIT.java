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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three processes started at once against one schedule: two {@code sift run --schedule NAME} of its workflow and a
 * {@code sift resume} of its run that an earlier process left cut off (SIGKILL). Exactly one wins the schedule's
 * lock and finishes; each of the other two ends with one line and exit code 4, having started nothing.
 */
class ScheduleRaceIT {
    @TempDir
    Path home;

    @Test
    void twoRunsAndAResumeOfOneScheduleAtOnceOneWinsTheOthersGetOneLineEach() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            Map<String, String> env = Map.of("SIFT_DB_URL", url, "SIFT_DB_USER", "postgres");
            Path wf = home.resolve("race.yaml");
            // long enough (15 s or more here) that the winner still holds the lock when the others ask for it
            Files.writeString(wf, """
                    name: race
                    dataset:
                      generate: {rows: 1000, noise: 0.1, seed: 3}
                    model: {buckets: 256, dim: 16, hidden: 16}
                    fine_tune: {epochs: 25}
                    score: {methods: [loss, el2n]}
                    evaluate: {zero_shot: false, seeds: 1, bootstrap: 100}
                    iterations: 1
                    cache: false
                    """);
            SiftProcess add = SiftProcess.start(home, env, "schedule", "add", "race", "--cron", "0 0 3 1 1 ? 2099",
                    wf.toString());
            assertEquals(0, add.waitFor(120), add.output());
            SiftProcess cut = SiftProcess.start(home, env, "run", "--schedule", "race", wf.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!cut.output().contains("fine-tune epoch 2/") && cut.process.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            cut.process.destroyForcibly();
            assertTrue(cut.process.waitFor(30, TimeUnit.SECONDS));
            Matcher m = Pattern.compile("run (\\d+) \\(").matcher(cut.output());
            assertTrue(m.find(), cut.output());
            long cutRun = Long.parseLong(m.group(1));

            List<SiftProcess> racers = List.of(SiftProcess.start(home, env, "run", "--schedule", "race",
                    wf.toString()), SiftProcess.start(home, env, "run", "--schedule", "race", wf.toString()),
                    SiftProcess.start(home, env, "resume", Long.toString(cutRun)));
            List<Integer> codes = new ArrayList<>();
            for (SiftProcess p : racers) {
                codes.add(p.waitFor(400));
            }
            String all = String.join("\n----\n", racers.stream().map(p -> {
                try {
                    return p.output();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList());
            assertEquals(1, codes.stream().filter(c -> c == 0).count(), codes + "\n" + all);
            assertEquals(2, codes.stream().filter(c -> c == 4).count(), codes + "\n" + all);
            int winner = codes.indexOf(0);
            for (int i = 0; i < racers.size(); i++) {
                if (i == winner) {
                    continue;
                }
                String out = racers.get(i).output();
                List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
                assertEquals(1, lines.size(), out);
                assertTrue(lines.get(0).startsWith("sift: schedule 'race' is busy"), out);
            }
            try (Connection c = DriverManager.getConnection(url)) {
                // the resume won: the cut run finished and no run started; a run won: one new run, the cut one as it was
                List<String> runs = rows(c, "SELECT id || ' ' || status FROM run WHERE schedule_name = 'race' ORDER BY "
                        + "id");
                List<String> expected = winner == 2 ? List.of(cutRun + " SUCCEEDED")
                        : List.of(cutRun + " RUNNING", (cutRun + 1) + " SUCCEEDED");
                assertEquals(expected, runs, all);
            }
            System.out.printf("ScheduleRaceIT: %s won; exit codes %s; the two others one line each%n",
                    winner == 2 ? "sift resume " + cutRun : "sift run --schedule (racer " + (winner + 1) + ")", codes);
        }
    }

    private static List<String> rows(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
