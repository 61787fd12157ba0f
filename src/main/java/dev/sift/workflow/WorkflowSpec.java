package dev.sift.workflow;

import static java.util.Objects.requireNonNull;

import dev.sift.data.DatasetSpec;
import dev.sift.data.SplitSpec;
import dev.sift.data.TaskSpec;
import dev.sift.model.ModelSpec;
import dev.sift.model.ScoringCheckpoint;
import dev.sift.model.TrainSpec;
import dev.sift.selection.Order;
import dev.sift.importance.Need;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A validated workflow: what data, which task, which model, and the parameters of every stage. Built only by
 * {@link WorkflowParser}, which reports every error with file, line and key.
 */
public record WorkflowSpec(String name, DatasetSpec dataset, TaskSpec task, SplitSpec split, ModelSpec model,
        TrainSpec fineTune, ScoreSpec score, FilterSpec filter, EvaluateSpec evaluate, int iterations,
        CacheSpec cache, Execution execution, Recommend recommend) {
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
        requireNonNull(cache, "cache is null");
        requireNonNull(execution, "execution is null");
        if (task.recommendation() != (recommend != null)) {
            throw new IllegalArgumentException("recommend is given exactly for task.type recommendation");
        }
    }

    /**
     * The {@code recommend} section of a {@code task.type: recommendation} workflow: the two-tower model (item tower:
     * the frozen text encoder's item embedding, projected to {@code dim}, plus an item id embedding when
     * {@code idEmbedding}; user tower: the mean of the user's last {@code history} training items), trained with a
     * sampled softmax over in-batch items plus {@code negatives} random items at {@code temperature} (all items when
     * {@code negatives} reaches their count); {@code keepLast}: a user's most recent training interactions no policy
     * drops; {@code beta}: the reweighted policy's weight exp(-beta * z), z the score standardised over the pool
     * (ADT's reweighted loss weighs by p^beta = exp(-beta * loss); standardising makes beta the same for every method).
     */
    public record Recommend(int dim, int history, int negatives, double temperature, boolean idEmbedding,
            int keepLast, double beta) {
    }

    /**
     * Whether steps may reuse an earlier run's output with the same cache key: {@code cache: false} at the top
     * (or {@code --no-cache}) turns it off for the run, a stage section's {@code cache: false} for that stage.
     * Either way every step records its key, so later runs can reuse what this one computed.
     */
    public record CacheSpec(boolean enabled, Set<String> off) {
        public boolean reuses(String stage) {
            return enabled && !off.contains(stage);
        }
    }

    /** What the scoring stage can hand importance methods for this task, data split and model. */
    public Set<Need> scoringProvides() {
        boolean utilityFile = dataset.given() != null && dataset.given().utility() != null;
        return scoringProvides(task, split.utility() > 0 || utilityFile, model, score.crossFit());
    }

    /** @param utility a utility split is drawn ({@code split.utility} above 0) or given ({@code dataset.utility}) */
    static Set<Need> scoringProvides(TaskSpec task, boolean utility, ModelSpec model, int crossFit) {
        // every model can run a backward pass over the pool and two forward passes: output alignments always
        Set<Need> out = EnumSet.of(Need.TRAINING_DYNAMICS, Need.OTHER_METHODS, Need.OUTPUT_ALIGNMENT);
        if (utility) {
            out.add(Need.UTILITY_SPLIT);
        }
        if (model.ghostNorms() && task.classification()) {
            out.add(Need.FULL_GRADIENTS);
        }
        if (crossFit >= 2) {
            out.add(Need.CROSS_FIT);
        }
        return out;
    }

    /**
     * Methods to run; {@code ensemble} lists the members of the rank-average method {@code ensemble};
     * {@code crossFit}: K >= 2 trains K models on query-grouped folds of the pool for out-of-fold predictions,
     * 0 = off.
     */
    /** @param seeds scoring models a method's scores are averaged over (1: the fine-tuned model alone) */
    public record ScoreSpec(List<String> methods, List<String> ensemble, int crossFit, int seeds,
            ScoringCheckpoint checkpoint) {
        public ScoreSpec(List<String> methods, List<String> ensemble) {
            this(methods, ensemble, 0, 1, ScoringCheckpoint.BEST);
        }
    }

    /**
     * Keep {@code keep} of the pool ranked by method {@code by} with selection policy {@code policy};
     * {@code order} says which end is kept.
     */
    public record FilterSpec(String by, double keep, Order order, long seed, String policy, List<String> candidates) {
        /** Whether the policy is chosen among {@code candidates} on the validation split. */
        public boolean chooses() {
            return candidates != null && !candidates.isEmpty();
        }
    }

    /**
     * {@code zeroShot}: also rank the test split by the pretrained encoder's query-title cosine; {@code seeds}:
     * training seeds per compared model; {@code bootstrap}: resamples of the paired per-query interval;
     * {@code bootstrapSeeds}: each resample also draws the training seeds (the interval holds their spread too);
     * {@code stop}: rules that end the iterations early (null: only the iteration count).
     */
    /**
     * @param curve kept fractions of the kept-fraction and removal curves (empty: none)
     * @param curvePolicies the fraction-taking policies each method is drawn with on the curves
     */
    public record EvaluateSpec(int k, boolean zeroShot, int seeds, int bootstrap, boolean bootstrapSeeds,
            StopRule stop, Grades grades,
            List<Double> curve, List<String> curvePolicies) {
    }

    /**
     * How a classifier's grade is read for accuracy and kappa: {@code calibrated} cuts its expected grade where the
     * validation split's predictions reproduce the training split's grade shares (the zero-shot baseline's
     * calibration, so both are read the same way; no validation label is used); {@code argmax} takes the most
     * probable grade.
     */
    public enum Grades {
        CALIBRATED, ARGMAX
    }

    /**
     * Ends the iterations after iteration k when the kept subset's validation {@code metric} (mean over seeds) falls below
     * {@code floor} times the full model's ({@code floor} 0 = off; for rmse, rises above the full model's divided by
     * {@code floor}), or changes by less than {@code plateau} from iteration k-1 ({@code plateau} 0 = off).
     */
    public record StopRule(String metric, double floor, double plateau) {
    }

    /**
     * Where a run executes. {@code LOCAL}: in the process that starts it. {@code AWS_BATCH}: scheduled firings (and
     * {@code sift run --submit} whatever the target) submit the whole run as one AWS Batch job running
     * {@code sift resume RUN} in the same image.
     *
     * @param queue {@code gpu} or {@code cpu} (the queue and job definition that Terraform outputs name for it), or a
     *        job queue name or ARN
     * @param jobDefinition a job definition name or ARN; null: the one that goes with {@code queue}
     * @param attempts Batch jobs Sift submits for one run in a row when the one before failed (1: no resubmission);
     *        Batch's own retry strategy (spot reclaims) counts inside one job
     */
    public record Execution(Target target, String queue, String jobDefinition, int attempts) {
        /** Run where started, the default. */
        public static final Execution LOCAL = new Execution(Target.LOCAL, "gpu", null, 2);

        public Execution {
            requireNonNull(target, "target is null");
            requireNonNull(queue, "queue is null");
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
            }
        }

        /** The two targets. */
        public enum Target {
            LOCAL, AWS_BATCH
        }
    }
}
