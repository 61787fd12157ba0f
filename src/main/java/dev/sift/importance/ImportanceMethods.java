package dev.sift.importance;

import dev.sift.data.TaskType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry of importance methods, built from the method classes themselves: each registers with
 * {@code @AutoService(ImportanceMethod.class)}, which writes it into {@code META-INF/services} at compile time.
 * No list of method names exists anywhere else.
 */
public final class ImportanceMethods {
    private static final Map<String, ImportanceMethod> BY_NAME = load();

    private ImportanceMethods() {
    }

    private static Map<String, ImportanceMethod> load() {
        Map<String, ImportanceMethod> out = new TreeMap<>();
        for (ImportanceMethod m : ServiceLoader.load(ImportanceMethod.class, ImportanceMethod.class.getClassLoader())) {
            ImportanceMethod before = out.put(m.name(), m);
            if (before != null) {
                throw new IllegalStateException("two importance methods are named " + m.name() + ": "
                        + before.getClass().getName() + " and " + m.getClass().getName());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no importance methods registered (META-INF/services missing)");
        }
        return Collections.unmodifiableMap(out);
    }

    /** Every method, by name. */
    public static List<ImportanceMethod> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** Every method name, sorted. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    public static Optional<ImportanceMethod> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    public static ImportanceMethod byName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown importance method '" + name
                + "'; known: " + String.join(", ", names())));
    }

    /** The method by name, with its members when it combines others. */
    public static ImportanceMethod configured(String name, List<String> members) {
        ImportanceMethod m = byName(name);
        return m instanceof Combines c && members != null ? c.over(members) : m;
    }

    /**
     * Why {@code method} cannot run on this task with what the model provides, or empty when it can.
     *
     * @param available what the scoring setup can supply (for example {@link Need#FULL_GRADIENTS} only for
     *     models with ghost norms)
     */
    public static Optional<String> whyNot(ImportanceMethod method, TaskType task, Set<Need> available) {
        if (!method.tasks().contains(task)) {
            String note = task == TaskType.REGRESSION && method.regressionNote() != null ? method.regressionNote()
                    : "it supports " + method.tasks();
            return Optional.of(method.name() + " is not defined for " + task.key() + " tasks: " + note);
        }
        for (Need n : method.needs()) {
            if (!available.contains(n)) {
                return Optional.of(method.name() + " needs " + describe(n));
            }
        }
        return Optional.empty();
    }

    /** The methods that can run on this task with what is available, in name order. */
    public static List<ImportanceMethod> applicable(TaskType task, Set<Need> available) {
        List<ImportanceMethod> out = new ArrayList<>();
        for (ImportanceMethod m : BY_NAME.values()) {
            if (whyNot(m, task, available).isEmpty()) {
                out.add(m);
            }
        }
        return out;
    }

    private static String describe(Need n) {
        return switch (n) {
            case UTILITY_SPLIT -> "a held-out split to value samples against";
            case TRAINING_DYNAMICS -> "per-epoch training dynamics";
            case FULL_GRADIENTS -> "per-sample gradient norms over all parameters, which only encoder hashed-bow "
                    + "on a graded or binary task provides (grad_norm gives the last layer of any model)";
            case OUTPUT_ALIGNMENT -> "the alignment of the training loss gradient with each sample's output gradient";
            case OTHER_METHODS -> "other methods to combine";
            case CROSS_FIT -> "out-of-fold predictions: set score.cross_fit to K >= 2 (K models trained on "
                    + "query-grouped folds of the pool, each predicting the fold it did not see)";
        };
    }
}
