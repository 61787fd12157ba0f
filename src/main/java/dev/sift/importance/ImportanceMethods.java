package dev.sift.importance;

import java.util.List;

/** The registry of methods by workflow name. */
public final class ImportanceMethods {
    /** Names accepted in {@code score.methods}, in the default order. */
    public static final List<String> NAMES = List.of("loss", "el2n", "grad_norm", "knn_shapley", "forgetting",
            "confidence", "variability", "data_oob", "tracin", "self_influence", "aum", "label_quality", "grand", "loss_avg", "el2n_avg", "ensemble");

    /** Default members of {@code ensemble} (workflow key {@code score.ensemble}). */
    public static final List<String> ENSEMBLE = List.of("tracin", "knn_shapley", "confidence");

    /** Neighbours of KNN-Shapley. */
    public static final int KNN_K = 10;

    private ImportanceMethods() {
    }

    public static ImportanceMethod byName(String name) {
        return switch (name) {
            case "loss" -> new PerSampleLoss();
            case "el2n" -> new El2n();
            case "grad_norm" -> new LastLayerGradNorm();
            case "knn_shapley" -> new KnnShapley(KNN_K);
            case "forgetting" -> new ForgettingEvents();
            case "confidence" -> Cartography.confidence();
            case "variability" -> Cartography.variability();
            case "data_oob" -> DataOob.defaults();
            case "tracin" -> GradientSimilarity.tracin();
            case "self_influence" -> GradientSimilarity.selfInfluence();
            case "aum" -> new AreaUnderMargin();
            case "label_quality" -> ConfidentLearning.defaults();
            case "grand" -> new Grand();
            case "loss_avg" -> EpochAverage.loss();
            case "el2n_avg" -> EpochAverage.el2n();
            case "ensemble" -> new RankEnsemble(ENSEMBLE);
            default -> throw new IllegalArgumentException("unknown importance method: " + name);
        };
    }
}
