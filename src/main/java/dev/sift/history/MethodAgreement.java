package dev.sift.history;

import dev.sift.SiftException;
import dev.sift.data.Text;
import dev.sift.importance.Agreement;
import dev.sift.importance.ImportanceMethod;
import dev.sift.importance.ImportanceMethods;
import dev.sift.importance.Orientation;
import dev.sift.selection.TopFraction;
import dev.sift.store.IterationEntity;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
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
    @Inject
    RunStore runs;

    /** The table and the line under it that says what it measured. */
    public record Result(Table table, String note) {
    }

    /**
     * @param keep the kept fraction whose removal sets are compared, in (0, 1), as the filter counts it (ceil of keep
     *     x pool kept); null: as many as the iteration removed, or where it removed none (a policy that weights or
     *     relabels) or has no row, the run's {@code filter.keep}
     */
    public Result of(RunEntity run, int iteration, Double keep) {
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
                int at = java.util.Arrays.mismatch(pool, idx);
                throw SiftException.usage("run " + run.id + " iteration " + iteration + ": methods " + methods.get(0)
                        + " and " + m + " scored different samples (" + pool.length + " and " + idx.length
                        + "; the first that differs is position " + at + ")");
            }
            pool = idx;
            remove.put(m, orientation(m).toRemove(rows.stream().mapToDouble(ScoreStore.Row::score).toArray()));
        }
        int n = pool.length;
        String[] said = new String[1];
        int m = removed(run, iteration, keep, n, said);
        Table t = new Table(List.of("method", "other", "spearman", "removal_overlap", "by_chance", "removes", "of"));
        List<String> names = new ArrayList<>(remove.keySet());
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                double[] a = remove.get(names.get(i));
                double[] b = remove.get(names.get(j));
                t.add(names.get(i), names.get(j), Agreement.spearman(a, b), Agreement.overlap(a, b, m),
                        (double) m / n, m, n);
            }
        }
        String note = names.size() < 2 ? "one method scored in iteration " + iteration + " (" + names.get(0)
                + "): nothing to compare"
                : "scores turned so that higher = remove (each method's own orientation, whatever the run's "
                + "filter.order); spearman: rank correlation over the " + n + " samples; removal_overlap: the share of "
                + "the " + m + " samples the method would remove first (" + said[0] + ") that the other removes too, "
                + "ties at a cut at their expectation; by_chance: what two unrelated rankings overlap";
        return new Result(t, note);
    }

    /**
     * How many of the {@code n} pooled samples a removal set holds, and in {@code said[0]} where that number comes
     * from; a --keep that removes none or all is a usage error (every overlap would be NaN or 1).
     */
    private int removed(RunEntity run, int iteration, Double keep, int n, String[] said) {
        IterationEntity it = keep != null ? null : runs.iterations(run.id).stream().filter(i -> i.k == iteration)
                .findFirst().orElse(null);
        int m;
        if (it != null && it.poolSize == n && it.keptSize > 0 && it.keptSize < n) {
            m = n - it.keptSize;
            said[0] = "as many as iteration " + iteration + " removed: it kept " + it.keptSize + " of " + n
                    + (it.policy == null ? "" : " by " + it.policy);
        } else {
            double k = keep != null ? keep : WorkflowParser.parse("run " + run.id, run.specYaml, null, Map.of(),
                    false).spec().filter().keep();
            String from = keep != null ? "--keep " + Text.plain(k) : "the run's filter.keep " + Text.plain(k);
            if (!(k > 0 && k < 1)) {
                throw SiftException.usage(keep == null ? from + " removes none of iteration " + iteration + "'s "
                        + n + " samples; give --keep F (above 0 and below 1)"
                        : "--keep must be above 0 and below 1, got " + k);
            }
            int kept = TopFraction.keptCount(n, k);
            m = n - kept;
            if (m == 0 || m == n) {
                throw SiftException.usage(from + " removes " + (m == 0 ? "none" : "all") + " of the " + n
                        + " samples of iteration " + iteration + " (the filter keeps ceil(" + Text.plain(k) + " x " + n
                        + ") = " + kept + "): nothing to compare; give a --keep that removes some");
            }
            said[0] = "1 - keep, " + from + ", the kept count rounded up as the filter rounds it";
        }
        return m;
    }

    /** A stored method's orientation; recommendation's {@code mean_loss}, not a registered method, is a loss. */
    private static Orientation orientation(String method) {
        return ImportanceMethods.find(method).map(ImportanceMethod::orientation).orElse(Orientation.HIGHER_IS_REMOVE);
    }
}
