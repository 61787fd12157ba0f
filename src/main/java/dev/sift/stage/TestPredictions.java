package dev.sift.stage;

import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.evaluation.TestOutcome;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.workflow.StageContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Stores what every model an iteration evaluated (each subset's models per seed, and in iteration 1 the full model
 * and the baselines) answered on each test pair, so that every test metric a run prints can be recomputed outside
 * Sift from {@code sift runs export --predictions} (a stop-59 audit had to rebuild the model from its stored
 * weights to do so). Curve points are left out: a proof run trains hundreds of them.
 */
@ApplicationScoped
public class TestPredictions {
    /** The stored file's columns. */
    public static final List<String> COLUMNS = List.of("subset", "seed", "sample", "score", "prediction",
            "probability", "threshold");

    @Inject
    ObjectStore objects;

    /** Writes {@code outcomes} (subset to one outcome per seed, each over {@code test} in order). */
    void store(StageContext ctx, int[] test, Map<String, List<TestOutcome>> outcomes) {
        TaskSpec task = ctx.spec().task();
        objects.putWritten(RunLayout.predictions(ctx.runId(), ctx.iteration()), "sift-predictions-",
                "application/gzip", out -> {
                    GZIPOutputStream gz = new GZIPOutputStream(out);
                    BufferedWriter w = new BufferedWriter(new OutputStreamWriter(gz, StandardCharsets.UTF_8));
                    w.write(String.join(",", COLUMNS));
                    w.write('\n');
                    for (var e : outcomes.entrySet()) {
                        // the majority's copies, one per seed to pair with each seed's model, are one model
                        int models = e.getKey().equals("majority") ? 1 : e.getValue().size();
                        for (int seed = 0; seed < models; seed++) {
                            write(w, e.getKey(), seed, test, e.getValue().get(seed), task);
                        }
                    }
                    w.flush();
                    gz.finish();
                });
    }

    private static void write(BufferedWriter w, String subset, int seed, int[] test, TestOutcome o, TaskSpec task)
            throws java.io.IOException {
        boolean binary = task.type() == TaskType.BINARY;
        for (int i = 0; i < test.length; i++) {
            // the label the metrics read, in the label's own units: a grade, the regressed value, or the class
            double prediction = binary ? (o.predicted()[i] == 1 ? task.maxLabel() : task.minLabel())
                    : task.minLabel() + (task.classification() ? o.predicted()[i] : o.value()[i]);
            w.write(subset + "," + seed + "," + test[i] + "," + number(o.ranks() ? o.score()[i] : Double.NaN) + ","
                    + number(prediction) + "," + (binary ? number(o.value()[i]) : "") + ","
                    + (binary ? number(o.threshold()) : "") + "\n");
        }
    }

    /** A number as Java prints a double, the shortest that reads back the same; NaN as an empty cell. */
    static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
