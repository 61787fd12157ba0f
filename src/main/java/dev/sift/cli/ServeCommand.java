package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.ReportServer;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift serve [--port N]}: {@link ReportServer} until the process is stopped. */
@Command(name = "serve", description = "Serve the reports over HTTP on 127.0.0.1 until stopped (Ctrl-C): /runs (the "
        + "newest runs; ?where=EXPR&workflow=W&limit=N as runs list), /runs/ID (a run's report, as sift report writes "
        + "it) and /compare?runs=ID,ID... (the first run's report beside the others).")
public class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: "
            + "any free port)")
    int port;

    @Mixin
    VerboseOption verbose;

    @Inject
    ReportServer server;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw SiftException.usage("--port must be 0..65535, got " + port);
        }
        ReportServer.Handle handle;
        try {
            handle = server.start(port);
        } catch (IOException e) {
            throw SiftException.usage("cannot serve on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            handle.close();
            stopped.countDown();
        }, "sift-serve-stop"));
        System.err.println("serving " + handle.runs() + " (Ctrl-C stops)");
        stopped.await();
        return ExitCodes.OK;
    }
}
