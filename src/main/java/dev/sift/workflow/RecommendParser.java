package dev.sift.workflow;

import dev.sift.data.SplitSpec;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.model.ModelSpec;
import dev.sift.model.ScoringCheckpoint;
import dev.sift.selection.Order;
import dev.sift.workflow.WorkflowSpec.EvaluateSpec;
import dev.sift.workflow.WorkflowSpec.FilterSpec;
import dev.sift.workflow.WorkflowSpec.ScoreSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * The sections of a {@code task.type: recommendation} workflow that differ from a relevance task's: the positive
 * threshold, the per-user time split (nothing to set but the seed), the interaction methods and denoising policies,
 * the full-ranking evaluation and the {@code recommend} model section. Errors go to the binder like every other
 * section's, with file, line and key.
 */
final class RecommendParser {
    /** Per-interaction methods: final loss, EL2N of the softmax over all items, loss averaged over epochs. */
    static final List<String> METHODS = List.of("loss", "el2n", "mean_loss");
    /** Denoising policies: drop the highest-valued fraction (ADT's truncated loss), or weight every loss. */
    static final List<String> POLICIES = List.of("truncated", "reweighted", "adt");

    private RecommendParser() {
    }

    /** {@code positive_at}: the rating at which an interaction counts as positive (default: every row). */
    static TaskSpec task(SpecBinder.Obj t) {
        double positive = t.number("positive_at", -Double.MAX_VALUE);
        for (String key : List.of("min_label", "max_label")) {
            if (t.has(key)) {
                t.invalid(key, "does not apply to recommendation (task.positive_at says which ratings are positive)");
            }
        }
        t.done();
        return new TaskSpec(TaskType.RECOMMENDATION, positive, Double.MAX_VALUE);
    }

    /** The split is per user by time (last interaction tests, the one before validates): nothing to set. */
    static SplitSpec split(SpecBinder.Obj s) {
        for (String key : List.of("validation", "utility", "test", "seed")) {
            if (s.has(key)) {
                s.invalid(key, "does not apply to recommendation: each user's last positive tests and the one "
                        + "before validates");
            }
        }
        s.done();
        return new SplitSpec(0, 0, 0, 0);
    }

    static ScoreSpec score(SpecBinder.Obj s) {
        List<String> methods = new ArrayList<>(new LinkedHashSet<>(s.strings("methods", METHODS)));
        for (String m : methods) {
            if (!METHODS.contains(m)) {
                s.invalid("methods", "'" + m + "' does not apply to recommendation; its methods are " + METHODS);
            }
        }
        if (methods.isEmpty()) {
            s.invalid("methods", "list at least one of " + METHODS);
        }
        s.done();
        return new ScoreSpec(List.copyOf(methods), List.of(), 0, 1, ScoringCheckpoint.BEST);
    }

    /**
     * {@code policy} (or {@code candidates}, of which validation picks one): {@code truncated} keeps {@code keep} of
     * the training interactions from the {@code order} end of {@code by}; {@code reweighted} keeps all. A candidate
     * is {@code POLICY[/METHOD[/KEEP]]}, the missing parts taken from {@code by} and {@code keep}, or
     * {@code adt[/MAX_DROP_RATE]} (ADT's truncated loss during training; default rate {@code 1 - keep}).
     */
    static FilterSpec filter(SpecBinder.Obj f, ScoreSpec score) {
        // no method (refused above, said once): by has no default and is not checked against the empty list
        String by = f.string("by", score.methods().isEmpty() ? null : score.methods().get(0));
        if (by != null && !score.methods().isEmpty() && !score.methods().contains(by)) {
            f.invalid("by", "must be one of the score methods " + score.methods() + ", got '" + by + "'");
        }
        double keep = f.fraction("keep", 0.9);
        Order order = Order.valueOf(f.choice("order", "lowest", "highest", "lowest").toUpperCase(Locale.ROOT));
        long seed = f.integer("seed", 99, Long.MIN_VALUE, Long.MAX_VALUE);
        String policy = f.choice("policy", "truncated", POLICIES.toArray(new String[0]));
        if (policy.equals("adt") && keep < 0.5) {
            f.invalid("keep", "adt drops at most half of a batch: keep must be at least 0.5, got " + keep);
        }
        List<String> candidates = f.names("candidates", List.of());
        if (f.has("candidates") && f.has("policy")) {
            f.invalid("candidates", "give filter.policy or filter.candidates (validation picks one), not both");
        } else if (f.has("candidates") && candidates.size() < 2) {
            f.invalid("candidates", "list at least two for validation to choose from");
        }
        java.util.Map<String, String> seen = new java.util.HashMap<>();
        for (String c : candidates) {
            String why = checkCandidate(c, score);
            if (why != null) {
                f.invalid("candidates", why);
            } else if (seen.containsKey(same(c, by, keep))) {
                // validation would train both and pick between two runs of one policy
                f.invalid("candidates", "'" + c + "' is the same candidate as '" + seen.get(same(c, by, keep))
                        + "' (missing parts come from filter.by and filter.keep)");
            } else {
                seen.put(same(c, by, keep), c);
            }
        }
        f.done();
        return new FilterSpec(by, keep, order, seed, candidates.isEmpty() ? policy : candidates.get(0),
                candidates.isEmpty() ? null : List.copyOf(candidates));
    }

