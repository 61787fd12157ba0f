package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.ReportServer;
import dev.sift.schedule.Schedules;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sift serve [--port N]}: a node of the schedule cluster until SIGTERM or Ctrl-C (SiftMain starts Quartz for
 * this command only, {@code quarkus.scheduler.start-mode=forced}), and with {@code --port} the report pages of
 * {@link ReportServer} on 127.0.0.1, the same renderer as {@code sift report}.
 */
@Command(name = "serve", description = "Run schedules: this process joins the cluster of sift serve nodes on the "
        + "configured PostgreSQL and runs the firings it takes, until SIGTERM or Ctrl-C. A run cut short by the stop "
        + "is resumed by another node (or this one when it starts again). With --port it also serves the reports on "
        + "127.0.0.1: /runs (the newest runs; ?where=EXPR&workflow=W&limit=N as runs list), /runs/ID (a run's "
        + "report, as sift report writes it) and /compare?runs=ID,ID... (the first run's report beside the others).")
public class ServeCommand implements Callable<Integer>, ArgumentCheck {
    @Option(names = "--port", paramLabel = "N", description = "also serve the report pages on 127.0.0.1:N (0: any "
            + "free port); without it, no HTTP server")
    Integer port;

    @Mixin
    VerboseOption verbose;

    @Inject
    Schedules schedules;
    @Inject
    ReportServer server;

    @Override
    public void checkArguments() {
        if (port != null && (port < 0 || port > 65535)) {
            throw SiftException.usage("--port must be 0..65535, got " + port);
        }
    }

    @Override
    public Integer call() {
        checkArguments();
        String node = schedules.runningNode().orElseThrow(() -> new IllegalStateException("the scheduler did not "
                + "start"));
        ReportServer.Handle pages = null;
        if (port != null) {
            try {
                pages = server.start(port);
            } catch (IOException e) {
                throw SiftException.usage("cannot serve on 127.0.0.1:" + port + ": " + e.getMessage());
            }
        }
        System.err.println("sift serve: node " + node + " running " + schedules.list().size() + " schedule(s)"
                + (pages == null ? "" : "; reports at " + pages.runs()) + "; SIGTERM or Ctrl-C stops it");
        try {
            Quarkus.waitForExit();
        } finally {
            // a probe's: SIGTERM ended serve without a word (exit code 143)
            System.err.println("sift serve: node " + node + " stopping; a firing under way is marked INTERRUPTED and "
                    + "its run resumes on the next serve");
            if (pages != null) {
                pages.close();
            }
        }
        return ExitCodes.OK;
    }
}
