package dev.sift.stage;

import java.util.List;

/**
 * The typed outputs of the five stages, stored by the engine as JSON in {@code stage_run.output_json}. Component
 * names match the keys runs stored before outputs were typed, so those runs stay readable.
 */
public final class StageOutputs {
    private StageOutputs() {
    }

    /**
     * The prepared dataset (by sha256) and what ingest counted; {@code noiseFlipped}: training labels that
     * {@code dataset.noise} flipped (marked noisy in the prepared dataset), null without it (and in older runs).
     */
    public record IngestOutput(String dataset, String uri, long rowsRead, int rows, int train, int validation,
            int test, int quarantined, long duplicates, String quarantineUri, Integer utility,
            Long quarantinedLines, Integer noiseFlipped, List<String> said) {
    }

    /**
     * The common initial weights, the trained weights, how training went, and the weights that score the pool when
     * {@code score.checkpoint} is not {@code best} (newest first; null for {@code best}: the trained weights score).
     */
    public record FineTuneOutput(String initWeights, String weights, int trainSamples, long trainMs, double trainLoss,
            double validationLoss, int epochsRun, int bestEpoch, List<String> scoringWeights) {
    }

    /** The pool scored, the model that scored it, the methods run and how many samples confident learning flagged. */
    public record ScoreOutput(int pool, String model, List<String> methods, Long flagged) {
    }

    /**
     * The kept and random subsets (S3 keys and URIs), their size and, when the data marks known-noisy labels,
     * how many of those each holds; {@code stop}: why the iterations end after this one (the pool was kept whole and
     * unchanged), null to go on (and in runs stored before stop 62, which resume as they began).
     */
    public record FilterOutput(String by, String order, int pool, int kept, String selectedKey, String randomKey,
            String selectedUri, String randomUri, Long poolNoisy, Long selectedNoisy, Long randomNoisy,
            String randomTrainKey, String policy, List<CandidateScore> candidates, String stop) {
        public FilterOutput(String by, String order, int pool, int kept, String selectedKey, String randomKey,
                String selectedUri, String randomUri, Long poolNoisy, Long selectedNoisy, Long randomNoisy,
                String randomTrainKey, String policy, List<CandidateScore> candidates) {
            this(by, order, pool, kept, selectedKey, randomKey, selectedUri, randomUri, poolNoisy, selectedNoisy,
                    randomNoisy, randomTrainKey, policy, candidates, null);
        }
    }

    /** A policy validation considered ({@code filter.candidates}): its training-set size and validation score. */
    public record CandidateScore(String policy, int kept, String metric, double validation) {
    }

    /**
     * Weights of the first seed's models retrained on the kept and on the random subset, and (iteration 1) of
     * the full-set model of every seed, which later iterations compare against; the kept model's weights that
     * score the next iteration's pool when {@code score.checkpoint} is not {@code best} (else null);
     * {@code seedWeights}: every evaluation seed's weights per retrained subset (selected, random, random-train), so
     * each stored model is named by its run ({@code sift gc} keeps what a stage output names).
     */
    public record EvaluateOutput(String selectedWeights, String randomWeights, List<String> fullWeights,
            String stop, List<String> selectedScoring, java.util.Map<String, List<String>> seedWeights) {
        public EvaluateOutput(String selectedWeights, String randomWeights, List<String> fullWeights, String stop,
                List<String> selectedScoring) {
            this(selectedWeights, randomWeights, fullWeights, stop, selectedScoring, null);
        }
    }
}
