package dev.sift.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.history.PooledRuns.Pooled;
import dev.sift.history.PooledRuns.RunValues;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PooledRunsTest {
    /** A run's full, kept, random and clean values of one metric; NaN: the run has no such subset. */
    private static RunValues run(double full, double selected, double random, double clean) {
        Map<String, Double> m = new HashMap<>();
        Map.of("full", full, "selected", selected, "random", random, "full-clean", clean).forEach((k, v) -> {
            if (!Double.isNaN(v)) {
                m.put(k, v);
            }
        });
        return new RunValues(m);
    }

    private static Pooled keptMinusRandom(List<RunValues> runs) {
        return PooledRuns.difference(runs, "selected", "random");
    }

    @Test
    void theMeanDifferenceCountsRunsAboveAtAndBelowZeroAndNeedsFiveRunsForAnInterval() {
        Pooled p = keptMinusRandom(List.of(run(0.5, 0.6, 0.5, Double.NaN), run(0.5, 0.7, 0.7, Double.NaN),
                run(0.5, 0.55, 0.6, Double.NaN)));
        assertEquals((0.1 + 0.0 - 0.05) / 3, p.value(), 1e-12);
        assertEquals(3, p.runs());
        assertEquals(1, p.above());
        assertEquals(1, p.level());
        assertEquals(1, p.below());
        assertTrue(Double.isNaN(p.lo()) && Double.isNaN(p.hi()), "3 runs are too few to resample");
    }

    @Test
    void aRunWithoutTheSubsetIsLeftOutOfThatDifferenceOnly() {
        List<RunValues> runs = List.of(run(0.5, 0.6, Double.NaN, 0.9), run(0.4, 0.6, 0.5, 0.9));
        assertEquals(1, keptMinusRandom(runs).runs());
        assertEquals(0.1, keptMinusRandom(runs).value(), 1e-12);
        assertEquals(2, PooledRuns.difference(runs, "selected", "full").runs());
        assertEquals(0.15, PooledRuns.difference(runs, "selected", "full").value(), 1e-12);
        assertEquals(-0.45, PooledRuns.noiseCost(runs).value(), 1e-12);
        assertEquals(0, PooledRuns.difference(runs, "selected", "zero-shot").runs(), "no run has it");
    }

    @Test
    void theRecoveredShareIsOfTheMeansNotAMeanOfShares() {
        // per run 25% (three runs) and 100% (two): a mean of shares of 55%; of the means (0.78 - 0.68) / (0.96 - 0.68)
        List<RunValues> runs = List.of(run(0.6, 0.7, 0.5, 1.0), run(0.8, 0.9, 0.5, 0.9), run(0.6, 0.7, 0.5, 1.0),
                run(0.8, 0.9, 0.5, 0.9), run(0.6, 0.7, 0.5, 1.0));
        Pooled p = PooledRuns.recovered(runs, false);
        assertEquals(0.1 / 0.28, p.value(), 1e-12);
        assertEquals(5, p.runs());
        assertEquals(-1, p.above(), "a share has no sign count");
        assertNull(p.note());
        assertTrue(p.lo() >= 0.25 - 1e-12 && p.hi() <= 1.0 + 1e-12 && p.lo() < p.value() && p.value() < p.hi(),
                p.toString());
    }

    @Test
    void thereIsAShareOnlyWhereTheCostIsMeasurableAndHarmful() {
        List<RunValues> better = List.of(run(0.9, 0.8, 0.5, 0.7), run(0.8, 0.8, 0.5, 0.7), run(0.9, 0.9, 0.5, 0.8),
                run(0.85, 0.8, 0.5, 0.7), run(0.9, 0.85, 0.5, 0.75));
        Pooled p = PooledRuns.recovered(better, false);
        assertTrue(Double.isNaN(p.value()), p.toString());
        assertEquals("the noise made the full model better", p.note());
        // the same numbers as an error (RMSE): the noise raised it, a cost, and the share is of it
        Pooled rmse = PooledRuns.recovered(better, true);
        assertNull(rmse.note());
        assertEquals((0.83 - 0.87) / (0.73 - 0.87), rmse.value(), 1e-12);
        List<RunValues> mixed = List.of(run(0.9, 0.8, 0.5, 0.7), run(0.7, 0.8, 0.5, 0.9), run(0.8, 0.9, 0.5, 0.85),
                run(0.85, 0.8, 0.5, 0.8), run(0.75, 0.85, 0.5, 0.8));
        assertEquals("no measurable cost over the runs", PooledRuns.recovered(mixed, false).note());
        assertEquals("fewer than 5 runs: no interval of the cost", PooledRuns.recovered(mixed.subList(0, 4), false)
                .note());
        assertEquals(0, PooledRuns.recovered(List.of(run(0.8, 0.9, 0.5, Double.NaN)), false).runs(),
                "a run without a clean reference has no share");
    }

    @Test
    void theIntervalIsOverTheRunsAtTheProtocolsPercentiles() {
        List<RunValues> same = List.of(run(0.5, 0.6, 0.55, 0.9), run(0.5, 0.6, 0.55, 0.9), run(0.5, 0.6, 0.55, 0.9),
                run(0.5, 0.6, 0.55, 0.9), run(0.5, 0.6, 0.55, 0.9));
        Pooled p = keptMinusRandom(same);
        assertEquals(0.05, p.lo(), 1e-12);
        assertEquals(0.05, p.hi(), 1e-12);
        assertEquals(0.25, PooledRuns.recovered(same, false).lo(), 1e-12);
        List<RunValues> spread = List.of(run(0.5, 0.6, 0.5, 0.9), run(0.5, 0.62, 0.6, 0.9), run(0.5, 0.5, 0.6, 0.9),
                run(0.5, 0.8, 0.6, 0.7), run(0.5, 0.7, 0.55, 0.6), run(0.5, 0.55, 0.52, 0.8));
        // differences 0.10, 0.02, -0.10, 0.20, 0.15, 0.03; the ends are the 2.5th and 97.5th percentiles of 10,000
        // resampled means drawn from the fixed seed (a 90% interval, or another seed, moves them)
        Pooled d = keptMinusRandom(spread);
        assertEquals(0.4 / 6, d.value(), 1e-12);
        assertEquals(-0.015, d.lo(), 1e-9);
        assertEquals(0.85 / 6, d.hi(), 1e-9);
        assertEquals(5, d.above());
        assertEquals(d, keptMinusRandom(spread), "the same runs give the same interval");
        Pooled r = PooledRuns.recovered(spread, false);
        assertEquals((0.6 + 0.62 + 0.5 + 0.8 + 0.7 + 0.55 - 3.0) / (0.9 * 3 + 0.7 + 0.6 + 0.8 - 3.0), r.value(), 1e-12);
        assertEquals(0.15, r.lo(), 1e-9);
        assertEquals(6.35 / 7, r.hi(), 1e-9);
    }
}
