package dev.sift.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.SiftException;
import dev.sift.data.Sample;
import dev.sift.stage.Subsets;
import dev.sift.store.IterationEntity;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunEntity;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import dev.sift.workflow.WorkflowParser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code sift runs export}: the training samples of one subset of one iteration (what the filter kept, or the random
 * subset beside it), each with its text and the label it trains on, as a file to train on elsewhere. Rows are in
 * sample order; {@code source_line} joins them back to the source file.
 */
@ApplicationScoped
public class SubsetExport {
    /** The subsets {@code --subset} takes. */
    public static final List<String> SUBSETS = List.of("kept", "random", "random-train");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RunStore runs;
    @Inject
    RunHistory history;
    @Inject
    ObjectStore objects;

    /** The rows of a subset, ready to write: column names, then one list of cells per sample. */
    public record Rows(int iteration, List<String> columns, List<List<Object>> cells) {
    }

    /** The subset {@code subset} of iteration {@code iteration} (null: the run's last) of run {@code run}. */
    public Rows rows(RunEntity run, Integer iteration, String subset) {
        List<IterationEntity> its = runs.iterations(run.id);
        if (its.isEmpty()) {
            throw SiftException.usage("run " + run.id + " has no filtered iteration yet (its filter stage has not "
                    + "finished)");
        }
        int k = iteration != null ? iteration : its.get(its.size() - 1).k;
        if (its.stream().noneMatch(i -> i.k == k)) {
            throw SiftException.usage("run " + run.id + " has no iteration " + k + " (it has 1.." + its.get(its.size()
                    - 1).k + ")");
        }
        String key = switch (subset) {
            case "kept" -> RunLayout.selected(run.id, k);
            case "random" -> RunLayout.random(run.id, k);
            default -> RunLayout.iteration(run.id, k, "random-train.json");
        };
        if (!objects.exists(key)) {
            throw SiftException.usage("run " + run.id + ": iteration " + k + " has no " + subset + " subset ("
                    + objects.uri(key) + " is missing" + (subset.equals("random-train") && k == 1 ? "; random-train "
                    + "is drawn from iteration 2 on, where the pool is already a kept set" : "") + ")");
        }
        Subsets.Training t = Subsets.training(objects, key);
        List<Sample> samples = history.dataset(run.id);
        // only a replaced grade needs the task's range (a class counts from min_label): older stored workflows that no
        // longer parse still export without one
        double minLabel = t.labels() == null ? 0 : WorkflowParser.parse("run " + run.id, run.specYaml, null, Map.of(),
                false).spec().task().minLabel();
        List<String> text = history.textNames(run.id);
        if (text.get(1).equals("item")) { // recommendation: the item's text, its key beside it (item_key)
            text = List.of(text.get(0), "item_text");
        }
        return rows(k, text, samples, t, minLabel);
    }

    /** The rows of training set {@code t} of iteration {@code k}; replacement classes count from {@code minLabel}. */
    static Rows rows(int k, List<String> text, List<Sample> samples, Subsets.Training t, double minLabel) {
        boolean items = java.util.Arrays.stream(t.indices()).anyMatch(i -> samples.get(i).item() != null);
        return new Rows(k, columns(text, t, items), cells(samples, t, minLabel, items));
    }

    private static List<String> columns(List<String> text, Subsets.Training t, boolean items) {
        List<String> cols = new ArrayList<>(List.of("sample", "source_line", text.get(0), text.get(1), "description",
                "label"));
        if (items) {
            cols.add(3, "item_key");
        }
        if (t.labels() != null) {
            cols.add("given_label"); // label: the grade the policy put in its place, where it replaced one
        }
        if (t.weights() != null) {
            cols.add("weight");
        }
        return cols;
    }

    private static List<List<Object>> cells(List<Sample> samples, Subsets.Training t, double minLabel,
            boolean items) {
        Integer[] order = new Integer[t.indices().length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, java.util.Comparator.comparingInt(i -> t.indices()[i]));
        List<List<Object>> out = new ArrayList<>(order.length);
        for (int i : order) {
            Sample s = samples.get(t.indices()[i]);
            boolean replaced = t.labels() != null && t.labels()[i] >= 0;
            List<Object> row = new ArrayList<>(List.of(s.index(), s.sourceLine(), s.query(), s.title(),
                    s.description(), number(replaced ? minLabel + t.labels()[i] : s.label())));
            if (items) {
                row.add(3, s.item());
            }
            if (t.labels() != null) {
                row.add(number(s.label()));
            }
            if (t.weights() != null) {
                row.add(t.weights()[i]);
            }
            out.add(row);
        }
        return out;
    }

    /** A label as a whole number where it is one (3, not 3.0), else as it is. */
    static Number number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
    }

    /** CSV (RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled) with a header row. */
    public static void csv(Rows rows, Writer w) throws IOException {
        line(rows.columns().stream().map(c -> (Object) c).toList(), w);
        for (List<Object> r : rows.cells()) {
            line(r, w);
        }
    }

    private static void line(List<Object> cells, Writer w) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            w.write(i == 0 ? "" : ",");
            w.write(dev.sift.data.Text.csv(cells.get(i) == null ? null : cells.get(i).toString()));
        }
        w.write('\n');
    }

    /** JSON Lines: one object a sample, numbers as numbers. */
    public static void jsonl(Rows rows, Writer w) throws IOException {
        for (List<Object> r : rows.cells()) {
            ObjectNode n = JSON.createObjectNode();
            for (int i = 0; i < r.size(); i++) {
                String c = rows.columns().get(i);
                Object v = r.get(i);
                if (v instanceof Long l) {
                    n.put(c, l);
                } else if (v instanceof Integer l) {
                    n.put(c, l);
                } else if (v instanceof Double d) {
                    n.put(c, d);
                } else {
                    n.put(c, v == null ? null : v.toString());
                }
            }
            w.write(JSON.writeValueAsString(n));
            w.write('\n');
        }
    }
}
