package dev.sift.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.history.PooledRuns.Pooled;
import dev.sift.history.PooledRuns.RunValues;
import java.util.List;
import org.junit.jupiter.api.Test;

class PooledRunsTest {
    private static RunValues run(double full, double selected, double random, double clean) {
        return new RunValues(full, selected, random, clean);
    }

    @Test
    void theMeanDifferenceCountsRunsAboveAtAndBelowZeroAndNeedsFiveRunsForAnInterval() {
        Pooled p = PooledRuns.keptMinusRandom(List.of(run(0.5, 0.6, 0.5, Double.NaN), run(0.5, 0.7, 0.7, Double.NaN),
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
        assertEquals(1, PooledRuns.keptMinusRandom(runs).runs());
        assertEquals(0.1, PooledRuns.keptMinusRandom(runs).value(), 1e-12);
        assertEquals(2, PooledRuns.keptMinusFull(runs).runs());
        assertEquals(0.15, PooledRuns.keptMinusFull(runs).value(), 1e-12);
        assertEquals(-0.45, PooledRuns.noiseCost(runs).value(), 1e-12);
    }

    @Test
    void theRecoveredShareIsOfTheMeansNotAMeanOfShares() {
        // per run 25% and 100% (mean 62.5%); of the means: (0.8 - 0.7) / (0.95 - 0.7) = 40%
        Pooled p = PooledRuns.recovered(List.of(run(0.6, 0.7, 0.5, 1.0), run(0.8, 0.9, 0.5, 0.9)));
        assertEquals(0.4, p.value(), 1e-12);
        assertEquals(2, p.runs());
        assertEquals(-1, p.above(), "a share has no sign count");
        Pooled none = PooledRuns.recovered(List.of(run(0.8, 0.9, 0.5, 0.8), run(0.7, 0.6, 0.5, 0.7)));
        assertTrue(Double.isNaN(none.value()), "no cost, no share of it");
        assertEquals(0, PooledRuns.recovered(List.of(run(0.8, 0.9, 0.5, Double.NaN))).runs(),
                "a run without a clean reference has no share");
    }

    @Test
    void theIntervalIsOverTheRunsFixedAndHeldByTheirSpread() {
        List<RunValues> same = List.of(run(0.5, 0.6, 0.55, 0.9), run(0.5, 0.6, 0.55, 0.9), run(0.5, 0.6, 0.55, 0.9),
                run(0.5, 0.6, 0.55, 0.9), run(0.5, 0.6, 0.55, 0.9));
        Pooled p = PooledRuns.keptMinusRandom(same);
        assertEquals(0.05, p.lo(), 1e-12);
        assertEquals(0.05, p.hi(), 1e-12);
        assertEquals(0.25, PooledRuns.recovered(same).lo(), 1e-12);
        List<RunValues> spread = List.of(run(0.5, 0.6, 0.5, 0.9), run(0.5, 0.62, 0.6, 0.9), run(0.5, 0.5, 0.6, 0.9),
                run(0.5, 0.8, 0.6, 0.7), run(0.5, 0.7, 0.55, 0.6), run(0.5, 0.55, 0.52, 0.8));
        Pooled d = PooledRuns.keptMinusRandom(spread);
        // differences 0.10, 0.02, -0.10, 0.20, 0.15, 0.03: a resampled mean lies between the least and the greatest
        assertTrue(d.lo() < d.value() && d.value() < d.hi(), d.toString());
        assertTrue(d.lo() >= -0.1 - 1e-12 && d.hi() <= 0.2 + 1e-12, d.toString());
        assertTrue(d.lo() < 0 && d.hi() > 0.1, "six runs this far apart leave a wide interval: " + d);
        assertEquals(d, PooledRuns.keptMinusRandom(spread), "the same runs give the same interval");
        Pooled r = PooledRuns.recovered(spread);
        assertEquals((0.6 + 0.62 + 0.5 + 0.8 + 0.7 + 0.55 - 3.0) / (0.9 * 3 + 0.7 + 0.6 + 0.8 - 3.0), r.value(), 1e-12);
        assertTrue(r.lo() <= r.value() && r.value() <= r.hi(), r.toString());
    }
}
