package dev.sift.workflow;

import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.selection.SelectionPolicies;
import dev.sift.selection.SelectionPolicy;
import dev.sift.workflow.WorkflowSpec.EvaluateSpec;
import java.util.List;
import java.util.Locale;

/**
 * The {@code evaluate} section of a query-product workflow: k, zero-shot, seeds, bootstrap, the stop rule, how
 * grades are read, and the kept-fraction curves.
 */
final class EvaluateParser {
    private EvaluateParser() {
    }

    /**
     * {@code strict} (a new workflow, not a stored one being resumed, explained or shown) also refuses settings
     * that do nothing: a stop rule that can never fire, grades on a regression task, an empty curve_policies. A
     * run stored before these rules keeps working.
     */
    /** {@code evaluate.bootstrap_seeds} (default true): each bootstrap resample also draws the training seeds. */
    static boolean bootstrapSeeds(SpecBinder.Obj e) {
        return e.choice("bootstrap_seeds", "true", "true", "false").equals("true");
    }

    static EvaluateSpec parse(SpecBinder.Obj e, TaskSpec task, boolean strict) {
        String zs = e.choice("zero_shot", "true", "true", "false");
        int k = (int) e.integer("k", 10, 1, 1000);
        WorkflowSpec.StopRule stop = null;
        if (e.optional("stop")) {
            SpecBinder.Obj st = e.obj("stop");
            String metric = task.type() == TaskType.BINARY
                    ? st.choice("metric", "kappa", "kappa", "accuracy", "ndcg@" + k, "f1", "auc", "mrr")
                    : task.classification() ? st.choice("metric", "kappa", "kappa", "accuracy", "ndcg@" + k)
                    : st.choice("metric", "ndcg@" + k, "ndcg@" + k, "rmse");
            double floor = st.optional("floor") ? st.fraction("floor", 1.0) : 0;
            double plateau = st.number("plateau", 0);
            if (plateau < 0) {
                st.invalid("plateau", "must be >= 0, got " + plateau);
            }
            if (strict && !st.has("floor") && plateau == 0) {
                e.invalid("stop", "give a floor, a plateau above 0, or both: without either the rule never stops "
                        + "anything");
            }
            st.done();
            stop = new WorkflowSpec.StopRule(metric, floor, plateau);
        }
        String grades = e.choice("grades", "calibrated", "calibrated", "argmax");
        if (strict && e.has("grades") && !task.classification()) {
            e.invalid("grades", "reads grades off a classifier; a regression task has none (its value is the "
                    + "predicted label)");
        }
        List<Double> curve = new java.util.ArrayList<>();
        for (String v : e.strings("curve", List.of())) {
            try {
                double f = Double.parseDouble(v);
                if (!(f > 0 && f < 1)) {
                    throw new NumberFormatException();
                }
                curve.add(f);
            } catch (NumberFormatException ex) {
                e.invalid("curve", "kept fractions must be numbers in (0, 1), got " + v);
            }
        }
        e.distinct("curve", curve);
        List<String> curvePolicies = e.names("curve_policies", List.of("top_fraction"));
        if (strict && e.has("curve_policies") && curvePolicies.isEmpty()) {
            e.invalid("curve_policies", "list at least one policy (default: [top_fraction])");
        }
        for (String p : curvePolicies) {
            if (!SelectionPolicies.find(p).map(SelectionPolicy::takesFraction).orElse(false)) {
                e.invalid("curve_policies", "unknown or not fraction-taking policy " + p + "; one of "
                        + SelectionPolicies.names().stream().filter(n -> SelectionPolicies.find(n).orElseThrow()
                                .takesFraction()).toList());
            }
        }
        EvaluateSpec spec = new EvaluateSpec(k, zs.equals("true"), (int) e.integer("seeds", 3, 1, 50),
                (int) e.integer("bootstrap", 1000, 40, 100_000),
                bootstrapSeeds(e), stop,
                WorkflowSpec.Grades.valueOf(grades.toUpperCase(Locale.ROOT)), List.copyOf(curve),
                List.copyOf(curvePolicies));
        e.done();
        return spec;
    }
}
