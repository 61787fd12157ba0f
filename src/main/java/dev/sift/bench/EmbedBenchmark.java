package dev.sift.bench;

import ai.djl.Device;
import dev.sift.model.Checkpoint;
import dev.sift.model.SentenceEmbedder;
import dev.sift.model.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * {@code sift bench embed}: sentence embeddings of the same texts with a pretrained encoder, batched in the texts'
 * order (the baseline: what Sift did before) and by length (what it does now: batches pad to their longest text),
 * in alternating rounds after a warm-up; texts/s per round, the median ratio, and the largest difference between
 * the two embeddings of a text.
 */
public final class EmbedBenchmark {
    private EmbedBenchmark() {
    }

    /** Texts/s per round for each order, and the largest absolute difference between the two ways' vectors. */
    public record Result(int texts, double[] fileOrder, double[] byLength, double maxDifference, String loadBefore,
            String loadAfter) {
        public double[] ratios() {
            double[] r = new double[fileOrder.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = byLength[i] / fileOrder[i];
            }
            return r;
        }

        public static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }

    public static Result run(Checkpoint cp, List<String> texts, int maxLength, int rounds) {
        String before = BenchData.loadAverage();
        double[] file = new double[rounds];
        double[] sorted = new double[rounds];
        double diff = 0;
        try (TextTokenizer tok = cp.tokenizer(maxLength)) {
            embed(cp, tok, texts.subList(0, Math.min(texts.size(), 128)), true); // warm-up
            for (int r = 0; r < rounds; r++) {
                boolean lengthFirst = r % 2 == 1; // alternate which way goes first
                long t0 = System.nanoTime();
                float[][] a = embed(cp, tok, texts, lengthFirst);
                long t1 = System.nanoTime();
                float[][] b = embed(cp, tok, texts, !lengthFirst);
                long t2 = System.nanoTime();
                double first = texts.size() / ((t1 - t0) / 1e9);
                double second = texts.size() / ((t2 - t1) / 1e9);
                sorted[r] = lengthFirst ? first : second;
                file[r] = lengthFirst ? second : first;
                diff = Math.max(diff, maxDifference(a, b));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(texts.size(), file, sorted, diff, before, BenchData.loadAverage());
    }

    private static float[][] embed(Checkpoint cp, TextTokenizer tok, List<String> texts, boolean byLength) {
        return SentenceEmbedder.embed(cp.config(), cp.weights(), tok, texts, Device.cpu(), byLength, line -> {
        });
    }

    static double maxDifference(float[][] a, float[][] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return d;
    }
}
