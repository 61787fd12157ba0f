package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Arguments of the benchmarks and of data generate that cannot mean anything are usage errors (exit code 2) with
 * one line naming the option, before any work: before this, --batch 0 of bench alignment looped for ever and
 * --train 0 of bench knn ended in an ArrayIndexOutOfBoundsException.
 */
class BenchArgumentsTest {
    @TempDir
    Path dir;

    private static String refused(Callable<Integer> command, String... args) {
        new CommandLine(command).parseArgs(args);
        SiftException e = assertThrows(SiftException.class, command::call, String.join(" ", args));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void meaninglessSizesAreRefused() {
        assertEquals("--batch must be at least 1, got 0", refused(new AlignmentBenchCommand(), "--batch", "0"));
        assertEquals("--max-length must be at least 2, got 0", refused(new AlignmentBenchCommand(), "--model",
                "minilm", "--max-length", "0"));
        assertEquals("--train must be at least 1, got 0", refused(new KnnBenchCommand(), "--train", "0"));
        assertEquals("--train must be at least 1, got -1", refused(new KnnBenchCommand(), "--train", "-1"));
        assertEquals("--valid must be at least 2, got 1", refused(new KnnBenchCommand(), "--valid", "1"));
        assertEquals("--reference-points 20 is more than --valid 10", refused(new KnnBenchCommand(), "--valid",
                "10"));
        assertEquals("--dim must be at least 1, got 0", refused(new KnnBenchCommand(), "--dim", "0"));
        assertEquals("--k 20 is more than --train 10", refused(new KnnBenchCommand(), "--train", "10", "--k", "20"));
        assertEquals("--batches must be at least 1, got -1", refused(new GrandBenchCommand(), "--batches", "-1"));
        assertEquals("--batch must be at least 1, got 0", refused(new GrandBenchCommand(), "--batch", "0"));
        assertEquals("--rows must be at least 1, got 0", refused(new IngestBenchCommand(), "--rows", "0"));
        assertTrue(refused(new IngestBenchCommand(), "--rows", "10", "--dir", "/proc/nope/x")
                .startsWith("--dir: cannot create /proc/nope/x"));
        assertEquals("--epochs must be at least 1, got 0", refused(new NoiseBenchCommand(), "--data", "x.csv",
                "--epochs", "0"));
        assertTrue(refused(new ModelBenchCommand(), "--python", "/nonexistent/python").startsWith(
                "--python /nonexistent/python: no such executable"));
        assertEquals("--device is cpu or gpu, not cuda", refused(new ModelBenchCommand(), "--device", "cuda"));
        assertEquals("--seq must be at most 512 (MiniLM-L6's position embeddings), got 600", refused(
                new ModelBenchCommand(), "--seq", "600"));
        // a path argument no path can be: one line (a locale that cannot name it says to use a UTF-8 one)
        CommandLine.TypeConversionException nul = assertThrows(CommandLine.TypeConversionException.class,
                () -> SiftApplication.path("a\0b.yaml"));
        assertEquals("a path cannot hold a NUL character", nul.getMessage());
        assertEquals(Path.of("a/b.yaml"), SiftApplication.path("a/b.yaml"));
        // out of memory: the heap's advice only where the heap ran out
        assertEquals("sift: out of memory (Java heap space; the heap holds 4096 MiB): ask for less (smaller --batch, "
                + "--train, --samples or data) or give the JVM more heap (SIFT_JAVA_OPTS=-Xmx8g); a run it stopped is "
                + "resumable (sift resume)", SiftApplication.outOfMemory(4L << 30, "Java heap space"));
        assertEquals("sift: out of memory (Metaspace): ask for less (smaller --batch, --train, --samples or data); a run "
                + "it stopped is resumable (sift resume)", SiftApplication.outOfMemory(4L << 30, "Metaspace"));
        assertEquals("--peer-autocast is none or bf16, not fp16", refused(new ModelBenchCommand(),
                "--peer-autocast", "fp16"));
    }

    /** A probe's bench embed on a recommendation workflow printed "0 distinct texts", a median of NaN, exit 0. */
    @Test
    void embeddingInteractionsIsRefused() throws Exception {
        Path rec = RecommendationFixture.write(dir);
        assertEquals(rec + ": bench embed reads a workflow's query and product texts; a recommendation task has "
                + "interactions and an items file instead", refused(new EmbedBenchCommand(), rec.toString()));
    }

    /** Before any work: on a machine without a GPU (the CI's, this one), --device gpu is refused in one line. */
    @Test
    void aGpuBenchmarkWithoutAGpuIsRefused() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ai.djl.engine.Engine.getEngine("PyTorch").getGpuCount() == 0);
        ModelBenchCommand c = new ModelBenchCommand();
        new CommandLine(c).parseArgs("--device", "gpu", "--python", "none");
        SiftException e = assertThrows(SiftException.class, c::call);
        assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
        assertTrue(e.getMessage().startsWith("--device gpu: DJL's PyTorch sees no GPU"), e.getMessage());
    }

    @Test
    void dataGenerateNamesAFolderAndAnUnwritablePath() throws Exception {
        assertTrue(refused(new DataCommand.Generate(), "--out", dir.toString(), "--rows", "10")
                .startsWith("--out " + dir + " is a folder; name a file"));
        // an existing file is rewritten only when data generate wrote it (or it is empty): it may be the shop's data
        Path precious = dir.resolve("precious.csv");
        Files.writeString(precious, "query,title,label\nshoes,red shoes,3\n");
        assertEquals("--out " + precious + " exists and is not a data set data generate wrote; name a new file or "
                + "remove it first", refused(new DataCommand.Generate(), "--out", precious.toString(), "--rows", "3"));
        assertEquals("query,title,label\nshoes,red shoes,3\n", Files.readString(precious));
        Path shop = dir.resolve("shop.csv");
        for (int i = 0; i < 2; i++) {
            DataCommand.Generate g = new DataCommand.Generate();
            new CommandLine(g).parseArgs("--out", shop.toString(), "--rows", String.valueOf(3 + i));
            assertEquals(ExitCodes.OK, g.call());
        }
        assertEquals(5, Files.readAllLines(shop).size(), "the second generate rewrote the first's file");
        Files.writeString(dir.resolve("file"), "x");
        assertTrue(refused(new DataCommand.Generate(), "--out", dir.resolve("file").resolve("shop.csv").toString(),
                "--rows", "10").contains(": cannot write ("));
    }
}
