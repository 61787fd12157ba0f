package dev.sift.selection;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Keeps ceil(fraction * n) samples from the highest (or lowest) end of the scores; ties by position. */
public record TopFraction(double fraction, boolean highest) implements SelectionPolicy {
    public TopFraction {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
    }

    public static int keptCount(int n, double fraction) {
        return Math.min(n, (int) Math.ceil(fraction * n - 1e-9));
    }

    @Override
    public int[] select(double[] scores) {
        int k = keptCount(scores.length, fraction);
        Comparator<Integer> byScore = (a, b) -> {
            double sa = Double.isNaN(scores[a]) ? Double.NEGATIVE_INFINITY : scores[a];
            double sb = Double.isNaN(scores[b]) ? Double.NEGATIVE_INFINITY : scores[b];
            int c = highest ? Double.compare(sb, sa) : Double.compare(sa, sb);
            return c != 0 ? c : Integer.compare(a, b);
        };
        int[] kept = IntStream.range(0, scores.length).boxed().sorted(byScore).limit(k).mapToInt(Integer::intValue)
                .toArray();
        Arrays.sort(kept);
        return kept;
    }
}
