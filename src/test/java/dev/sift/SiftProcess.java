package dev.sift;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged sift as a separate process, with its own SIFT_HOME and environment; output goes to a file. */
final class SiftProcess {
    final Process process;
    final Path log;

    private SiftProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static SiftProcess start(Path home, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Dai.djl.offline=true", "-jar", System.getProperty("sift.jar",
                        "target/quarkus-app/quarkus-run.jar")));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SIFT_HOME", home.toString());
        pb.environment().remove("SIFT_DB_URL");
        pb.environment().putAll(env);
        Path log = Files.createTempFile(home, "sift", ".log");
        return new SiftProcess(pb.redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    }

    /** Waits for the exit code (fails the test on timeout). */
    int waitFor(int seconds) throws Exception {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("sift did not finish in " + seconds + " s:\n" + output());
        }
        return process.exitValue();
    }

    String output() throws IOException {
        return Files.readString(log);
    }
}
