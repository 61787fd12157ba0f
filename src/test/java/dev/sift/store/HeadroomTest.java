package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.store.MetricStore.Comparison;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a random subset of the kept size against the full set says about the room a chosen subset has. */
class HeadroomTest {
    private static Comparison row(int k, String metric, String subset, String baseline, double lo, double hi) {
        return new Comparison(k, metric, subset, baseline, (lo + hi) / 2, lo, hi, 3, 30, 1000);
    }

    @Test
    void eachIterationGetsOneVerdictFromItsRandomAgainstFullRowsAlone() {
        List<String> lines = Headroom.lines(List.of(
                // iteration 2 first: lines come out in iteration order
                row(2, "kappa", "random-train", "full", -0.020, 0.010),
                row(2, "ndcg@10", "random-train", "full", -0.010, 0.012),
                row(2, "ndcg_queries", "random-train", "full", 30, 30), // a count, not a metric: ignored
                // iteration 1: random is measurably worse on kappa, not on NDCG
                row(1, "kappa", "random", "full", -0.080, -0.020),
                row(1, "ndcg@10", "random", "full", -0.020, 0.005),
                // rows that are not random against full say nothing here, however decisive
                row(1, "kappa", "selected", "full", 0.100, 0.200),
                row(1, "kappa", "random", "zero-shot", 0.100, 0.200),
                row(1, "kappa", "el2n lowest@0.5", "random@0.5", -0.3, -0.2)),
                Map.of(1, new long[] {900, 1800}, 2, new long[] {450, 1800}));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("  iteration 1, room for a subset of 900 of the 1,800: a random one is "
                + "measurably worse than the full set on kappa: "), lines.get(0));
        assertTrue(lines.get(1).startsWith("  iteration 2, room for a subset of 450 of the 1,800: a random one loses "
                + "nothing measurable against the full set (the widest interval, kappa -0.0200 to +0.0100, bounds "
                + "what it could lose): within that, the data is redundant"), lines.get(1));
    }

    @Test
    void lowerIsBetterMetricsTurnTheSignAndMixedVerdictsSayBoth() {
        // RMSE up by [0.01, 0.05] is random doing worse; kappa up is random doing better
        List<String> worse = Headroom.lines(List.of(row(1, "rmse", "random", "full", 0.01, 0.05)), null);
        assertTrue(worse.get(0).contains("of the kept size: a random one is measurably worse than the full set on "
                + "rmse"), worse.get(0));
        List<String> better = Headroom.lines(List.of(row(1, "rmse", "random", "full", -0.05, -0.01),
                row(1, "kappa", "random", "full", 0.01, 0.04)), null);
        assertTrue(better.get(0).contains("measurably better than the full set on rmse, kappa: some training samples "
                + "hurt"), better.get(0));
        List<String> mixed = Headroom.lines(List.of(row(1, "kappa", "random", "full", 0.01, 0.04),
                row(1, "accuracy", "random", "full", -0.04, -0.01)), null);
        assertTrue(mixed.get(0).contains("worse than the full set on accuracy and better on kappa"), mixed.get(0));
    }

    @Test
    void withoutIntervalsThereIsNoVerdictAndWithoutRowsNoLine() {
        List<String> none = Headroom.lines(List.of(row(1, "kappa", "random", "full", Double.NaN, Double.NaN)), null);
        assertTrue(none.get(0).endsWith("has no interval (too few test units or resamples): no verdict"), none.get(0));
        List<String> some = Headroom.lines(List.of(row(1, "kappa", "random", "full", Double.NaN, Double.NaN),
                row(1, "ndcg@10", "random", "full", -0.3, 0.2)), null);
        assertTrue(some.get(0).contains("(the widest interval, ndcg@10 -0.3000 to +0.2000, bounds what it could "
                + "lose; no interval for kappa)"), some.get(0));
        assertEquals(List.of(), Headroom.lines(List.of(row(1, "kappa", "selected", "random", -0.1, 0.1)), Map.of()));
    }
}
