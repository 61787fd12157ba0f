package dev.sift.workflow;

import dev.sift.importance.ImportanceMethods;
import dev.sift.selection.Order;
import dev.sift.selection.SelectionPolicies;
import dev.sift.selection.SelectionPolicy;
import dev.sift.workflow.WorkflowSpec.FilterSpec;
import dev.sift.workflow.WorkflowSpec.ScoreSpec;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The {@code filter} section of a relevance workflow (recommendation's is {@link RecommendParser#filter}). */
final class FilterParser {
    private FilterParser() {
    }

    /**
     * Keeps by a scored method; the kept end defaults to the method's "keep" end (its orientation). {@code
     * scoreErrors} are the errors the score section gave: a section refused down to no method is said once, so
     * filter.by and the policies are not checked against it, nor is filter.by held against a list whose refused name
     * is a misspelling of it (methods: [el2m], by: el2n).
     */
    static FilterSpec parse(SpecBinder.Obj f, ScoreSpec score, List<String> scoreErrors, boolean regression) {
        boolean methodsRefused = score.methods().isEmpty() && !scoreErrors.isEmpty();
        List<String> refused = scoreErrors.stream()
                .map(e -> e.replaceFirst("^.*score\\.methods: unknown method '([^']*)'.*$", "$1"))
                .filter(x -> !x.contains(":")).toList();
        String by = f.string("by", score.methods().isEmpty() ? null : score.methods().get(0));
        boolean misspelt = by != null && refused.stream().anyMatch(x -> SpecBinder.distance(x, by) <= 2);
        if (by != null && !methodsRefused && !misspelt && !score.methods().contains(by)) {
            f.invalid("by", "must be one of the score methods " + score.methods() + ", got '" + by + "'");
        }
        double keep = f.fraction("keep", 0.5);
        String keepEnd = by == null ? "highest" : ImportanceMethods.find(by)
                .map(m -> m.orientation().keepEnd()).orElse("highest");
        Order order = Order.valueOf(f.choice("order", keepEnd, "highest", "lowest").toUpperCase(Locale.ROOT));
        long seed = f.integer("seed", 99, Long.MIN_VALUE, Long.MAX_VALUE);
        String policy = f.string("policy", "top_fraction").trim().toLowerCase(Locale.ROOT);
        checkPolicy(f, "policy", policy, methodsRefused ? null : score, regression);
        List<String> candidates = f.names("candidates", List.of());
        if (f.has("candidates") && f.has("policy")) {
            f.invalid("candidates", "give filter.policy or filter.candidates (validation picks one of them), "
                    + "not both");
        } else if (f.has("candidates") && candidates.size() < 2) {
            f.invalid("candidates", "list at least two policies for validation to choose from");
        }
        candidates.forEach(c -> checkPolicy(f, "candidates", c, methodsRefused ? null : score, regression));
        f.done();
        return new FilterSpec(by, keep, order, seed, candidates.isEmpty() ? policy : candidates.get(0),
                candidates.isEmpty() ? null : List.copyOf(candidates));
    }

    /**
     * An unknown policy, one that needs confident learning's flags on a regression task (which has none: the advice to
     * add label_quality led a probe to its refusal), or one whose needs {@code score} (null: not checked) does not meet.
     */
    private static void checkPolicy(SpecBinder.Obj f, String key, String policy, ScoreSpec score,
            boolean regression) {
        Optional<SelectionPolicy> p = SelectionPolicies.find(policy);
        if (p.isEmpty()) {
            f.invalid(key, "unknown policy '" + policy + "'; known: " + String.join(", ",
                    SelectionPolicies.names()));
        } else if (regression && p.get().needsFlags()) {
            f.invalid(key, policy + " acts on confident learning's flags (label_quality), which a regression task has "
                    + "none of (no classes to disagree with); use top_fraction, ccs, stratified, drop_mixture, "
                    + "drop_groups or weighted");
        } else if (score != null && p.get().needsFlags() && !score.methods().contains("label_quality")) {
            f.invalid(key, policy + " needs the flags of method label_quality: add it to score.methods");
        }
    }
}
