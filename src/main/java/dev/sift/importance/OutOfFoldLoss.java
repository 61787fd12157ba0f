package dev.sift.importance;

import com.google.auto.service.AutoService;
import java.util.EnumSet;
import java.util.Set;

/**
 * The loss of each sample under a cross-fitted model that never trained on it: -log p(y) of the given grade for
 * classification, (prediction - y)^2 for regression (y scaled to [0, 1]). A fitted model's own training loss
 * shrinks as it memorises a wrong label; the out-of-fold loss does not, which is why cross-fitted fine-tuned loss
 * finds label errors well (Chong et al. 2022, "Detecting label errors by using pre-trained language models").
 */
@AutoService(ImportanceMethod.class)
public final class OutOfFoldLoss implements ImportanceMethod {
    @Override
    public String name() {
        return "oof_loss";
    }

    @Override
    public String meaning() {
        return "higher = a model that never saw the sample fits its label worse (likely label error)";
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_REMOVE;
    }

    @Override
    public Set<Need> needs() {
        return EnumSet.of(Need.CROSS_FIT);
    }

    @Override
    public double[] score(ScoringInput in) {
        return PerSampleLoss.losses(in.requireOutOfFold(name()), in.classes(), in.values());
    }
}
