package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.store.GarbageCollector;
import jakarta.inject.Inject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift gc [--delete]}. */
@Command(name = "gc", description = "List what is stored but referenced by no row: S3 objects under datasets/, runs/ "
        + "and cache/embeddings/ whose dataset or run row is gone or was never written, and model weights no stage "
        + "output names. Lists only, unless --delete. Waits for no run: while one is under way it exits 4.")
public class GcCommand implements Callable<Integer> {
    @Mixin
    VerboseOption verbose;

    @Option(names = "--delete", description = "remove what is listed")
    boolean delete;

    @Inject
    GarbageCollector gc;

    @Override
    public Integer call() {
        GarbageCollector.Result r = gc.collect(delete);
        r.orphans().forEach(o -> System.out.println(o.name() + " " + o.bytes()));
        System.err.printf("gc: %d unreferenced (of %d objects and %d weights listed), %d bytes; %s%n",
                r.orphans().size(),
                r.objectsListed(), r.weightsListed(), r.bytes(), r.orphans().isEmpty() ? "nothing to remove"
                        : r.deleted() ? "removed" : "not removed (add --delete to remove them)");
        return ExitCodes.OK;
    }
}
