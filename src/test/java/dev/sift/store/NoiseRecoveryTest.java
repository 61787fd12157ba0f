package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.store.MetricStore.Comparison;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The share of the noise's cost the kept subset recovers, worked by hand. */
class NoiseRecoveryTest {
    private static Comparison row(String metric, String subset, String baseline, double delta, double lo, double hi) {
        return new Comparison(1, metric, subset, baseline, delta, lo, hi, 3, 30, 1000);
    }

    @Test
    void recoveredShareIsKeptMinusFullOverCleanMinusFull() {
        List<String> lines = NoiseRecovery.lines(List.of(
                row("kappa", "full", "full-clean", -0.040, -0.060, -0.020),
                row("kappa", "selected", "full", 0.030, 0.010, 0.050),
                row("kappa", "selected", "random", 0.050, 0.020, 0.080),
                // lower is better: the cost is +0.2 of RMSE, the kept subset wins back 0.05 of it
                row("rmse", "full", "full-clean", 0.200, 0.100, 0.300),
                row("rmse", "selected", "full", -0.050, -0.080, -0.020),
                row("ndcg@10", "full", "full-clean", -0.010, -0.030, 0.010),
                row("ndcg@10", "selected", "full", 0.005, -0.010, 0.020),
                // the noise helped: a measurable difference, but no cost
                row("accuracy", "full", "full-clean", 0.020, 0.002, 0.040),
                row("accuracy", "selected", "full", -0.018, -0.036, -0.001),
                // log loss, lower is better too: the noise raised it by 0.1, the kept subset took back 0.06
                row("log_loss", "full", "full-clean", 0.100, 0.050, 0.150),
                row("log_loss", "selected", "full", -0.060, -0.090, -0.030)));
        assertEquals(5, lines.size(), lines.toString());
        assertTrue(lines.get(4).contains("log_loss +0.1000") && lines.get(4).endsWith("recovers 60% of it"),
                lines.get(4));
        assertTrue(lines.get(3).endsWith("the noise made the full model better, nothing to recover"), lines.get(3));
        assertTrue(lines.get(0).contains("kappa -0.0400") && lines.get(0).endsWith("recovers 75% of it"), lines.get(0));
        assertTrue(lines.get(1).contains("rmse +0.2000") && lines.get(1).endsWith("recovers 25% of it"), lines.get(1));
        assertTrue(lines.get(2).endsWith("no measurable cost to recover (its interval includes 0)"), lines.get(2));
    }

    /** A later iteration's kept - full is not read against iteration 1's cost. */
    @Test
    void onlyTheIterationOfTheCleanReference() {
        List<String> lines = NoiseRecovery.lines(List.of(
                row("kappa", "full", "full-clean", -0.040, -0.060, -0.020),
                row("kappa", "selected", "full", 0.030, 0.010, 0.050),
                new Comparison(2, "kappa", "selected", "full", -0.5, -0.6, -0.4, 3, 30, 1000)));
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).endsWith("recovers 75% of it"), lines.get(0));
    }

    @Test
    void nothingWithoutACleanReference() {
        assertEquals(List.of(), NoiseRecovery.lines(List.of(row("kappa", "selected", "full", 0.03, 0.01, 0.05))));
    }
}
