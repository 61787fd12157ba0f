package dev.sift.history;

import dev.sift.SiftException;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.stage.Subsets;
import dev.sift.store.IterationEntity;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import dev.sift.store.ScoreStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What each iteration of a run filtered and kept ({@code runs lineage}), and which samples left in one iteration
 * ({@code runs diff-subsets}): the set it filtered (its parent iteration's kept subset, or the training split) minus
 * what it kept, each sample with its text and label as the prepared dataset stores them and every method's score in
 * that iteration.
 */
@ApplicationScoped
public class RunLineage {
    @Inject
    RunStore runs;
    @Inject
    RunHistory history;
    @Inject
    ScoreStore scores;
    @Inject
    ObjectStore objects;

    /** One row per iteration, as {@code runs show} prints it. */
    public Table lineage(long runId) {
        return history.lineage(runId);
    }

    /** The samples that left in one iteration, by sample index. */
    public Table dropped(long runId, int iteration) {
        List<IterationEntity> its = runs.iterations(runId);
        IterationEntity it = its.stream().filter(i -> i.k == iteration).findFirst().orElseThrow(() ->
                SiftException.usage("run " + runId + " has no iteration " + iteration + (its.isEmpty()
                        ? " (it has none)" : " (it has 1.." + its.get(its.size() - 1).k + ")")));
        List<Sample> samples = history.dataset(runId);
        int parent = it.parent != null ? it.parent : iteration - 1;
        int[] pool = parent == 0 ? Subsets.ofSplit(samples, Split.TRAIN) : kept(runId, parent);
        int[] left = minus(pool, kept(runId, iteration));
        List<String> methods = scores.methods(runId, iteration);
        Map<String, Map<Integer, Double>> byMethod = scores.scoresOf(runId, iteration, left);
        boolean noise = samples.stream().anyMatch(Sample::noisy);
        List<String> text = history.textNames(runId);
        List<String> cols = new ArrayList<>(List.of("sample", "source_line", text.get(0), text.get(1), "description",
                "label"));
        if (noise) {
            cols.add("known_noisy");
        }
        cols.addAll(methods);
        Table t = new Table(cols);
        for (int i : left) {
            Sample s = samples.get(i);
            List<Object> row = new ArrayList<>(List.of(i, s.sourceLine(), s.query(), s.title(), s.description(),
                    Table.exact(s.label())));
            if (noise) {
                row.add(Table.YesNo.of(s.noisy()));
            }
            methods.forEach(m -> row.add(byMethod.getOrDefault(m, Map.of()).get(i)));
            t.add(row.toArray());
        }
        return t;
    }

    /** The kept subset of an iteration, as its filter stage stored it. */
    private int[] kept(long runId, int iteration) {
        String key = RunLayout.selected(runId, iteration);
        if (!objects.exists(key)) {
            throw SiftException.usage("run " + runId + ": the kept subset of iteration " + iteration + " ("
                    + objects.uri(key) + ") is missing");
        }
        return Subsets.read(objects, key);
    }

    /** The indices of {@code pool} that are not in {@code kept}, ascending. */
    static int[] minus(int[] pool, int[] kept) {
        int[] k = kept.clone();
        Arrays.sort(k);
        return Arrays.stream(pool).filter(i -> Arrays.binarySearch(k, i) < 0).sorted().toArray();
    }
}
