package dev.sift.stage;

import java.util.List;
import java.util.Map;

/** The typed outputs of the recommendation stages (stored as JSON in {@code stage_run.output_json}). */
public final class RecOutputs {
    private RecOutputs() {
    }

    /**
     * The two-tower model trained on every training interaction: its weights, the training split's size, the users
     * and ranked items, the last epoch's loss, and where its per-interaction training dynamics are in S3.
     */
    public record RecFineTuneOutput(String weights, int trainRows, int users, int items, double trainLoss,
            double seconds, String dynamicsKey) {
    }

    /** The methods scored over the training interactions. */
    public record RecScoreOutput(List<String> methods, int pool) {
    }

    /**
     * The policy that ran (validation's pick among {@code candidates}, with each candidate's validation NDCG@10 in
     * {@code validation}), what it kept and where the kept and random subsets are.
     */
    public record RecFilterOutput(String chosen, String policy, String by, double keep, int pool, int kept,
            String selectedKey, String randomKey, String selectedUri, String randomUri, List<String> candidates,
            Map<String, Double> validation) {
    }

    /** What was evaluated: seeds, test users, seconds. */
    public record RecEvaluateOutput(int seeds, int users, double seconds) {
    }
}
