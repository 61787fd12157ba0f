package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.data.SyntheticShop;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sift data generate}. */
@Command(name = "data", description = "Data sets.", subcommands = {DataCommand.Generate.class})
public class DataCommand {

    /** Writes a synthetic e-commerce search data set with a known fraction of flipped labels. */
    @Command(name = "generate", description = "Write a synthetic e-commerce search data set (CSV): queries, "
            + "product titles, graded relevance 0-3 from word overlap and category, with a known fraction of "
            + "labels flipped (column is_noisy).")
    public static class Generate implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "CSV file to write")
        Path out;

        @Option(names = "--rows", defaultValue = "2000", description = "rows (default: ${DEFAULT-VALUE})")
        int rows;

        @Option(names = "--noise", defaultValue = "0.1", description = "probability in [0, 1) that a row's label is "
                + "flipped, each row drawn on its own, so the flipped share varies around it; the count is printed "
                + "(default: ${DEFAULT-VALUE})")
        double noise;

        @Option(names = "--seed", defaultValue = "7", description = "random seed (default: ${DEFAULT-VALUE})")
        long seed;

        @Mixin
        VerboseOption verbose;

        @Override
        public Integer call() throws IOException {
            SiftException.atLeast("--rows", rows, 1);
            if (!(noise >= 0 && noise < 1)) {
                throw SiftException.usage("--noise must be in [0, 1), got " + noise);
            }
            if (Files.isDirectory(out)) {
                throw SiftException.usage("--out " + out + " is a folder; name a file, e.g. " + out.resolve("shop.csv"));
            }
            if (Files.isRegularFile(out) && !generatedBefore(out)) { // it may be the shop's own data
                throw SiftException.usage("--out " + out + " exists and is not a data set data generate wrote; name a "
                        + "new file or remove it first");
            }
            List<SyntheticShop.Row> data = SyntheticShop.generate(rows, noise, seed);
            try {
                if (out.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(out.toAbsolutePath().getParent());
                }
                try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    SyntheticShop.writeCsv(data, w);
                }
            } catch (IOException e) {
                throw SiftException.usage("--out " + out + ": cannot write (" + dev.sift.IoReason.of(e) + ")");
            }
            long flipped = data.stream().filter(SyntheticShop.Row::noisy).count();
            System.err.println("wrote " + rows + " rows (" + flipped + " labels flipped) to " + out);
            return ExitCodes.OK;
        }

        /** Whether the file is empty or starts with the header this command writes. */
        static boolean generatedBefore(Path file) {
            try (java.io.BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                String first = r.readLine();
                return first == null || first.equals(SyntheticShop.HEADER);
            } catch (IOException e) {
                return false;
            }
        }
    }
}
