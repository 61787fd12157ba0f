package dev.sift.bench;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Wall time of whole CLI starts: the packaged jar launched N times per variant, the variants interleaved round by
 * round (so a change in the machine's load falls on all of them), the median per variant. Variants: plain
 * {@code java -jar} as the launcher ran it before AppCDS, with the AppCDS archive, and with the archive and the C1
 * compiler only (what {@code ./sift} now does for short commands), and that with {@code -Dsift.full-start=true}
 * ({@code ./sift} before commands without a database started without the datasource and Hibernate ORM, and before
 * help requests were answered without booting Quarkus; for a command with a database it is the same start). The
 * archive is made as {@code ./sift} makes it: from a full {@code --help} start.
 */
public final class StartBenchmark {
    /** SiftMain's switch that starts the datasource and Hibernate ORM also for commands without a database. */
    static final String FULL_START = "sift.full-start";

    /** One way of starting the JVM. */
    public record Variant(String name, List<String> jvmOptions) {
    }

    /** A variant's wall times in seconds, in launch order, and their median. */
    public record Timing(Variant variant, double[] seconds, double median) {
    }

    /** All timings, the load average before and after, the archive used and whether this run created it. */
    public record Result(List<Timing> timings, String loadBefore, String loadAfter, Path archive, boolean created) {
    }

    private StartBenchmark() {
    }

    public static List<Variant> variants(Path archive) {
        List<String> cds = List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
        List<String> c1 = new ArrayList<>(cds);
        c1.add("-XX:TieredStopAtLevel=1");
        List<String> full = new ArrayList<>(c1);
        full.add("-D" + FULL_START + "=true");
        return List.of(new Variant("plain", List.of()), new Variant("appcds", cds), new Variant("appcds+c1", c1),
                new Variant("appcds+c1+full-start", full));
    }

    /** Runs {@code args} {@code runs} times per variant; creates the archive from a {@code --help} run if missing. */
    public static Result run(Path jar, Path archive, List<String> args, int runs) {
        boolean created = false;
        if (!Files.isRegularFile(archive)) {
            launch(jar, List.of("-XX:ArchiveClassesAtExit=" + archive, "-D" + FULL_START + "=true"), List.of("--help"));
            created = true;
        }
        List<Variant> variants = variants(archive);
        double[][] seconds = new double[variants.size()][runs];
        String before = BenchData.loadAverage();
        for (int r = 0; r < runs; r++) {
            for (int k = 0; k < variants.size(); k++) {
                int v = (r + k) % variants.size(); // a different variant goes first in each round
                seconds[v][r] = launch(jar, variants.get(v).jvmOptions(), args);
            }
        }
        String after = BenchData.loadAverage();
        List<Timing> timings = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            timings.add(new Timing(variants.get(v), seconds[v], median(seconds[v])));
        }
        return new Result(timings, before, after, archive, created);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** One start: the JVM the benchmark runs on, {@code -Xmx4g} as the launcher's default, output discarded. */
    private static double launch(Path jar, List<String> jvmOptions, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:disable", "-Xlog:all=error:stderr"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-Xmx4g", "-Dai.djl.offline=true", "-jar", jar.toString()));
        cmd.addAll(args);
        String what = "sift " + String.join(" ", args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        long start = System.nanoTime();
        try {
            Process p = pb.start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SiftException(ExitCodes.FAILURE, what + " did not finish in 300 s");
            }
            if (p.exitValue() != 0) {
                throw new SiftException(ExitCodes.FAILURE, what + " exited with " + p.exitValue());
            }
        } catch (IOException e) {
            throw new SiftException(ExitCodes.ENVIRONMENT, "cannot start " + cmd.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SiftException(ExitCodes.FAILURE, "interrupted");
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
