package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secrets Sift makes for itself under SIFT_HOME, the embedded PostgreSQL's password ({@code pg.password}) and the
 * key of the user-id hash ({@code hash.key}), appear nowhere else: not in the output of a run, {@code runs list},
 * {@code runs show} (text and JSON), {@code schedule add} and {@code schedule history}, not in the log of
 * {@code sift serve} while it runs a firing, not on its report pages, not in any text the database stores (runs,
 * stages, the Quartz job's data), and in no file under SIFT_HOME but their own (the server's log and configuration,
 * the embedded S3 store, the data directory). The embedded S3's keys are not searched: each process draws them at
 * random and keeps them in memory only.
 */
class EmbeddedSecretsIT {
    @TempDir
    Path home;

    @Test
    void theEmbeddedServersPasswordAndTheHashKeyAppearNowhereElse() throws Exception {
        Path wf = home.resolve("tiny.yaml");
        Files.writeString(wf, """
                name: secrets
                dataset:
                  generate: {rows: 200, noise: 0.1, seed: 3}
                model: {buckets: 64, dim: 8, hidden: 8}
                fine_tune: {epochs: 1}
                score: {methods: [loss, el2n]}
                evaluate: {zero_shot: false, seeds: 1, bootstrap: 50}
                iterations: 1
                cache: false
                """);
        Map<String, String> env = Map.of();
        // a configured hash key too short for ingest is refused before a run is recorded (a probe's failed at ingest)
        SiftProcess shortKey = SiftProcess.start(home, Map.of("SIFT_PRIVACY_HASH_KEY", "HASHKEYp57zq9xx"), "run",
                wf.toString());
        assertEquals(2, shortKey.waitFor(180), shortKey.output());
        assertTrue(shortKey.output().contains("SIFT_PRIVACY_HASH_KEY (sift.privacy.hash-key) has 15 bytes; the user-id "
                + "hash key needs at least 16") && !shortKey.output().contains("run 1"), shortKey.output());
        List<String> texts = new ArrayList<>();
        texts.add(ok(SiftProcess.start(home, env, "run", wf.toString(), "--verbose")));
        texts.add(ok(SiftProcess.start(home, env, "runs", "list")));
        texts.add(ok(SiftProcess.start(home, env, "runs", "show", "1")));
        texts.add(ok(SiftProcess.start(home, env, "runs", "show", "1", "--format", "json")));
        texts.add(ok(SiftProcess.start(home, env, "schedule", "add", "every5", "--cron", "*/5 * * * * ?",
                wf.toString())));
        SiftProcess serve = SiftProcess.start(home, env, "serve", "--port", "0");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            while (!serve.output().contains("evaluate finished in") && serve.process.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String log = serve.output();
            assertTrue(log.contains("evaluate finished in"), "no firing ran:\n" + log);
            Matcher m = Pattern.compile("reports at (http://127\\.0\\.0\\.1:\\d+)/runs").matcher(log);
            assertTrue(m.find(), log);
            HttpClient http = HttpClient.newHttpClient();
            for (String page : List.of("/runs", "/runs/1", "/runs/2")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(m.group(1) + page)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), page);
                texts.add(r.body());
            }
            texts.addAll(storedTexts());
        } finally {
            serve.process.destroy();
            serve.process.waitFor(60, TimeUnit.SECONDS);
        }
        texts.add(serve.output());
        texts.add(ok(SiftProcess.start(home, env, "schedule", "history", "every5")));

        String password = Files.readString(home.resolve("pg.password")).trim();
        String hashKey = Files.readString(home.resolve("hash.key")).trim();
        assertTrue(password.length() >= 32 && hashKey.length() >= 64, "hex secrets");
        for (String text : texts) {
            assertFalse(text.contains(password), "the embedded server's password leaked:\n" + text);
            assertFalse(text.contains(hashKey), "the hash key leaked:\n" + text);
        }
        int files = 0;
        try (Stream<Path> all = Files.walk(home)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.equals("pg.password") || name.equals("hash.key")) {
                    continue;
                }
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertFalse(bytes.contains(password), "the embedded server's password is in " + f);
                assertFalse(bytes.contains(hashKey), "the hash key is in " + f);
                files++;
            }
        }
        System.out.printf("EmbeddedSecretsIT: 2 secrets searched in %d command outputs, pages and stored texts and %d "
                + "files under SIFT_HOME; none found%n", texts.size(), files);
    }

    private static String ok(SiftProcess p) throws Exception {
        assertEquals(0, p.waitFor(180), p.output());
        return p.output();
    }

    /** Every text the database stores about runs, stages and schedules (read while serve keeps the server up). */
    private List<String> storedTexts() throws Exception {
        List<String> pid = Files.readAllLines(home.resolve("pg").resolve("postmaster.pid"));
        String url = "jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres";
        String password = Files.readString(home.resolve("pg.password")).trim();
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "postgres", password); Statement s = c.createStatement()) {
            for (String sql : List.of("SELECT concat_ws(' ', name, workflow_path, spec_yaml, params::text, error) "
                    + "FROM run", "SELECT concat_ws(' ', output_json, error) FROM stage_run",
                    "SELECT encode(job_data, 'escape') FROM qrtz_job_details", "SELECT setting FROM pg_settings")) {
                try (ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        out.add(String.valueOf(rs.getString(1)));
                    }
                }
            }
        }
        assertTrue(out.size() > 10, out.toString());
        return out;
    }
}
