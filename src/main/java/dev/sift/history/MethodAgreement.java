package dev.sift.history;

import dev.sift.SiftException;
import dev.sift.data.Text;
import dev.sift.importance.Agreement;
import dev.sift.importance.ImportanceMethod;
import dev.sift.importance.ImportanceMethods;
import dev.sift.importance.Orientation;
import dev.sift.store.RunEntity;
import dev.sift.store.ScoreStore;
import dev.sift.workflow.WorkflowParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a run's importance methods agree on what to drop: for every pair of methods scored in one iteration,
 * Spearman's rank correlation of their scores and the share of one's removal set at the kept fraction that the other
 * removes too, beside what chance gives. Methods that disagree cannot all be right about which samples matter; a
 * pair that agrees at chance level tells the user that picking the method is a bigger choice than picking the
 * fraction.
 */
@ApplicationScoped
public class MethodAgreement {
    @Inject
    ScoreStore scores;

    /** The table and the line under it that says what it measured. */
    public record Result(Table table, String note) {
    }

    /**
     * @param keep the kept fraction whose removal sets are compared, in (0, 1); null: the run's {@code filter.keep}
     */
    public Result of(RunEntity run, int iteration, Double keep) {
        double k = keep != null ? keep : WorkflowParser.parse("run " + run.id, run.specYaml, null, Map.of(), false)
                .spec().filter().keep();
        if (!(k > 0 && k < 1)) {
            throw SiftException.usage("--keep must be above 0 and below 1, got " + k + (keep == null
                    ? " (the run's filter.keep; give --keep)" : ""));
        }
        List<String> methods = scores.methods(run.id, iteration);
        if (methods.isEmpty()) {
            throw SiftException.usage("run " + run.id + " has no scores in iteration " + iteration);
        }
        Map<String, double[]> remove = new LinkedHashMap<>();
        int[] pool = null;
        for (String m : methods) {
            List<ScoreStore.Row> rows = scores.read(run.id, iteration, m);
            int[] idx = rows.stream().mapToInt(ScoreStore.Row::sampleIndex).toArray();
            if (pool != null && !java.util.Arrays.equals(pool, idx)) {
                throw SiftException.usage("run " + run.id + " iteration " + iteration + ": methods " + methods.get(0)
                        + " and " + m + " scored different samples (" + pool.length + " and " + idx.length + ")");
            }
            pool = idx;
            remove.put(m, orientation(m).toRemove(rows.stream().mapToDouble(ScoreStore.Row::score).toArray()));
        }
        int n = pool.length;
        int m = (int) Math.round((1 - k) * n);
        Table t = new Table(List.of("method", "other", "spearman", "removal_overlap", "by_chance", "removes", "of"));
        List<String> names = new ArrayList<>(remove.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                double[] a = remove.get(names.get(i));
                double[] b = remove.get(names.get(j));
                t.add(names.get(i), names.get(j), Agreement.spearman(a, b), Agreement.overlap(a, b, m),
                        n == 0 ? Double.NaN : (double) m / n, m, n);
            }
        }
        String note = names.size() < 2 ? "one method scored in iteration " + iteration + " (" + names.get(0)
                + "): nothing to compare"
                : "scores turned so that higher = remove; spearman: rank correlation over the " + n + " samples; "
                + "removal_overlap: the share of the " + m + " samples the method would remove first (1 - keep "
                + Text.plain(k) + ") that the other removes too, ties at a cut at their expectation; by_chance: what "
                + "two unrelated rankings overlap";
        return new Result(t, note);
    }

    /** A stored method's orientation; recommendation's {@code mean_loss}, not a registered method, is a loss. */
    private static Orientation orientation(String method) {
        return ImportanceMethods.find(method).map(ImportanceMethod::orientation).orElse(Orientation.HIGHER_IS_REMOVE);
    }
}
