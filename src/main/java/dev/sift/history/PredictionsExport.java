package dev.sift.history;

import dev.sift.SiftException;
import dev.sift.data.Sample;
import dev.sift.store.IterationEntity;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunEntity;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * {@code sift runs export --predictions}: what every model one iteration evaluated answered on each test pair, with
 * the pair's texts and label, so that every test metric the run prints can be recomputed outside Sift. The subsets
 * are named as in the metric rows ({@code selected} is the kept subset); {@code seed} counts from 0 as the
 * evaluation seeds do; {@code group} is what NDCG, MRR and the bootstrap group by (the query as the split matches it,
 * or the {@code dataset.columns.group} value); {@code score} ranks (NDCG, MRR, AUC; empty for {@code majority},
 * which ranks nothing), {@code prediction} is the label the grade metrics read, and binary tasks add the probability
 * and its threshold.
 */
@ApplicationScoped
public class PredictionsExport {
    @Inject
    RunStore runs;
    @Inject
    RunHistory history;
    @Inject
    ObjectStore objects;

    /** The rows of iteration {@code iteration} (null: the run's last with stored predictions) of run {@code run}. */
    public SubsetExport.Rows rows(RunEntity run, Integer iteration) {
        if (history.units(run.id).equals("users")) {
            throw SiftException.usage("run " + run.id + " is a recommendation run: its metrics rank every item for "
                    + "each held-out user, and no per-pair test predictions are stored");
        }
        List<IterationEntity> its = runs.iterations(run.id);
        Integer k = iteration;
        if (k == null) {
            for (IterationEntity i : its) {
                k = objects.exists(RunLayout.predictions(run.id, i.k)) ? (Integer) i.k : k;
            }
        }
        String key = k == null ? null : RunLayout.predictions(run.id, k);
        if (key == null || !objects.exists(key)) {
            throw SiftException.usage("run " + run.id + (k == null ? " has no" : ": iteration " + k + " has no")
                    + " stored test predictions (they are stored by each iteration's evaluate stage since stop 59: "
                    + "an iteration not evaluated yet, or evaluated before, has none" + (key == null ? ""
                            : "; " + objects.uri(key) + " is missing") + ")");
        }
        List<Sample> samples = history.dataset(run.id);
        List<String> text = history.textNames(run.id);
        List<String[]> stored = objects.read(key, in -> {
            List<String[]> rows = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in),
                    StandardCharsets.UTF_8))) {
                r.readLine(); // the header: TestPredictions.COLUMNS
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    rows.add(line.split(",", -1));
                }
            }
            return rows;
        });
        boolean binary = stored.stream().anyMatch(c -> !c[5].isEmpty());
        List<String> columns = new ArrayList<>(List.of("subset", "seed", "sample", "source_line", "group",
                text.get(0), text.get(1), "label", "score", "prediction"));
        if (binary) {
            columns.addAll(List.of("probability", "threshold"));
        }
        List<List<Object>> cells = new ArrayList<>(stored.size());
        for (String[] c : stored) {
            Sample s = samples.get(Integer.parseInt(c[2]));
            List<Object> row = new ArrayList<>(List.of(c[0], Long.parseLong(c[1]), (long) s.index(),
                    (long) s.sourceLine(), s.group(), s.query(), s.title(), SubsetExport.number(s.label())));
            row.add(c[3].isEmpty() ? null : Double.parseDouble(c[3]));
            row.add(SubsetExport.number(Double.parseDouble(c[4])));
            if (binary) {
                row.add(c[5].isEmpty() ? null : Double.parseDouble(c[5]));
                row.add(c[6].isEmpty() ? null : Double.parseDouble(c[6]));
            }
            cells.add(row);
        }
        return new SubsetExport.Rows(k, columns, cells);
    }
}