    /** A checked candidate with its missing parts filled in: equal for two texts of one candidate. */
    private static String same(String c, String by, double keep) {
        String[] p = c.split("/");
        if (p[0].equals("adt")) {
            return String.format(Locale.ROOT, "adt/%.6f", p.length > 1 ? Double.parseDouble(p[1]) : 1 - keep);
        }
        String method = p.length > 1 ? p[1] : by;
        return p[0].equals("reweighted") ? "reweighted/" + method : String.format(Locale.ROOT, "%s/%s/%.6f", p[0],
                method, p.length > 2 ? Double.parseDouble(p[2]) : keep);
    }

    /** Why a candidate cannot run, or null. */
    static String checkCandidate(String c, ScoreSpec score) {
        String[] p = c.split("/");
        if (p[0].equals("adt")) {
            return p.length == 1 || p.length == 2 && p[1].matches("0?\\.\\d+") && Double.parseDouble(p[1]) > 0
                    && Double.parseDouble(p[1]) <= 0.5 ? null : "'" + c + "' is not adt[/MAX_DROP_RATE] with a rate "
                    + "in (0, 0.5]";
        }
        if (p.length > 3 || !POLICIES.contains(p[0])) {
            return "'" + c + "' is not POLICY[/METHOD[/KEEP]] with a policy of " + POLICIES;
        }
        if (p.length > 1 && !score.methods().contains(p[1])) {
            return "'" + c + "': method " + p[1] + " is not among the score methods " + score.methods();
        }
        if (p.length > 2 && p[0].equals("reweighted")) {
            return "'" + c + "': reweighted keeps every interaction (it weights them), so it takes no kept fraction";
        }
        if (p.length > 2) {
            try {
                double k = Double.parseDouble(p[2]);
                if (!(k > 0 && k <= 1)) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                return "'" + c + "': the kept fraction must be a number in (0, 1]";
            }
        }
        return null;
    }

    /** Seeds and bootstrap resamples; the metrics (HR@10, NDCG@10, Recall@20, MRR) are fixed. */
    static EvaluateSpec evaluate(SpecBinder.Obj e) {
        EvaluateSpec spec = new EvaluateSpec(10, false, (int) e.integer("seeds", 3, 1, 50),
                (int) e.integer("bootstrap", 1000, 40, 100_000), EvaluateParser.bootstrapSeeds(e), null,
                WorkflowSpec.Grades.ARGMAX, List.of(), List.of());
        e.done();
        return spec;
    }

    /**
     * The {@code recommend} section; the item tower's text encoder must be a pretrained one, frozen, and
     * {@code task.positive_at} needs a rating column to read.
     */
    static WorkflowSpec.Recommend recommend(SpecBinder.Obj root, ModelSpec model, TaskSpec task,
            dev.sift.data.DatasetSpec dataset) {
        if (task.minLabel() > -Double.MAX_VALUE && dataset.columns().label() == null) {
            root.obj("task").invalid("positive_at", "needs dataset.columns.rating, the rating it compares");
        }
        SpecBinder.Obj r = root.obj("recommend");
        if (!model.pretrained() || model.mode() != ModelSpec.Mode.HEAD) {
            root.invalid("model", "recommendation's item tower embeds item text with a pretrained encoder (minilm "
                    + "or bert), frozen: model.mode head");
        }
        double temperature = r.number("temperature", 0.05);
        if (!(temperature > 0 && temperature <= 10)) {
            r.invalid("temperature", "must be in (0, 10], got " + temperature);
        }
        double beta = r.number("beta", 0.5);
        if (!(beta >= 0 && beta <= 100)) {
            r.invalid("beta", "must be in [0, 100], got " + beta);
        }
        WorkflowSpec.Recommend out = new WorkflowSpec.Recommend((int) r.integer("dim", 64, 2, 4096),
                (int) r.integer("history", 50, 1, 100_000), (int) r.integer("negatives", 512, 0, 1_000_000),
                temperature, r.choice("id_embedding", "true", "true", "false").equals("true"),
                (int) r.integer("keep_last", 1, 0, 1000), beta);
        r.done();
        return out;
    }
}
