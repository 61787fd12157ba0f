package dev.sift.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** KNN-Shapley's radix order is the order of (distance, index) pairs, ties, zeros and rounding negatives included. */
class KnnRadixOrderTest {
    private static int[] byPairs(float[] d, int offset, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ((long) Float.floatToIntBits(Math.max(0f, d[offset + i])) << 32) | i;
        }
        Arrays.sort(keys);
        return Arrays.stream(keys).mapToInt(k -> (int) k).toArray();
    }

    @Test
    void radixOrderEqualsTheOrderOfDistanceIndexPairs() {
        Random r = new Random(3);
        int n = 5000;
        float[] d = new float[3 * n];
        for (int i = 0; i < d.length; i++) {
            int kind = r.nextInt(6);
            d[i] = kind == 0 ? 0f : kind == 1 ? -1e-6f * r.nextFloat() : kind == 2 ? (float) r.nextInt(4)
                    : kind == 3 ? 1e6f * r.nextFloat() : kind == 4 ? 1e-30f * r.nextFloat() : r.nextFloat();
        }
        KnnShapley.RadixOrder sorter = new KnnShapley.RadixOrder(n);
        for (int j = 0; j < 3; j++) {
            assertArrayEquals(byPairs(d, j * n, n), sorter.order(d, j * n).clone(), "point " + j);
        }
        assertArrayEquals(new int[] {1, 3, 0, 2}, new KnnShapley.RadixOrder(4).order(new float[] {2f, 0f, 2f, -0f},
                0));
    }
}
