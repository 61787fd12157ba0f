package dev.sift.bench;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.data.SyntheticShop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What several benchmarks share: generated training pairs, and the machine's load average to print beside times. */
public final class BenchData {
    private BenchData() {
    }

    /** {@code n} pairs of the generated shop (10% flipped labels, seed 3), all in the training split. */
    static List<Sample> samples(int n) {
        List<SyntheticShop.Row> rows = SyntheticShop.generate(n, 0.1, 3);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SyntheticShop.Row r = rows.get(i);
            samples.add(new Sample(i, r.query(), r.title(), r.description(), r.label(), r.query(), null, false,
                    Split.TRAIN, i + 2));
        }
        return samples;
    }

    /** {@code /proc/loadavg} as it reads, or {@code unknown}. */
    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
