package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.PredictionsExport;
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
        + "sample order; with --predictions, every evaluated model's answers on the test split instead.")
public class ExportCommand implements Callable<Integer>, ArgumentCheck {
    @Parameters(index = "0", paramLabel = "RUN")
    long runId;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the file to write; it must not "
            + "exist")
    Path out;

    @Option(names = "--iteration", paramLabel = "K", description = "the iteration (from 1; default: the run's last)")
    Integer iteration;

    @Option(names = "--subset", paramLabel = "S", description = "kept, random or random-train (default: kept)")
    String subset;

    @Option(names = "--predictions", description = "write the test split's predictions instead: every pair, as each "
            + "model the iteration evaluated answered it (subset, seed, texts, label, score, prediction; probability "
            + "and threshold for binary tasks), to recompute the run's test metrics elsewhere (default iteration: the "
            + "last with stored predictions)")
    boolean predictions;

    @Option(names = "--format", paramLabel = "F", description = "csv or jsonl (default: jsonl for a name ending in "
            + ".jsonl, .ndjson or .json, else csv)")
    String format;

    @Mixin
    VerboseOption verbose;

    @Inject
    SubsetExport export;

    @Inject
    PredictionsExport predictionRows;

    @Inject
    RunStore runs;

    @Override
    public void checkArguments() {
        if (iteration != null && iteration < 1) {
            throw SiftException.usage("--iteration must be 1 or more, got " + iteration);
        }
        if (predictions && subset != null) {
            throw SiftException.usage("--predictions writes every model's test answers; --subset chooses training "
                    + "samples: give one of them");
        }
        if (subset != null && !SubsetExport.SUBSETS.contains(subset)) {
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
        SubsetExport.Rows rows = predictions ? predictionRows.rows(run, iteration)
                : export.rows(run, iteration, subset == null ? "kept" : subset);
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
        System.err.printf("wrote %,d %s of run %d, iteration %d, %s, to %s (%s)%n", rows.cells().size(),
                predictions ? "test predictions" : "samples", runId, rows.iteration(), predictions
                        ? "every evaluated model" : "subset " + (subset == null ? "kept" : subset), out, jsonl()
                                ? "JSON Lines" : "CSV");
        return ExitCodes.OK;
    }
}
