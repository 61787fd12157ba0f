package dev.sift.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order of the metric columns of `runs show`: size, each headline metric beside its sd, counts, time. */
class MetricColumnsTest {
    @Test
    void recommendationMetricsComeInTheReadmesOrderEachBesideItsSd() {
        assertEquals(List.of("train_size", "hr@10", "hr@10_sd", "ndcg@10", "ndcg@10_sd", "recall@20", "recall@20_sd",
                "mrr", "mrr_sd", "seeds", "train_seconds", "train_seconds_sd"), RunHistory.columns(Set.of("mrr",
                        "mrr_sd", "ndcg@10", "ndcg@10_sd", "hr@10", "hr@10_sd", "recall@20", "recall@20_sd",
                        "train_size", "train_size_sd", "train_seconds", "train_seconds_sd", "seeds")));
    }

    @Test
    void searchMetricsLeadWithKappaAndKeepTheRestAlphabetical() {
        assertEquals(List.of("train_size", "kappa", "kappa_sd", "accuracy", "accuracy_sd", "ndcg@10", "ndcg@10_sd",
                "threshold", "ndcg_queries", "seeds", "train_seconds"), RunHistory.columns(Set.of("accuracy",
                        "accuracy_sd", "kappa", "kappa_sd", "ndcg@10", "ndcg@10_sd", "ndcg_queries", "seeds",
                        "threshold", "train_seconds", "train_size")));
        assertEquals(List.of("kappa"), RunHistory.columns(Set.of("kappa")), "no size when none was stored");
    }
}
