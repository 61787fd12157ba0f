package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sift command end to end: real embedded PostgreSQL, in-process S3Proxy, DJL training on CPU. */
@QuarkusMainTest
@QuarkusTestResource(PostgresResource.class)
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static long runId(LaunchResult r) {
        Matcher m = Pattern.compile("run (\\d+) \\(").matcher(r.getErrorOutput());
        assertTrue(m.find(), r.getErrorOutput());
        return Long.parseLong(m.group(1));
    }

    /** Runs of one workflow in the test database, counted directly so that no extra launch is needed. */
    private static long runsOf(String workflow) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(System.getProperty("test.sift.db.url"));
                java.sql.PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM run WHERE workflow = ?")) {
            ps.setString(1, workflow);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void badRowsAreQuarantinedAndCounted(QuarkusMainLauncher launcher, @TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("query,title,label,user\n");
        for (int q = 0; q < 12; q++) {
            for (int i = 0; i < 4; i++) {
                csv.append("query ").append(q).append(",product ").append(q).append(' ').append(i).append(',')
                        .append(i).append(",shopper-").append(q).append('\n');
            }
        }
        csv.append("too,many,columns,here,shopper-50\n"); // line 50
        csv.append(",no query,1,shopper-51\n"); // line 51
        csv.append("no title,,1,shopper-52\n"); // line 52
        csv.append("x,y,three,shopper-53\n"); // line 53
        csv.append("x,y,9,shopper-54\n"); // line 54
        Path data = dir.resolve("shop.csv");
        Files.writeString(data, csv);
        try (var out = Files.newOutputStream(data, java.nio.file.StandardOpenOption.APPEND)) {
            out.write(new byte[] {'b', 'a', 'd', ',', 'x', (byte) 0xFF, 'y', ',', '1', ','}); // line 55
            out.write("shopper-55\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Path wf = dir.resolve("wf.yaml");
        Files.writeString(wf, """
                name: quarantine
                dataset:
                  path: shop.csv
                  columns: {query: query, title: title, label: label, user_id: user}
                fine_tune: {epochs: 1}
                model: {buckets: 128, dim: 8, hidden: 8}
                iterations: 1
                """);
        LaunchResult r = launcher.launch("run", wf.toString());
        assertEquals(0, r.exitCode(), r.getErrorOutput());
        String err = r.getErrorOutput();
        assertTrue(err.contains("read 54 rows: kept 48, quarantined 6"), err);
        for (String line : List.of(":50: has 5 columns", ":51: field 'query': empty query",
                ":52: field 'title': empty title", ":53: field 'label': label is not a number",
                ":54: field 'label': label 9 is out of range", ":55: field 'title': invalid UTF-8")) {
            assertTrue(err.contains(line), line + " missing in:\n" + err);
        }
        long id = runId(r);
        JsonNode detail = JSON.readTree(launcher.launch("runs", "show", Long.toString(id), "--format", "json")
                .getOutput());
        JsonNode ingest = detail.get("stages").get(0).get("output");
        assertEquals(6, ingest.get("quarantined").asInt());
        assertTrue(ingest.get("quarantine_uri").asText().startsWith("s3://sift/runs/" + id + "/ingest/"));
        // the quarantine object, read from the S3Proxy filesystem store: every bad row with line and reason
        Path q = Path.of(System.getProperty("sift.home"), "s3", "sift", "runs", Long.toString(id), "ingest",
                "quarantine.jsonl");
        List<String> lines = Files.readAllLines(q);
        assertEquals(6, lines.size());
        for (int i = 0; i < 6; i++) {
            JsonNode n = JSON.readTree(lines.get(i));
            assertEquals(50 + i, n.get("line").asInt());
            assertTrue(n.get("reason").asText().length() > 5);
            assertTrue(n.has("raw") && n.has("kind"));
            assertTrue(!n.get("raw").asText().contains("shopper-"), "user ids are never kept in the clear: " + n);
        }
    }

    @Test
    void invalidWorkflowFailsBeforeAnyWorkWithOneLine(QuarkusMainLauncher launcher, @TempDir Path dir)
            throws Exception {
        Path wf = dir.resolve("bad.yaml");
        Files.writeString(wf, "name: bad\ndataset:\n  generate: {rows: 100}\nfilter:\n  keep: 1.5\n");
        LaunchResult r = launcher.launch("run", wf.toString());
        assertEquals(2, r.exitCode());
        assertEquals(wf + ":5: filter.keep: must be a fraction in (0, 1], got 1.5", r.getErrorOutput().trim());
        Files.writeString(wf, "name: bad\ndataset:\n  generate: {rows: 100}\nfilter:\n  kep: 0.5\n");
        r = launcher.launch("run", wf.toString());
        assertEquals(2, r.exitCode());
        assertEquals(wf + ":5: filter.kep: unknown key (did you mean 'keep'?)", r.getErrorOutput().trim());
        assertEquals(0, runsOf("bad"), "an invalid workflow created a run");
    }

    @Test
    void failedRunResumesFromTheFailedStage(QuarkusMainLauncher launcher, @TempDir Path dir) throws Exception {
        Path data = dir.resolve("shop.csv");
        try (var w = Files.newBufferedWriter(data)) {
            dev.sift.data.SyntheticShop.writeCsv(dev.sift.data.SyntheticShop.generate(300, 0.1, 5), w);
        }
        Path wf = dir.resolve("wf.yaml");
        Files.writeString(wf, """
                name: resumable
                dataset:
                  path: shop.csv
                  columns: {query: query, title: product_title, label: relevance}
                fine_tune: {epochs: 1}
                model: {buckets: 128, dim: 8, hidden: 8}
                iterations: 1
                """);
        Path moved = dir.resolve("elsewhere.csv");
        // validation sees the file; it disappears before ingest reads it, so ingest fails
        LaunchResult first;
        Files.move(data, moved);
        // a row whose label is no number: ingest finds no valid row (a header alone is refused before the run)
        Files.writeString(data, "query,product_title,relevance\nred lamp,lamp,high\n");
        first = launcher.launch("run", wf.toString());
        assertEquals(2, first.exitCode(), first.getErrorOutput());
        assertTrue(first.getErrorOutput().contains("no valid rows (1 quarantined"), first.getErrorOutput());
        long id = runId(first);
        Files.move(moved, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        LaunchResult resumed = launcher.launch("resume", Long.toString(id));
        assertEquals(0, resumed.exitCode(), resumed.getErrorOutput());
        JsonNode detail = JSON.readTree(launcher.launch("runs", "show", Long.toString(id), "--format", "json")
                .getOutput());
        assertEquals("SUCCEEDED", detail.get("run").get("status").asText());
        assertEquals(2, detail.get("stages").get(0).get("attempt").asInt());
        assertEquals(5, detail.get("stages").size());
    }

    @Test
    void tooFewQueriesAndAllRowsBadStopIngestWithTheReason(QuarkusMainLauncher launcher, @TempDir Path dir)
            throws Exception {
        StringBuilder two = new StringBuilder("query,product_title,relevance\n");
        StringBuilder bad = new StringBuilder("query,product_title,relevance\n");
        for (int i = 0; i < 40; i++) {
            two.append(i % 2 == 0 ? "red lamp" : "oak desk").append(",item ").append(i).append(',').append(i % 4)
                    .append('\n');
            bad.append("query ").append(i % 10).append(",item ").append(i).append(",high\n");
        }
        Files.writeString(dir.resolve("two.csv"), two);
        Files.writeString(dir.resolve("bad.csv"), bad);
        String wf = """
                name: few
                dataset:
                  path: %s
                  columns: {query: query, title: product_title, label: relevance}
                fine_tune: {epochs: 1}
                model: {buckets: 128, dim: 8, hidden: 8}
                iterations: 1
                """;
        Files.writeString(dir.resolve("two.yaml"), wf.formatted("two.csv"));
        LaunchResult r = launcher.launch("run", dir.resolve("two.yaml").toString());
        assertEquals(2, r.exitCode(), r.getErrorOutput());
        assertTrue(r.getErrorOutput().contains("only 2 distinct queries among 40 valid rows: too few to split"),
                r.getErrorOutput());
        assertTrue(r.getErrorOutput().contains("validation, utility and test would be empty"), r.getErrorOutput());
        Files.writeString(dir.resolve("bad.yaml"), wf.formatted("bad.csv"));
        r = launcher.launch("run", dir.resolve("bad.yaml").toString());
        assertEquals(2, r.exitCode(), r.getErrorOutput());
        List<String> lines = r.getErrorOutput().lines().filter(l -> l.startsWith("sift:")).toList();
        assertEquals(1, lines.size(), r.getErrorOutput());
        // the reason and the first row in the one line, and how to go on
        assertTrue(lines.get(0).matches(".*no valid rows \\(40 quarantined: .* 40; the first: .*bad\\.csv:2: .*"
                + "relevance.*"), lines.get(0));
        assertTrue(lines.get(0).contains("a change to the workflow: 'sift run' it again"), lines.get(0));

        // a binary log with one click: the splits without it are warned about, the run goes on
        StringBuilder clicks = new StringBuilder("query,product_title,relevance\n");
        for (int i = 0; i < 100; i++) {
            clicks.append("query ").append(i % 10).append(",item ").append(i).append(',').append(i == 0 ? 1 : 0)
                    .append('\n');
        }
        Files.writeString(dir.resolve("clicks.csv"), clicks);
        Files.writeString(dir.resolve("clicks.yaml"), wf.formatted("clicks.csv").replace("iterations: 1",
                "task: {type: binary}\nevaluate: {seeds: 1, zero_shot: false}\niterations: 1"));
        r = launcher.launch("run", dir.resolve("clicks.yaml").toString());
        assertEquals(0, r.exitCode(), r.getErrorOutput());
        assertTrue(r.getErrorOutput().matches("(?s).*warning: every one of the \\d+ (validation|utility|test|train) "
                + "pairs has label 0: .*"), r.getErrorOutput());
    }

    @Test
    void userBertCheckpointFineTunesAndABrokenOneFailsNamingTheTensor(QuarkusMainLauncher launcher,
            @TempDir Path dir) throws Exception {
        dev.sift.model.TinyBert.write(dir.resolve("tiny-bert"), 1, null);
        dev.sift.model.TinyBert.write(dir.resolve("broken-bert"), 1, "encoder.layer.0.attention.self.key.weight");
        String wf = """
                name: tiny-bert
                dataset:
                  generate: {rows: 200, noise: 0.1, seed: 3}
                model: {encoder: bert, source: %s, mode: full, max_length: 32}
                fine_tune: {epochs: 1, batch_size: 16, learning_rate: 0.001}
                iterations: 1
                """;
        Files.writeString(dir.resolve("ok.yaml"), wf.formatted("tiny-bert"));
        LaunchResult ok = launcher.launch("run", dir.resolve("ok.yaml").toString());
        assertEquals(0, ok.exitCode(), ok.getErrorOutput());
        assertTrue(ok.getOutput().contains("zero-shot"), ok.getOutput());
        Files.writeString(dir.resolve("broken.yaml"), wf.formatted("broken-bert"));
        LaunchResult broken = launcher.launch("run", dir.resolve("broken.yaml").toString());
        assertEquals(2, broken.exitCode(), broken.getErrorOutput());
        List<String> lines = broken.getErrorOutput().lines().filter(l -> l.startsWith("sift:")).toList();
        assertEquals(1, lines.size(), broken.getErrorOutput());
        assertTrue(lines.get(0).contains("checkpoint has no tensor encoder.layer.0.attention.self.key.weight"),
                lines.get(0));
    }

    @Test
    void runsOfADeadProcessAreListedAsStaleAndInterruptedOnesAreListed(QuarkusMainLauncher launcher)
            throws Exception {
        assertEquals(0, launcher.launch("runs", "list").exitCode()); // the test database is up from here on
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(System.getProperty("test.sift.db.url"));
                java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO run (name, workflow, workflow_path, "
                        + "spec_yaml, status, owner_host, owner_pid) VALUES (?, 'w', '/w.yaml', 'name: w', ?, ?, ?)")) {
            for (String[] run : new String[][] {{"ghost-run", "RUNNING"}, {"stopped-run", "INTERRUPTED"}}) {
                ps.setString(1, run[0]);
                ps.setString(2, run[1]);
                ps.setString(3, dev.sift.store.RunStore.host());
                ps.setLong(4, gone.pid());
                ps.executeUpdate();
            }
        }
        LaunchResult list = launcher.launch("runs", "list");
        assertEquals(0, list.exitCode(), list.getErrorOutput());
        String ghost = list.getOutput().lines().filter(l -> l.contains("ghost-run")).findFirst().orElseThrow();
        assertTrue(ghost.contains("RUNNING (stale: owner process " + gone.pid() + " is gone)"), ghost);
        LaunchResult json = launcher.launch("runs", "list", "--format", "json");
        com.fasterxml.jackson.databind.JsonNode row = null;
        for (com.fasterxml.jackson.databind.JsonNode r : new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.getOutput())) {
            row = r.get("name").asText().equals("ghost-run") ? r : row;
        }
        assertEquals("RUNNING", row.get("status").asText(), "JSON keeps the status a program compares");
        assertEquals("stale: owner process " + gone.pid() + " is gone", row.get("status_note").asText());
        java.nio.file.Path page = java.nio.file.Files.createTempFile("ghost", ".html");
        assertEquals(0, launcher.launch("report", row.get("id").asText(), "--out", page.toString()).exitCode());
        assertTrue(java.nio.file.Files.readString(page).contains("RUNNING (stale: owner process " + gone.pid()
                + " is gone)"), "the report says so too");
        assertTrue(launcher.launch("runs", "show", row.get("id").asText()).getOutput().contains("RUNNING (stale: "
                + "owner process " + gone.pid() + " is gone)"), "and runs show");
        assertTrue(launcher.launch("runs", "list", "--format", "csv").getOutput().lines()
                .anyMatch(l -> l.contains("ghost-run,w,RUNNING,")), "CSV: the status alone");
        LaunchResult stopped = launcher.launch("runs", "list", "--status", "interrupted", "--format", "csv");
        assertEquals(0, stopped.exitCode(), stopped.getErrorOutput());
        assertTrue(stopped.getOutput().startsWith("id,name,workflow,status"), stopped.getOutput());
        assertTrue(stopped.getOutput().contains("stopped-run") && !stopped.getOutput().contains("ghost-run"),
                stopped.getOutput());
        assertEquals(2, launcher.launch("runs", "show", "999999").exitCode()); // no such run: exit 2
    }

    /**
     * Commands without a database start without the datasource and Hibernate ORM (SiftMain sets them inactive),
     * and the next start in the same JVM has both again.
     */
    @Test
    void aStartWithoutTheDatabaseLeavesTheNextStartItsDatabase(QuarkusMainLauncher launcher) {
        LaunchResult help = launcher.launch("--help");
        assertEquals(0, help.exitCode(), help.getErrorOutput());
        assertTrue(help.getOutput().startsWith("Usage: sift"), help.getOutput());
        LaunchResult validate = launcher.launch("validate", "workflows/quickstart.yaml");
        assertEquals(0, validate.exitCode(), validate.getErrorOutput());
        assertTrue(validate.getOutput().contains("name: quickstart"), validate.getOutput());
        assertTrue(validate.getOutput().contains("#   split.utility = 0.0\n"), validate.getOutput());
        assertTrue(validate.getOutput().contains("#   split.validation = 0.1"), "the defaults, resolved");
        LaunchResult list = launcher.launch("runs", "list");
        assertEquals(0, list.exitCode(), list.getErrorOutput());
        assertTrue(list.getOutput().startsWith("id"), list.getOutput());
    }
}
