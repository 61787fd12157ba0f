package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.evaluation.TestSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselinesVerdictTest {
    private static TestSet set(TaskSpec task) {
        return TestSet.of(task, List.of(
                new Sample(0, "q", "a", "", 1, "q", "", false, Split.VALIDATION, 2),
                new Sample(1, "q", "b", "", 0, "q", "", false, Split.VALIDATION, 3)), 10);
    }

    @Test
    void gradedVerdictReadsNdcgAndKappaNeverAccuracyAndNanIsNotBetter() {
        TestSet graded = set(new TaskSpec(TaskType.GRADED, 0, 3));
        Map<String, Double> majority = Map.of("ndcg@10", 0.70, "accuracy", 0.60, "kappa", 0.0);
        assertEquals(List.of(), Baselines.notBetter(graded,
                Map.of("ndcg@10", 0.80, "accuracy", 0.10, "kappa", 0.20), majority), "accuracy has no verdict");
        assertEquals(List.of("ndcg@10", "kappa"), Baselines.notBetter(graded,
                Map.of("ndcg@10", 0.56, "accuracy", 0.25, "kappa", -0.67), majority));
        assertEquals(List.of("kappa"), Baselines.notBetter(graded,
                Map.of("ndcg@10", 0.90, "accuracy", 0.5, "kappa", Double.NaN), majority));
        assertEquals(List.of("kappa"), Baselines.notBetter(graded,
                Map.of("ndcg@10", 0.90, "accuracy", 0.5, "kappa", 0.0), majority), "a tie is not better");
        assertEquals(List.of("kappa"), Baselines.notBetter(graded, Map.of("ndcg@10", Double.NaN, "accuracy", 0.5,
                "kappa", -0.1), Map.of("ndcg@10", Double.NaN, "accuracy", 0.6, "kappa", 0.0)),
                "a metric undefined on the split (the baseline's NaN too) gets no verdict");
    }

    @Test
    void regressionVerdictTakesLowerRmseAsBetter() {
        TestSet reg = set(new TaskSpec(TaskType.REGRESSION, 0, 4));
        Map<String, Double> mean = Map.of("ndcg@10", 0.70, "rmse", 0.95);
        assertEquals(List.of(), Baselines.notBetter(reg, Map.of("ndcg@10", 0.8, "rmse", 0.90), mean));
        assertEquals(List.of("rmse"), Baselines.notBetter(reg, Map.of("ndcg@10", 0.8, "rmse", 1.07), mean));
    }

    @Test
    void intervalLinesNeverPrintANegativeZero() {
        var c = new java.util.LinkedHashMap<String, dev.sift.evaluation.Protocol.Interval>();
        c.put("kappa", new dev.sift.evaluation.Protocol.Interval(-0.00004, -0.03, 0.00002, 1000, 30));
        c.put("ndcg@10", new dev.sift.evaluation.Protocol.Interval(0.012, 0.001, 0.02, 1000, 30));
        c.put("rmse", new dev.sift.evaluation.Protocol.Interval(-0.2, Double.NaN, Double.NaN, 0, 3));
        c.put("auc", new dev.sift.evaluation.Protocol.Interval(0.1, Double.NaN, Double.NaN, 0, 30));
        assertEquals("  selected - random: kappa +0.0000 [-0.0300, +0.0000] ndcg@10 +0.0120 [+0.0010, +0.0200]* "
                + "rmse (lower is better) -0.2000 (no interval: 3 test queries inform it, under 5) auc +0.1000 "
                + "(no interval)", Baselines.describe("selected", "random", c));
        // recommendation resamples users, and says so
        assertTrue(Baselines.describe("selected", "random", Map.of("rmse", c.get("rmse")), true).endsWith(
                "(no interval: 3 test users inform it, under 5)"));
        assertEquals("-0.0001", dev.sift.data.Text.signed(-0.00005));
        assertEquals("+0.0000", dev.sift.data.Text.signed(-0.0));
    }

    @Test
    void noVerdictAgainstZeroShotWhereItsMetricsAreUndefined() {
        TestSet graded = set(new TaskSpec(TaskType.GRADED, 0, 3));
        Map<String, Double> undefined = Map.of("ndcg@10", Double.NaN, "accuracy", 1.0, "kappa", Double.NaN);
        String line = Baselines.zeroShotLine(graded, undefined, undefined,
                Baselines.notBetter(graded, undefined, undefined));
        assertEquals("  validation split: no verdict against zero-shot: its metrics are undefined there (ndcg@10 NaN "
                + "vs NaN, kappa NaN vs NaN; too few samples, or one label only)", line);
        Map<String, Double> model = Map.of("ndcg@10", 0.9, "accuracy", 0.6, "kappa", 0.5);
        Map<String, Double> free = Map.of("ndcg@10", 0.8, "accuracy", 0.7, "kappa", Double.NaN);
        assertEquals("  validation split: the fine-tuned model beats zero-shot (ndcg@10 0.9000 vs 0.8000, kappa "
                + "0.5000 vs NaN)", Baselines.zeroShotLine(graded, model, free, Baselines.notBetter(graded, model,
                        free)));
    }

    /** A click log's validation split: the line says how many queries NDCG and MRR rest on where some hold one label. */
    @Test
    void theLineNamesHowManyQueriesTheRankingMetricsRestOn() {
        TestSet clicks = TestSet.of(new TaskSpec(TaskType.BINARY, 0, 1), List.of(
                new Sample(0, "q", "a", "", 1, "q", "", false, Split.VALIDATION, 2),
                new Sample(1, "q", "b", "", 0, "q", "", false, Split.VALIDATION, 3),
                new Sample(2, "r", "c", "", 0, "r", "", false, Split.VALIDATION, 4),
                new Sample(3, "s", "d", "", 0, "s", "", false, Split.VALIDATION, 5)), 10);
        Map<String, Double> model = new java.util.HashMap<>(Map.of("ndcg@10", 1.0, "mrr", 1.0, "kappa", 0.5, "auc",
                0.9, "log_loss", 0.3, "f1", 0.5, "ndcg_queries", 1.0));
        Map<String, Double> free = Map.of("ndcg@10", 0.6, "mrr", 0.5, "kappa", 0.1, "auc", 0.6, "log_loss", 0.6, "f1",
                0.2);
        assertTrue(Baselines.zeroShotLine(clicks, model, free, List.of()).endsWith("f1 0.5000 vs 0.2000; NDCG and MRR "
                + "on 1 of the 3 queries (the others hold one label))"), Baselines.zeroShotLine(clicks, model, free,
                        List.of()));
        model.put("ndcg_queries", 3.0);
        assertTrue(Baselines.zeroShotLine(clicks, model, free, List.of()).endsWith("f1 0.5000 vs 0.2000)"),
                "nothing said where every query informs them");
    }
}
