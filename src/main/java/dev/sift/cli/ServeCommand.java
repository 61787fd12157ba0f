package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.schedule.Schedules;
import io.quarkus.runtime.Quarkus;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sift serve}: a node of the schedule cluster until SIGTERM or Ctrl-C. SiftMain starts Quartz for this command
 * only ({@code quarkus.scheduler.start-mode=forced}), so the scheduler is running when this runs.
 */
@Command(name = "serve", description = "Run schedules: this process joins the cluster of sift serve nodes on the "
        + "configured PostgreSQL and runs the firings it takes, until SIGTERM or Ctrl-C. A run cut short by the stop "
        + "is resumed by another node (or this one when it starts again).")
public class ServeCommand implements Callable<Integer> {
    @Mixin
    VerboseOption verbose;

    @Inject
    Schedules schedules;

    @Override
    public Integer call() {
        String node = schedules.runningNode().orElseThrow(() -> new IllegalStateException("the scheduler did not "
                + "start"));
        System.err.println("sift serve: node " + node + " running " + schedules.list().size() + " schedule(s); "
                + "SIGTERM or Ctrl-C stops it");
        Quarkus.waitForExit();
        return ExitCodes.OK;
    }
}
