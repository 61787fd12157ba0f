package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.bench.BenchData;
import dev.sift.bench.IngestBenchmark;
import dev.sift.history.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift bench ingest}: {@link IngestBenchmark}. */
@Command(name = "ingest", description = "Streams a generated shop file through ingest (decode, validate, hash, "
        + "deduplicate) as plain CSV, gzipped CSV and Parquet in the same run; prints rows/s, the ratio to plain "
        + "CSV, peak heap and peak RSS. Run with a small -Xmx to see that memory stays bounded.")
public class IngestBenchCommand implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "1000000", description = "rows generated (default: ${DEFAULT-VALUE})")
    long rows;

    @Option(names = "--dir", description = "folder for the generated files (default: a new temporary folder)")
    Path dir;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws IOException {
        SiftException.atLeast("--rows", rows, 1);
        Path d;
        try {
            d = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("sift-bench-ingest-");
        } catch (IOException e) {
            throw SiftException.usage((dir == null ? "cannot create a temporary folder" : "--dir: cannot create "
                    + dir) + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        System.out.println("load average before: " + BenchData.loadAverage());
        IngestBenchmark.Result r = IngestBenchmark.run(rows, d);
        if (dir == null) {
            Files.deleteIfExists(d);
        }
        Table t = new Table(List.of("format", "file_mb", "rows", "kept", "seconds", "rows_per_s", "vs_csv",
                "peak_heap_mb", "peak_rss_mb"));
        double csv = r.formats().get(0).rowsPerSecond();
        for (IngestBenchmark.Row row : r.formats()) {
            t.add(row.format(), String.format("%.1f", row.fileBytes() / 1048576.0), row.rowsRead(), row.kept(),
                    String.format("%.2f", row.seconds()), String.format("%.0f", row.rowsPerSecond()),
                    String.format("%.2f", row.rowsPerSecond() / csv), String.format("%.0f", row.peakHeapMb()),
                    String.format("%.0f", row.peakRssMb()));
        }
        System.out.print(t.text());
        System.out.printf("max heap %.0f MB; duplicate detection holds 16 bytes per kept row; rows are not "
                + "collected (the split, in a real run, needs them all)%n", r.maxHeapMb());
        System.out.println("load average after: " + BenchData.loadAverage());
        return ExitCodes.OK;
    }
}
