package dev.sift.store;

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
        boolean undefined = false;
        for (Comparison c : cs) {
            if (Double.isNaN(c.lo()) || Double.isNaN(c.hi())) {
                undefined = true;
            } else if (c.excludesZero()) {
                boolean randomAhead = Protocol.lowerIsBetter(c.metric()) ? c.hi() < 0 : c.lo() > 0;
                (randomAhead ? better : worse).add(c.metric());
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
                    + "leaves out samples the model learns from, and a subset chosen well beats random by keeping them";
        }
        if (!better.isEmpty()) {
            return head + "is measurably better than the full set on " + String.join(", ", better) + ": some training "
                    + "samples hurt this model, and leaving out the right ones should pay";
        }
        if (undefined && cs.stream().allMatch(c -> Double.isNaN(c.lo()) || Double.isNaN(c.hi()))) {
            return head + "against the full set has no interval (too few test units or resamples): no verdict";
        }
        return head + "loses nothing measurable against the full set: at this size the data is redundant for this "
                + "model, so a subset saves training time, and it beats random only by leaving out samples that hurt";
    }
}
