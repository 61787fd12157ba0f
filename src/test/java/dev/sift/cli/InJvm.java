package dev.sift.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Runs sift commands in the test's JVM, against the application the test started (no new launch), with stdout and
 * stderr captured; and one small real run per JVM, made once and shared by the tests that read a run.
 */
final class InJvm {
    /**
     * The quickstart made small: 300 rows, one epoch, two seeds, a one-point kept-fraction curve, two methods, and the
     * better half by label quality kept (its 10 training queries are too few for drop_groups, which would keep all).
     */
    static final String[] TINY_RUN = {"run", "workflows/quickstart.yaml", "--name", "tiny-report", "--set",
        "dataset.generate.rows=300", "--set", "fine_tune.epochs=1", "--set", "model.buckets=256", "--set",
        "evaluate.seeds=2", "--set", "evaluate.curve=[0.5]", "--set", "evaluate.zero_shot=false", "--set",
        "score.methods=[loss,label_quality]", "--set", "filter.policy=top_fraction"};
    private static Long tinyRun;

    private InJvm() {
    }

    record Out(int code, String out, String err) {
    }

    static synchronized Out sift(CommandLine.IFactory factory, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = SiftApplication.commandLine(factory).execute(args);
            return new Out(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** The id of {@link #TINY_RUN}, run the first time a test asks (about 20 s on two cores). */
    static synchronized long tinyRun(CommandLine.IFactory factory) {
        if (tinyRun == null) {
            Out r = sift(factory, TINY_RUN);
            if (r.code() != 0) {
                throw new AssertionError("the tiny run failed (" + r.code() + "): " + r.err());
            }
            Matcher m = Pattern.compile("run (\\d+) \\(").matcher(r.err());
            if (!m.find()) {
                throw new AssertionError("no run id in: " + r.err());
            }
            tinyRun = Long.parseLong(m.group(1));
        }
        return tinyRun;
    }
}
