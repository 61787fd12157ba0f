package dev.sift.workflow;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress messages for people, on stderr (stdout stays for results). Long loops get a progress bar when
 * stderr is a terminal, plain lines otherwise.
 */
public final class Console {
    private final PrintStream err;
    private final boolean terminal;

    /** Where {@link #info} also keeps its lines while a stage records them ({@link #record}), or null. */
    private volatile java.util.List<String> recorded;

    public Console(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A {@link #record} under way; closing it stops the recording. */
    public interface Recording extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Keeps every line {@link #info} prints into {@code into} as well, until the handle closes: what a stage said, for
     * a later run that reuses its output to repeat (the ingest's quarantine and warnings).
     */
    public Recording record(java.util.List<String> into) {
        java.util.List<String> before = recorded;
        java.util.List<String> list = java.util.Collections.synchronizedList(into);
        recorded = list;
        return () -> recorded = before; // a recording within another gives the outer one back
    }

    public static Console system() {
        return new Console(System.err, System.console() != null && System.getenv("SIFT_PLAIN") == null);
    }

    /** Prints a line, unless the process is stopping: the shutdown hook's INTERRUPTED line is then the last word. */
    public void info(String message) {
        if (dev.sift.store.InterruptedRuns.shuttingDown()) {
            return;
        }
        err.println(message);
        err.flush();
        java.util.List<String> r = recorded; // read once: a close on another thread may clear it
        if (r != null) {
            r.add(message);
        }
    }

    /** A progress sink for a loop of {@code total} steps. */
    public Bar bar(String task, long total) {
        if (!terminal || total <= 1) {
            return new Bar(null);
        }
        ProgressBar pb = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(
                        err)).setUpdateIntervalMillis(200).build();
        return new Bar(pb);
    }

    /** Progress of one loop; a no-op without a terminal. */
    public static final class Bar implements AutoCloseable {
        private final ProgressBar pb;

        Bar(ProgressBar pb) {
            this.pb = pb;
        }

        public void stepTo(long n) {
            if (pb != null) {
                pb.stepTo(n);
            }
        }

        public void maxHint(long n) {
            if (pb != null) {
                pb.maxHint(n);
            }
        }

        @Override
        public void close() {
            if (pb != null) {
                pb.close();
            }
        }
    }
}
