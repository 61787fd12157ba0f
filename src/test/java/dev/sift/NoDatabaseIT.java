package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands that promise to need no database and no S3, run as the packaged jar with a database URL that
 * cannot be reached: they must still succeed, and start no embedded server. (Inside a {@code QuarkusMainTest}
 * a database is always there, so this can only be seen from outside.)
 */
class NoDatabaseIT {
    @TempDir
    Path home;

    private String[] run(String... args) throws Exception {
        return run(List.of(), args);
    }

    private String[] run(List<String> jvmOptions, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-jar", System.getProperty("sift.jar", "target/quarkus-app/quarkus-run.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SIFT_HOME", home.toString());
        pb.environment().put("SIFT_DB_URL", "jdbc:postgresql://127.0.0.1:1/unreachable");
        pb.environment().put("SIFT_S3_ENDPOINT", "http://127.0.0.1:1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", args));
        return new String[] {Integer.toString(p.exitValue()), out};
    }

    @Test
    void helpVersionValidateAndGenerateNeedNoDatabase() throws Exception {
        String[] help = run("--help");
        assertEquals("0", help[0], help[1]);
        assertTrue(help[1].contains("Usage: sift"), help[1]);
        String[] version = run("--version");
        assertEquals("0", version[0], version[1]);
        assertTrue(version[1].startsWith("sift "), version[1]);
        String[] validate = run("validate", "workflows/quickstart.yaml");
        assertEquals("0", validate[0], validate[1]);
        assertTrue(validate[1].contains("name: quickstart"), validate[1]);
        Path out = home.resolve("g.csv");
        String[] gen = run("data", "generate", "--out", out.toString(), "--rows", "60");
        assertEquals("0", gen[0], gen[1]);
        List<String> lines = Files.readAllLines(out);
        assertEquals(61, lines.size());
        assertEquals("query,product_title,product_description,relevance,user_id,is_noisy", lines.get(0));
        assertFalse(Files.exists(home.resolve("pg")), "an embedded PostgreSQL was started");
    }

    /**
     * A command asked for more than the heap holds ends in one line and the environment's exit code (a probe's bench
     * grand --batch 2000000000 ended in Quarkus's 27-line trace of an OutOfMemoryError, exit 1).
     */
    @Test
    void runningOutOfHeapIsOneLine() throws Exception {
        String[] out = run(List.of("-Xmx64m"), "bench", "knn", "--train", "50000000", "--dim", "64");
        assertEquals("3", out[0], out[1]);
        assertTrue(out[1].strip().matches("(?s).*sift: out of memory \\([^)]*(heap|array size)[^)]*\\): ask for less "
                + "\\(smaller --batch, --train, --samples or data\\) or give the JVM more heap \\(SIFT_JAVA_OPTS=-Xmx8g\\); "
                + "a run it stopped is resumable \\(sift resume\\)"), out[1]);
        assertFalse(out[1].contains("\tat "), "no stack trace: " + out[1]);
    }

    /** A misspelt AdamW choice stops the start with one line and the usage exit code, before any command runs. */
    @Test
    void aMisspeltAdamWStopsTheStart() throws Exception {
        String[] out = run(List.of("-Dsift.adamw=flta"), "validate", "workflows/quickstart.yaml");
        assertEquals("2", out[0], out[1]);
        assertEquals("sift: SIFT_ADAMW (or -Dsift.adamw) is 'flta': use flat, kernel or djl", out[1].strip());
    }

    /**
     * --help starts without the datasource and Hibernate ORM: no pool, no SessionFactory, and no Quarkus boot at all
     * (SiftMain prints the usage itself); a full start has all of them and prints the same text.
     */
    @Test
    void helpCreatesNoPoolAndNoSessionFactory() throws Exception {
        String[] texts = new String[2];
        for (boolean full : new boolean[] {false, true}) {
            Path classes = home.resolve("classes-" + full + ".txt");
            List<String> options = new ArrayList<>(List.of("-Xlog:class+load=info:file=" + classes));
            if (full) {
                options.add("-Dsift.full-start=true");
            }
            String[] help = run(options, "--help");
            assertEquals("0", help[0], help[1]);
            assertTrue(help[1].contains("Usage: sift"), help[1]);
            String loaded = Files.readString(classes);
            for (String c : List.of("io.agroal.pool.ConnectionPool ", "org.hibernate.internal.SessionFactoryImpl ",
                    "io.quarkus.runtime.ApplicationLifecycleManager ")) {
                assertEquals(full, loaded.contains(c), c + (full ? "not loaded by a full start" : "loaded by --help"));
            }
            texts[full ? 1 : 0] = help[1];
        }
        assertEquals(texts[1], texts[0], "the usage text without the boot");
    }
}
