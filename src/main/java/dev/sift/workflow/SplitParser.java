package dev.sift.workflow;

import dev.sift.data.SplitSpec;
import dev.sift.importance.ImportanceMethods;
import dev.sift.importance.Need;
import dev.sift.workflow.WorkflowSpec.ScoreSpec;
import java.util.List;

/**
 * The {@code split} section of a query-product workflow: the shares held out by query, and the seed. The utility
 * share, when the workflow does not set it, follows the methods that will run (read after {@code score}), so the
 * section is read in two steps: {@link #read}, then {@link #resolve}.
 */
final class SplitParser {
    private SplitParser() {
    }

    /**
     * The shares as written; the utility share NaN when not set (and no file gives it).
     *
     * @param given the files a workflow names for its splits ({@code dataset.validation}, {@code dataset.utility},
     *     {@code dataset.test}), or null: the share of a split a file gives cannot be set; a split no file gives is
     *     drawn from the training file's queries at its share ({@code split.validation} 0.1 and {@code split.test} 0.2
     *     by default; utility as {@link #resolve} says)
     */
    static SplitSpec read(SpecBinder.Obj s, dev.sift.data.DatasetSpec.Given given) {
        boolean testGiven = given != null && given.test() != null;
        boolean validationGiven = given != null && given.validation() != null;
        boolean utilityGiven = given != null && given.utility() != null;
        List<String> fixed = new java.util.ArrayList<>();
        if (validationGiven) {
            fixed.add("validation");
        }
        if (utilityGiven) {
            fixed.add("utility");
        }
        if (testGiven) {
            fixed.add("test");
        }
        for (String key : fixed) {
            if (s.has(key)) {
                String files = fixed.stream().map(k -> "dataset." + k)
                        .collect(java.util.stream.Collectors.joining(", ")).replaceFirst(", ([a-z.]+)$", " and $1");
                s.invalid(key, "cannot be set: " + (fixed.size() == 1 ? "dataset." + key + " gives the " + key
                        + " split" : files + " give the split"));
            }
        }
        double val = s.share("validation", validationGiven ? 0 : 0.1);
        double utility = utilityGiven ? 0 : s.optional("utility") ? s.share("utility", SplitSpec.DEFAULT_UTILITY)
                : Double.NaN;
        double test = s.share("test", testGiven ? 0 : 0.2);
        if (!testGiven && test == 0 && s.has("test")) {
            s.invalid("test", "must be above 0: every model is measured on the test split (with 0 the run would train "
                    + "everything and report NaN)");
        }
        long seed = s.integer("seed", 13, Long.MIN_VALUE, Long.MAX_VALUE);
        s.done();
        return new SplitSpec(val, utility, test, seed);
    }

    /** Whether {@link #read} left the utility share to the methods. */
    static boolean utilityByMethods(SplitSpec split) {
        return Double.isNaN(split.utility());
    }

    /**
     * The split with its utility share: as set, or {@value SplitSpec#DEFAULT_UTILITY} of the training queries when a
     * method to run values samples against a utility split (TracIn, KNN-Shapley, or an ensemble with one of them),
     * else none, so no query is held out that nothing reads. Then the one check that training keeps at least 10%.
     */
    static SplitSpec resolve(SpecBinder.Obj s, SplitSpec split, ScoreSpec score) {
        boolean byMethods = utilityByMethods(split);
        SplitSpec out = !byMethods ? split : split.withUtility(needsUtility(score) ? SplitSpec.DEFAULT_UTILITY : 0);
        if (tooLarge(out.validation() + out.utility() + out.test())) {
            // the default named only when it is what tipped the sum over
            boolean tipped = byMethods && out.utility() > 0 && !tooLarge(out.validation() + out.test());
            s.invalid(culprit(s), "validation + utility" + (tipped ? " (" + SplitSpec.DEFAULT_UTILITY + ", the "
                    + "default when a method values samples against it)" : "") + " + test must leave at least 10% "
                    + "for training");
        }
        return out;
    }

    /** Held-out shares leaving less than 10% for training (exactly 10% is enough, whatever the rounding). */
    private static boolean tooLarge(double heldOut) {
        return heldOut > 0.9 + 1e-9;
    }

    /** A {@code dataset.utility} file that no method to run reads is refused at its line. */
    static void utilityFileRead(SpecBinder b, int line, dev.sift.data.TaskSpec task, ScoreSpec score) {
        if (!needsUtility(score)) {
            b.error(line, "dataset.utility", task.type() == dev.sift.data.TaskType.REGRESSION
                    ? "no method that values samples against a utility split (knn_shapley, tracin) runs on a "
                            + "regression task: leave dataset.utility out"
                    : "no method in score.methods values samples against a utility split (knn_shapley, tracin, or "
                            + "an ensemble with one): add one, or leave dataset.utility out");
        }
    }

    /** Whether a method to run values samples against a utility split. */
    static boolean needsUtility(ScoreSpec score) {
        for (String name : score.methods()) {
            try { // an ensemble needs what its members need
                if (ImportanceMethods.configured(name, score.ensemble()).needs().contains(Need.UTILITY_SPLIT)) {
                    return true;
                }
            } catch (IllegalArgumentException e) {
                // an unknown method or member: the score section has reported it
            }
        }
        return false;
    }

    /** The split key a too-large sum is reported on: utility when set, else test, else validation. */
    private static String culprit(SpecBinder.Obj s) {
        return s.has("utility") ? "utility" : s.has("test") ? "test" : s.has("validation") ? "validation" : "test";
    }
}
