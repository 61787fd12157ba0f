package dev.sift.stage;

import dev.sift.SiftException;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.evaluation.Protocol;
import dev.sift.evaluation.TestSet;
import dev.sift.model.RelevanceTrainer;
import dev.sift.stage.StageOutputs.CandidateScore;
import dev.sift.workflow.StageContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Chooses the selection policy among {@code filter.candidates} on the validation split, never on test: the
 * training set each candidate builds is trained once, from the fine-tune's initial weights with its settings, and
 * measured on the validation split; the highest kappa (NDCG@k for regression) wins, the first listed on a tie.
 * The test split then measures only the chosen one, with the full protocol. (The validation split also stops
 * these trainings early, as it does every training: the choice and the epochs come from the same queries.)
 */
@ApplicationScoped
public class PolicyChoice {
    @Inject
    ModelFactory models;
    @Inject
    RunInputs inputs;
    @Inject
    Outcomes answers;

    /**
     * Every candidate's validation score, the mean over the evaluation seeds' models, in the order given; the first of
     * the highest is the choice.
     */
    List<CandidateScore> score(StageContext ctx, Map<String, Subsets.Training> built) {
        List<Sample> samples = inputs.samples(ctx);
        int[] validation = Subsets.ofSplit(samples, Split.VALIDATION);
        if (validation.length == 0) {
            throw SiftException.usage("filter.candidates: choosing a policy needs a validation split "
                    + "(split.validation > 0)");
        }
        int k = ctx.spec().evaluate().k();
        TestSet set = TestSet.of(ctx.spec().task(), Arrays.stream(validation).mapToObj(samples::get).toList(), k);
        String metric = ctx.spec().task().classification() ? "kappa" : "ndcg@" + k;
        RelevanceTrainer trainer = models.trainer(ctx);
        int seeds = ctx.spec().evaluate().seeds();
        List<CandidateScore> out = new ArrayList<>();
        for (var e : built.entrySet()) {
            Subsets.Training t = e.getValue();
            double sum = 0;
            for (int seed = 0; seed < seeds; seed++) {
                // the evaluation seeds' initial weights and sample orders: one seed's model on a few validation
                // queries is too noisy a judge
                var spec = ctx.spec().fineTune().withSeed(ctx.spec().fineTune().seed() + seed);
                RelevanceTrainer.TrainResult r = trainer.train(models.initialWeights(ctx, seed),
                        t.targets(inputs.targets(ctx)), t.indices(), validation, spec,
                        TrainingProgress.of(ctx, "candidate " + e.getKey() + (seeds == 1 ? ""
                                : " seed " + (seed + 1) + "/" + seeds)));
                sum += Protocol.measure(set, answers.of(ctx, r.weights(), validation, set)).get(metric);
            }
            out.add(new CandidateScore(e.getKey(), t.indices().length, metric, sum / seeds));
        }
        return out;
    }

    /** The first candidate with the highest validation score; a NaN score (no measure) never wins over a number. */
    static CandidateScore best(List<CandidateScore> scores) {
        CandidateScore best = scores.get(0);
        for (CandidateScore c : scores) {
            if (value(c) > value(best)) {
                best = c;
            }
        }
        return best;
    }

    /**
     * What the "validation picked" line adds when the pick was not won: " (a tie with A, B at 0.1234: the first
     * listed is taken)" where other candidates score exactly as the pick does, " (no candidate has a validation
     * score: the first listed is taken)" where none has one, else "". A probe's recommendation run picked the first of
     * candidates that all scored 0 and said nothing of it.
     */
    static String tie(Map<String, Double> scores, String picked) {
        double v = scores.get(picked);
        if (scores.values().stream().allMatch(s -> Double.isNaN(s))) {
            return " (no candidate has a validation score: the first listed is taken)";
        }
        List<String> same = scores.entrySet().stream().filter(e -> !e.getKey().equals(picked)
                && e.getValue().equals(v)).map(Map.Entry::getKey).toList();
        return same.isEmpty() ? "" : String.format(" (a tie with %s at %.4f: the first listed is taken)",
                String.join(", ", same), v);
    }

    private static double value(CandidateScore c) {
        return Double.isNaN(c.validation()) ? Double.NEGATIVE_INFINITY : c.validation();
    }
}
