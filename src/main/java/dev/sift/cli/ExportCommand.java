package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.SubsetExport;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift runs export RUN --out FILE}: {@link SubsetExport}. */
@Command(name = "export", description = "Write the training samples an iteration kept (or its random subset) to a "
        + "new CSV or JSON Lines file, to train on elsewhere: sample, source_line, the texts, description and the label "
        + "they train on (given_label beside it where the policy replaced labels, weight where it weighted them), in "
        + "sample order.")
public class ExportCommand implements Callable<Integer>, ArgumentCheck {
    @Parameters(index = "0", paramLabel = "RUN")
    long runId;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the file to write; it must not "
            + "exist")
    Path out;

    @Option(names = "--iteration", paramLabel = "K", description = "the iteration (from 1; default: the run's last)")
    Integer iteration;

    @Option(names = "--subset", paramLabel = "S", defaultValue = "kept", description = "kept, random or random-train "
            + "(default: ${DEFAULT-VALUE})")
    String subset;

    @Option(names = "--format", paramLabel = "F", description = "csv or jsonl (default: jsonl for a name ending in "
            + ".jsonl, .ndjson or .json, else csv)")
    String format;

    @Mixin
    VerboseOption verbose;

    @Inject
    SubsetExport export;

    @Inject
    RunStore runs;

    @Override
    public void checkArguments() {
        if (iteration != null && iteration < 1) {
            throw SiftException.usage("--iteration must be 1 or more, got " + iteration);
        }
        if (!SubsetExport.SUBSETS.contains(subset)) {
            throw SiftException.usage("--subset must be one of " + String.join(", ", SubsetExport.SUBSETS) + ", got '"
                    + subset + "'");
        }
        if (format != null && !format.equals("csv") && !format.equals("jsonl")) {
            throw SiftException.usage("--format must be csv or jsonl, got '" + format + "'");
        }
        if (out.toString().isBlank()) {
            throw SiftException.usage("--out is empty");
        }
        if (Files.exists(out)) { // an export never replaces a file: it may be the source data
            throw SiftException.usage("--out " + out + " exists" + (Files.isDirectory(out) ? " and is a folder" : "")
                    + "; sift runs export writes a new file: name one that does not exist");
        }
    }

    private boolean jsonl() {
        if (format != null) {
            return format.equals("jsonl");
        }
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json");
    }

    /**
     * {@code tmp} under the name {@code out}, which must not exist: a hard link fails when it does, where a rename
     * would replace a file written meanwhile; a file system without hard links gets a move.
     */
    private static void publish(Path tmp, Path out) throws IOException {
        try {
            Files.createLink(out, tmp);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | IOException e) {
            Files.move(tmp, out);
        }
    }

    @Override
    public Integer call() {
        checkArguments();
        RunEntity run = runs.require(runId);
        SubsetExport.Rows rows = export.rows(run, iteration, subset);
        Path parent = out.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            // createFile, not createTempFile: the file gets the umask's permissions, as a report does, not 0600
            tmp = Files.createFile(parent.resolve(".sift-export-" + java.util.UUID.randomUUID() + ".tmp"));
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                if (jsonl()) {
                    SubsetExport.jsonl(rows, w);
                } else {
                    SubsetExport.csv(rows, w);
                }
            }
            publish(tmp, out);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw SiftException.usage("--out " + out + " exists (written while the export ran); nothing was replaced");
        } catch (IOException e) {
            throw SiftException.usage("cannot write " + out + ": " + dev.sift.IoReason.ofWrite(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is left; the error above says what failed
                }
            }
        }
        System.err.printf("wrote %,d samples of run %d, iteration %d, subset %s, to %s (%s)%n", rows.cells().size(),
                runId, rows.iteration(), subset, out, jsonl() ? "JSON Lines" : "CSV");
        return ExitCodes.OK;
    }
}
