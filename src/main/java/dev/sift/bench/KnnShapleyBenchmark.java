package dev.sift.bench;

import dev.sift.importance.KnnShapley;
import java.util.Arrays;
import java.util.Random;

/**
 * Exact KNN-Shapley at scale on random embeddings: the fast path (matrix product, primitive sort, parallel)
 * timed on the full size against the plain reference timed on a few validation points and scaled, same data,
 * same run.
 */
public final class KnnShapleyBenchmark {
    private static final int LABELS = 4;

    private KnnShapleyBenchmark() {
    }

    /**
     * @param threads processors the fast path could use
     * @param referenceSecondsScaled the reference's time on {@code referencePoints} points, scaled to all of them
     * @param largestDifference the largest |fast - reference| on the points both ran on
     */
    public record Result(int train, int valid, int dim, int threads, int referencePoints, double fastSeconds,
            double referenceSecondsScaled, double largestDifference) {
        public double speedUp() {
            return referenceSecondsScaled / fastSeconds;
        }
    }

    public static Result run(int train, int valid, int dim, int k, int referencePoints) {
        Random r = new Random(1);
        int[] y = new int[train];
        float[][] x = randomPoints(r, y, dim);
        int[] vy = new int[valid];
        float[][] v = randomPoints(r, vy, dim);
        // warm-up on two points, so that the measured run pays for no class loading or JIT
        KnnShapley.fast(x, y, Arrays.copyOf(v, 2), Arrays.copyOf(vy, 2), k);
        long t0 = System.nanoTime();
        KnnShapley.fast(x, y, v, vy, k);
        double fast = (System.nanoTime() - t0) / 1e9;
        float[][] sv = Arrays.copyOf(v, referencePoints);
        int[] svy = Arrays.copyOf(vy, referencePoints);
        t0 = System.nanoTime();
        double[] ref = KnnShapley.values(x, y, sv, svy, k);
        double refSeconds = (System.nanoTime() - t0) / 1e9;
        double[] fastSmall = KnnShapley.fast(x, y, sv, svy, k);
        double maxDiff = 0;
        for (int i = 0; i < ref.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ref[i] - fastSmall[i]));
        }
        return new Result(train, valid, dim, Runtime.getRuntime().availableProcessors(), referencePoints, fast,
                refSeconds / referencePoints * valid, maxDiff);
    }

    /** Gaussian points, one per entry of {@code labels}, which get random labels. */
    private static float[][] randomPoints(Random r, int[] labels, int dim) {
        float[][] x = new float[labels.length][dim];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < dim; j++) {
                x[i][j] = (float) r.nextGaussian();
            }
            labels[i] = r.nextInt(LABELS);
        }
        return x;
    }
}
