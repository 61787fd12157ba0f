package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
