package dev.sift.workflow;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A validated workflow: what data, which task, which model, and the parameters of every stage. Built only by
 * {@link WorkflowParser}, which reports every error with file, line and key.
 */
public record WorkflowSpec(String name, DatasetSpec dataset, TaskSpec task, SplitSpec split, ModelSpec model,
        TrainSpec fineTune, ScoreSpec score, FilterSpec filter, EvaluateSpec evaluate, int iterations) {
    public WorkflowSpec {
        requireNonNull(name, "name is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(task, "task is null");
        requireNonNull(split, "split is null");
        requireNonNull(model, "model is null");
        requireNonNull(fineTune, "fineTune is null");
        requireNonNull(score, "score is null");
        requireNonNull(filter, "filter is null");
        requireNonNull(evaluate, "evaluate is null");
    }

    /**
     * Where the data comes from: a local path or s3:// URI, or a generated synthetic shop.
     *
     * @param path absolute local path or s3:// URI; null when generated
     */
    public record DatasetSpec(String path, Generate generate, String format, char separator, Columns columns) {
        public boolean isGenerated() {
            return generate != null;
        }
    }

    /** Synthetic data parameters ({@code sift data generate}). */
    public record Generate(int rows, double noise, long seed) {
    }

    /** Column names in the source; optional ones are null when not mapped. */
    public record Columns(String query, String title, String description, String label, String group,
            String userId, String noiseFlag) {
    }

    public enum TaskType {
        GRADED, BINARY, REGRESSION
    }

    /** The learning task and the label range; graded labels are integers from minLabel to maxLabel. */
    public record TaskSpec(TaskType type, double minLabel, double maxLabel) {
        /** Number of output classes (1 for regression). */
        public int classes() {
            return switch (type) {
                case BINARY -> 2;
                case GRADED -> (int) Math.round(maxLabel - minLabel) + 1;
                case REGRESSION -> 1;
            };
        }
    }

    public record SplitSpec(double validation, double test, long seed) {
    }

    /**
     * The text encoder and head. {@code hashed-bow}: hashed word and bigram features, shared tower, MLP head
     * (trained from scratch). {@code minilm}: all-MiniLM-L6-v2 from Maven Central; {@code bert}: a HuggingFace
     * BERT-family folder at {@code source}. Pretrained encoders train in {@code mode} {@code full} or
     * {@code last_layers} (cross-encoder on the pair) or {@code head} (frozen encoder, cached embeddings,
     * MLP on [u, v, u*v, |u-v|]).
     */
    public record ModelSpec(String encoder, String source, String mode, int lastLayers, int maxLength,
            String pooling, int buckets, int dim, int hidden) {
        public boolean pretrained() {
            return !encoder.equals("hashed-bow");
        }
    }

    /**
     * Optimisation: AdamW with {@code warmup} (fraction of all steps) linear warm-up then linear decay,
     * gradient clipping at global norm {@code clipNorm} (0 = off), early stopping after {@code patience}
     * epochs without a better validation loss (0 = off).
     */
    public record TrainSpec(int epochs, int batchSize, double learningRate, long seed, double weightDecay,
            double warmup, double clipNorm, int patience, String device) {
    }

    /** Methods to run; {@code ensemble} lists the members of the rank-average method {@code ensemble}. */
    public record ScoreSpec(List<String> methods, List<String> ensemble) {
    }

    /** Keep {@code keep} of the pool ranked by method {@code by}; {@code order} says which end is kept. */
    public record FilterSpec(String by, double keep, String order, long seed) {
    }

    /** {@code zeroShot}: also rank the test split by the pretrained encoder's query-title cosine. */
    public record EvaluateSpec(int k, boolean zeroShot) {
    }
}
