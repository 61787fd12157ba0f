package dev.sift.store;

import dev.sift.data.Text;
import dev.sift.evaluation.Protocol;
import dev.sift.store.MetricStore.Comparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The room a chosen subset has, read from a random subset of its size against the full training split
 * ({@code random - full}; from iteration 2, where {@code random} is drawn from the previous kept set,
 * {@code random-train - full}). Where a random subset of that size loses nothing measurable, the data is redundant
 * at that size for this model: a subset saves training time, and it can beat random only by leaving out samples
 * that hurt the model. Where random loses, the size leaves out samples the model learns from, and a better choice
 * keeps more of them; where random wins, some samples hurt the model and leaving out the right ones should pay.
 * One line per iteration, so that a reader of a kept - random difference knows which of these the data is in.
 */
public final class Headroom {
    /** The random subsets that can be held against the full set, in the order they are preferred. */
    public static final List<String> RANDOM = List.of("random-train", "random");

    private Headroom() {
    }

    /** {@link #lines} of a stored run: sizes from its lineage (the kept size, iteration 1's pool). */
    public static List<String> of(RunStore runs, MetricStore metrics, long runId) {
        List<IterationEntity> its = runs.iterations(runId);
        long of = its.stream().filter(i -> i.k == 1).mapToLong(i -> i.poolSize).findFirst().orElse(-1);
        Map<Integer, long[]> sizes = new java.util.HashMap<>();
        its.forEach(i -> sizes.put(i.k, of < 0 ? null : new long[] {i.keptSize, of}));
        return lines(metrics.comparisons(runId), sizes);
    }

    /** Whether a comparison row is a random subset of the kept size against the full training split. */
    public static boolean isHeadroom(Comparison c) {
        return c.baseline().equals("full") && RANDOM.contains(c.subset());
    }

    /**
     * One line per iteration that has a random subset against the full set, in iteration order.
     *
     * @param sizes per iteration, the random subset's size and the full training split's (null or absent: unknown)
     */
    public static List<String> lines(List<Comparison> rows, Map<Integer, long[]> sizes) {
        Map<Integer, List<Comparison>> byIteration = new TreeMap<>();
        for (Comparison c : rows) {
            if (isHeadroom(c) && !c.metric().endsWith("_queries")) {
                byIteration.computeIfAbsent(c.iteration(), k -> new ArrayList<>()).add(c);
            }
        }
        List<String> out = new ArrayList<>();
        byIteration.forEach((k, cs) -> out.add(line(k, cs, sizes == null ? null : sizes.get(k))));
        return out;
    }

    private static String line(int iteration, List<Comparison> cs, long[] size) {
        List<String> worse = new ArrayList<>();
        List<String> better = new ArrayList<>();
        List<String> undefined = new ArrayList<>();
        Comparison widest = null;
        for (Comparison c : cs) {
            if (Double.isNaN(c.lo()) || Double.isNaN(c.hi())) {
                undefined.add(c.metric());
            } else if (c.excludesZero()) {
                boolean randomAhead = Protocol.lowerIsBetter(c.metric()) ? c.hi() < 0 : c.lo() > 0;
                (randomAhead ? better : worse).add(c.metric());
            } else if (widest == null || c.hi() - c.lo() > widest.hi() - widest.lo()) {
                widest = c;
            }
        }
        String of = size == null ? "the kept size" : String.format(Locale.ROOT, "%,d of the %,d", size[0], size[1]);
        String head = "  iteration " + iteration + ", room for a subset of " + of + ": a random one ";
        if (!worse.isEmpty() && !better.isEmpty()) {
            return head + "is measurably worse than the full set on " + String.join(", ", worse) + " and better on "
                    + String.join(", ", better) + ": the metrics disagree on whether this size is enough";
        }
        if (!worse.isEmpty()) {
            return head + "is measurably worse than the full set on " + String.join(", ", worse) + ": this size "
                    + "leaves out samples the model learns from, and a subset chosen well can beat random by keeping "
                    + "them";
        }
        if (!better.isEmpty()) {
            return head + "is measurably better than the full set on " + String.join(", ", better) + ": some training "
                    + "samples hurt this model, and leaving out the right ones should pay";
        }
        if (widest == null) {
            return head + "against the full set has no interval (too few test units or resamples): no verdict";
        }
        // an interval that holds 0 bounds the loss, it does not show there is none: the widest one says how far
        return head + "loses nothing measurable against the full set (the widest interval, " + widest.metric() + " "
                + Text.signed(widest.lo()) + " to " + Text.signed(widest.hi()) + ", bounds what it could lose"
                + (undefined.isEmpty() ? "" : "; no interval for " + String.join(", ", undefined)) + "): within that, "
                + "the data is redundant at this size for this model, so a subset saves training time, and it beats "
                + "random only by leaving out samples that hurt";
    }
}
