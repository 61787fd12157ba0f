package dev.sift.bench;

import dev.sift.data.DatasetSpec;
import dev.sift.data.Ingestor;
import dev.sift.data.KeyedHasher;
import dev.sift.data.SplitSpec;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;

/**
 * Ingest throughput and memory: a generated shop CSV of {@code rows} rows (1 in 50 an exact duplicate), the same
 * file gzipped, and the same rows as Parquet (written by DuckDB), each streamed through {@link Ingestor#scan}
 * (decode, validate, hash user ids, drop duplicates) in the same run. Peak heap is the sum of the heap pools'
 * peaks, reset before each format; peak RSS is the process's high-water mark (it includes DuckDB's native memory,
 * and is reset per format where Linux allows it).
 */
public final class IngestBenchmark {
    private IngestBenchmark() {
    }

    /** One format's pass: rows read and kept, seconds, and memory. */
    public record Row(String format, long fileBytes, long rowsRead, long kept, double seconds, double peakHeapMb,
            double peakRssMb) {
        public double rowsPerSecond() {
            return rowsRead / seconds;
        }
    }

    public record Result(long rows, double maxHeapMb, List<Row> formats) {
    }

    /** Generates the files under {@code dir} (deleted afterwards) and times each format. */
    public static Result run(long rows, Path dir) {
        try {
            Path csv = dir.resolve("shop.csv");
            Path gz = dir.resolve("shop.csv.gz");
            Path parquet = dir.resolve("shop.parquet");
            writeCsv(csv, rows);
            try (InputStream in = Files.newInputStream(csv);
                    OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
                in.transferTo(out);
            }
            writeParquet(csv, parquet);
            Path warm = dir.resolve("warm-up.csv");
            writeCsv(warm, Math.min(rows, 200_000));
            List<Row> out = new ArrayList<>();
            try {
                pass("csv", warm); // unmeasured: the JIT compiles the hot paths here, not in the first format
                out.add(pass("csv", csv));
                out.add(pass("csv.gz", gz));
                out.add(pass("parquet", parquet));
            } finally {
                Files.deleteIfExists(csv);
                Files.deleteIfExists(warm);
                Files.deleteIfExists(gz);
                Files.deleteIfExists(parquet);
            }
            return new Result(rows, Runtime.getRuntime().maxMemory() / 1048576.0, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Row pass(String format, Path file) throws IOException {
        DatasetSpec d = new DatasetSpec(file.toString(), null, format.equals("parquet") ? "parquet" : "csv", ',',
                new DatasetSpec.Columns("query", "title", "description", "label", null, "user", null));
        Ingestor ingestor = new Ingestor(d, new TaskSpec(TaskType.GRADED, 1, 4), new SplitSpec(0.2, 0.0, 0.2, 1),
                new KeyedHasher("bench-ingest-key-0123".getBytes(StandardCharsets.UTF_8)));
        System.gc();
        resetPeaks();
        long[] bad = {0};
        long t0 = System.nanoTime();
        Ingestor.Scan s;
        try (InputStream in = Files.newInputStream(file)) {
            s = ingestor.scan(in, file.getFileName().toString(), x -> { }, q -> bad[0]++);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Row(format, Files.size(file), s.rowsRead(), s.kept(), seconds, peakHeapMb(), peakRssMb());
    }

    /** query, title, description, label, user; every 50th row repeats the one before it. */
    static void writeCsv(Path file, long rows) throws IOException {
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
                StandardCharsets.UTF_8), 1 << 16)) {
            w.write("query,title,description,label,user\n");
            long r = 0;
            for (long i = 0; i < rows; i++) {
                r = i % 50 == 49 ? r : i;
                long q = r % 100_000;
                w.write("query " + q + ",\"Product " + r + ", size " + (r % 7) + "\",A description of product "
                        + r + " for query " + q + "," + (1 + (r * 7 + q) % 4) + ",user" + (r % 10_000) + "\n");
            }
        }
    }

    private static void writeParquet(Path csv, Path parquet) throws IOException {
        try (Connection c = new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new Properties());
                Statement st = c.createStatement()) {
            st.execute("SET memory_limit = '512MB'");
            st.execute("COPY (SELECT * FROM read_csv('" + csv + "', header = true)) TO '" + parquet
                    + "' (FORMAT parquet, ROW_GROUP_SIZE 100000)");
        } catch (SQLException e) {
            throw new IOException("DuckDB could not write " + parquet + ": " + e.getMessage(), e);
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5"); // resets VmHWM on Linux
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux or not allowed: the high-water mark then covers the whole process
        }
    }

    private static double peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum / 1048576.0;
    }

    /** VmHWM from /proc/self/status, or NaN off Linux. */
    private static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // below
        }
        return Double.NaN;
    }
}
