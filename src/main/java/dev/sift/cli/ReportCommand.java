package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.RunReport;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift report RUN [--compare RUN...] --out FILE}: {@link RunReport}. */
@Command(name = "report", description = "Write a run's report as one self-contained HTML file that opens offline "
        + "(nothing leaves the page): parameters, test metrics with their intervals, the pruning curves (kept vs "
        + "random vs full) overlaid across the compared runs, a histogram of each method's scores with the "
        + "known-noisy samples marked, the lineage, and the 20 most and least valuable samples with their "
        + "explanation.")
public class ReportCommand implements Callable<Integer>, ArgumentCheck {
    @Parameters(index = "0", paramLabel = "RUN")
    long runId;

    @Option(names = "--compare", arity = "1..*", paramLabel = "RUN", description = "other runs shown beside it: "
            + "parameters and metrics side by side, curves overlaid")
    List<Long> compare = List.of();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the HTML file to write")
    Path out;

    @Mixin
    VerboseOption verbose;

    @Inject
    RunReport report;

    @Override
    public void checkArguments() {
        if (out.toString().isBlank() || Files.isDirectory(out)) {
            throw SiftException.usage("--out " + (out.toString().isBlank() ? "is empty" : out + " is a folder")
                    + "; name a file (the HTML page to write)");
        }
        if (Files.isRegularFile(out) && !writtenBySift(out)) { // a report or an empty file is rewritten, else kept
            throw SiftException.usage("--out " + out + " exists and is not a report Sift wrote; name a new file or "
                    + "remove it first");
        }
    }

    /** Whether the file is empty or its head has the generator tag every report carries. */
    static boolean writtenBySift(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return Files.size(file) == 0 || new String(in.readNBytes(4096), StandardCharsets.UTF_8).contains("<meta name=\"generator\" "
                    + "content=\"sift\">");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Integer call() {
        checkArguments();
        String html = report.html(runId, compare);
        Path tmp = null;
        try {
            Path parent = out.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            if (Files.exists(out) && !Files.isRegularFile(out)) { // /dev/stdout, a pipe: written as it is
                Files.writeString(out, html, StandardCharsets.UTF_8);
            } else {
                // written beside, then renamed over --out: a reader never sees half a page, a failed write leaves the
                // earlier report, and a symbolic link at --out is replaced rather than written through (the report
                // it pointed to stays as it was); createFile, not createTempFile: the umask's permissions, not 0600
                try {
                    tmp = Files.createFile(parent.resolve(".sift-report-" + java.util.UUID.randomUUID() + ".tmp"));
                } catch (java.nio.file.AccessDeniedException e) {
                    if (!Files.isWritable(out)) {
                        throw e;
                    }
                }
                if (tmp == null) { // a writable report in a folder this user cannot write in
                    Files.writeString(out, html, StandardCharsets.UTF_8);
                } else {
                    Files.writeString(tmp, html, StandardCharsets.UTF_8);
                    replace(tmp, out, html);
                }
            }
        } catch (IOException e) {
            throw SiftException.usage("cannot write " + out + ": " + dev.sift.IoReason.ofWrite(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // left behind; the error above says what failed
                }
            }
        }
        System.err.printf("wrote %s (%,d bytes)%n", out, html.getBytes(StandardCharsets.UTF_8).length);
        return ExitCodes.OK;
    }

    /**
     * Renames {@code tmp} over {@code out}, keeping an earlier report's permissions; where the rename is refused (a
     * bind-mounted file, a folder this user cannot write in), writes {@code out} in place instead.
     */
    private static void replace(Path tmp, Path out, String html) throws IOException {
        try {
            if (Files.isRegularFile(out)) {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(out));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // the umask's permissions, then
        }
        try {
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.writeString(out, html, StandardCharsets.UTF_8);
        }
    }
}
