package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged sift against an S3 endpoint (S3Proxy over HTTP, in this JVM) that goes down: down for longer than the
 * retry budget during a run, the stage fails with exit code 3 and one line, and nothing stored is lost; resumed while
 * S3 is still down, sift retries with backoff until S3 is back and finishes the run without redoing ingest or
 * fine-tune. Neither the S3 secret key nor the database password appears in any output, in the stored workflow, in
 * {@code runs show} or in any error or stage output stored.
 */
class S3OutageIT {
    private static final String ACCESS = "sift-outage";
    private static final String SECRET = "s3-secret-Zq9x7Lw2Vb4Nk8Hd";
    private static final String DB_PASSWORD = "db-secret-Pm3Rt6Yu1Ie5Wo0";

    @TempDir
    Path home;

    private S3Proxy proxy;

    private void startS3(int port) throws Exception {
        var store = new FilesystemNio2BlobStore(home.resolve("s3").toString());
        proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("STARTED", proxy.getState());
    }

    @Test
    void s3DownLongerThanTheRetryBudgetIsExit3AndAResumeRetriesUntilItIsBack() throws Exception {
        Files.createDirectories(home.resolve("s3"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startS3(port);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            String url = pg.getJdbcUrl("postgres", "postgres");
            try (Connection c = DriverManager.getConnection(url)) {
                c.createStatement().execute("ALTER USER postgres PASSWORD '" + DB_PASSWORD + "'");
            }
            Map<String, String> env = new HashMap<>(Map.of("SIFT_DB_URL", url, "SIFT_DB_USER", "postgres",
                    "SIFT_DB_PASSWORD", DB_PASSWORD, "SIFT_S3_ENDPOINT", "http://127.0.0.1:" + port,
                    "AWS_ACCESS_KEY_ID", ACCESS, "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_REGION", "us-east-1",
                    "SIFT_S3_RETRY_SECONDS", "4"));
            Path wf = home.resolve("wf.yaml");
            Files.writeString(wf, """
                    name: s3-outage
                    dataset:
                      generate: {rows: 300, noise: 0.1, seed: 3}
                    model: {buckets: 64, dim: 8, hidden: 8}
                    fine_tune: {epochs: 6}
                    score: {methods: [loss, el2n]}
                    evaluate: {zero_shot: false, seeds: 1, bootstrap: 100}
                    iterations: 1
                    """);
            List<String> outputs = new ArrayList<>();

            // S3 goes down during fine-tune and stays down: score cannot store its activations
            SiftProcess run = SiftProcess.start(home, env, "run", wf.toString());
            waitFor(run, "fine-tune epoch 2/");
            proxy.stop();
            assertEquals(3, run.waitFor(180), run.output());
            outputs.add(run.output());
            List<String> errors = run.output().lines().filter(l -> l.startsWith("sift:")).toList();
            assertEquals(1, errors.size(), run.output());
            assertTrue(errors.get(0).contains("S3 endpoint http://127.0.0.1:" + port + " is not reachable")
                    && errors.get(0).contains("(tried for 4 s)") && errors.get(0).contains("sift resume"), errors.get(0));
            assertFalse(run.output().contains("\tat "), run.output());
            Matcher m = Pattern.compile("run (\\d+) \\(").matcher(run.output());
            assertTrue(m.find(), run.output());
            long id = Long.parseLong(m.group(1));

            // resumed while S3 is still down: it retries; S3 comes back; the run finishes, ingest and fine-tune kept
            env.put("SIFT_S3_RETRY_SECONDS", "120");
            SiftProcess resume = SiftProcess.start(home, env, "resume", Long.toString(id));
            waitFor(resume, "retrying for up to 120 s");
            Thread.sleep(1500);
            startS3(port);
            assertEquals(0, resume.waitFor(300), resume.output());
            outputs.add(resume.output());
            assertTrue(resume.output().contains("ingest: done before (attempt 1), skipped"), resume.output());
            assertTrue(resume.output().contains("fine-tune: done before (attempt 1), skipped"), resume.output());
            try (Connection c = DriverManager.getConnection(url, "postgres", DB_PASSWORD)) {
                assertEquals("SUCCEEDED", one(c, "SELECT status FROM run WHERE id = ?", id));
                assertEquals("ingest 1,fine-tune 1,score 2,filter 1,evaluate 1", one(c, "SELECT string_agg(stage "
                        + "|| ' ' || attempt, ',' ORDER BY seq) FROM stage_run WHERE run_id = ?", id));
                outputs.add(one(c, "SELECT concat_ws(' ', spec_yaml, params::text, error) FROM run WHERE id = ?",
                        id));
                outputs.add(one(c, "SELECT string_agg(concat_ws(' ', output_json, error), ' ') FROM stage_run "
                        + "WHERE run_id = ?", id));
            }
            SiftProcess show = SiftProcess.start(home, env, "runs", "show", Long.toString(id), "--format", "json");
            assertEquals(0, show.waitFor(120), show.output());
            outputs.add(show.output());
            for (String out : outputs) {
                assertFalse(out.contains(SECRET), "the S3 secret key leaked:\n" + out);
                assertFalse(out.contains(DB_PASSWORD), "the database password leaked:\n" + out);
            }
            System.out.printf("S3OutageIT: 2 S3 outages (one past the 4 s budget: exit 3; one survived by retrying), "
                    + "run %d resumed and finished; secrets searched in %d outputs and stored texts, none found%n",
                    id, outputs.size());
        } finally {
            proxy.stop();
        }
    }

    private static void waitFor(SiftProcess p, String marker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!p.output().contains(marker) && p.process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(25);
        }
        assertTrue(p.output().contains(marker), "never reached '" + marker + "':\n" + p.output());
    }

    private static String one(Connection c, String sql, long id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), sql);
                return rs.getString(1);
            }
        }
    }
}
