package dev.sift.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.data.Sample;
import dev.sift.history.ReportView.Block;
import dev.sift.history.ReportView.Row;
import dev.sift.history.ReportView.TableView;
import dev.sift.importance.ImportanceMethod;
import dev.sift.importance.ImportanceMethods;
import dev.sift.importance.Orientation;
import dev.sift.store.IterationEntity;
import dev.sift.store.RunEntity;
import dev.sift.store.ScoreStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The sample-level parts of a report: a histogram of each method's scores per iteration, the known-noisy samples
 * stacked apart where the data marks them, and the most and least valuable samples of the method that filtered
 * with their explanation ({@code runs explain}).
 */
@ApplicationScoped
class ReportSamples {
    /** Samples shown at each end of the ranking. */
    static final int TOP = 20;
    private static final int BINS = 24;
    private static final int NEIGHBOURS = 3;

    @Inject
    ScoreStore scores;
    @Inject
    SampleExplainer explainer;
    @Inject
    RunHistory history;

    /** One histogram per iteration and method, in that order. */
    List<Block> histograms(long runId, List<IterationEntity> iterations, List<Sample> samples) {
        boolean marked = samples.stream().anyMatch(Sample::noisy);
        List<Block> out = new ArrayList<>();
        for (IterationEntity it : iterations) {
            for (String method : scores.methods(runId, it.k)) {
                List<ScoreStore.Row> rows = scores.read(runId, it.k, method);
                double[] v = rows.stream().mapToDouble(ScoreStore.Row::score).toArray();
                boolean[] noisy = null;
                long count = 0;
                if (marked) {
                    noisy = new boolean[rows.size()];
                    for (int i = 0; i < noisy.length; i++) {
                        noisy[i] = samples.get(rows.get(i).sampleIndex()).noisy();
                        count += noisy[i] ? 1 : 0;
                    }
                }
                String title = String.format(Locale.ROOT, "%s, iteration %d: %d samples%s", method, it.k, v.length,
                        marked ? ", " + count + " known noisy" : "");
                out.add(Block.of(ReportCharts.histogram(ReportCharts.id("hist", "i" + it.k, method), title, v, noisy,
                        BINS)));
            }
        }
        return out;
    }

    /**
     * The {@link #TOP} most and least valuable samples of iteration 1 by {@code method} (its orientation says which
     * end is valuable), each with every method's score and rank, the grade confident learning suggests, whether the
     * source marks the label as corrupted, and its nearest neighbours' labels.
     */
    List<Block> valuable(RunEntity run, List<Sample> samples, String filteredBy) {
        // an iteration kept by no stored score (recommendation's adt: its training loss) shows the first method's
        List<String> held = scores.methods(run.id, 1);
        String method = held.isEmpty() || held.contains(filteredBy) ? filteredBy : held.get(0);
        List<ScoreStore.Row> rows = new ArrayList<>(scores.read(run.id, 1, method));
        if (rows.isEmpty()) {
            return List.of(Block.text("Iteration 1 stored no " + method + " scores."));
        }
        // recommendation's mean_loss is not a search method: like its loss, higher = more likely noise
        Orientation o = ImportanceMethods.find(method).map(ImportanceMethod::orientation)
                .orElse(method.equals("mean_loss") ? Orientation.HIGHER_IS_REMOVE : Orientation.HIGHER_IS_KEEP);
        Comparator<ScoreStore.Row> byValue = Comparator.comparingDouble(ScoreStore.Row::score);
        rows.sort(o == Orientation.HIGHER_IS_KEEP ? byValue.reversed() : byValue);
        int n = Math.min(TOP, rows.size());
        List<ScoreStore.Row> most = rows.subList(0, n);
        List<ScoreStore.Row> least = new ArrayList<>(rows.subList(rows.size() - n, rows.size()));
        java.util.Collections.reverse(least);
        List<Block> out = new ArrayList<>();
        // a recommendation run keeps no hidden activations (no neighbours) and runs no confident learning
        boolean rec = history.units(run.id).equals("users");
        out.add(Block.text("Valuable by " + method + " (" + o.describe() + "), iteration 1 of " + rows.size()
                + " samples. Explanation: every method's score and rank (1 = highest)" + (rec ? "." : ", confident "
                + "learning's suggested grade, the source's noise mark, and the labels of the nearest neighbours in "
                + "the scoring model's hidden space.")));
        out.add(Block.of(table("samples-most", run, samples, most)));
        out.add(Block.of(table("samples-least", run, samples, least)));
        return out;
    }

    private TableView table(String id, RunEntity run, List<Sample> samples, List<ScoreStore.Row> ranked) {
        int[] ids = ranked.stream().mapToInt(ScoreStore.Row::sampleIndex).toArray();
        List<ObjectNode> why = explainer.explain(run, samples, 1, ids, NEIGHBOURS);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            Sample s = samples.get(ids[i]);
            // cut as runs explain cuts: a probe's 100 KB title made the table 890,505 px wide
            List<Object> values = List.of(i + 1, ids[i], ranked.get(i).score(), Table.exact(s.label()),
                    dev.sift.data.Text.cut(s.query(), TEXT), dev.sift.data.Text.cut(s.title(), TEXT),
                    explanation(why.get(i)));
            rows.add(Row.of(values, s.noisy()));
        }
        List<String> text = history.textNames(run.id);
        return new TableView(id, List.of("rank", "sample", "score", "label", text.get(0), text.get(1), "explanation"),
                rows);
    }

    /** The characters of a query or title the sample tables show ({@code runs explain --format json}: the rest). */
    static final int TEXT = 500;

    /** One line from what {@code runs explain} says about a sample. */
    static String explanation(JsonNode e) {
        List<String> parts = new ArrayList<>();
        for (JsonNode m : e.get("methods")) {
            parts.add(String.format(Locale.ROOT, "%s %.4g (rank %d of %d)", m.get("method").asText(),
                    m.get("score").asDouble(), m.get("rank").asLong(), m.get("of").asLong()));
        }
        String text = String.join("; ", parts);
        if (e.get("sample").has("known_noisy")) {
            text += "; the source marks this label as corrupted";
        }
        if (e.has("suggested_label")) {
            text += "; confident learning suggests grade " + e.get("suggested_label").asText();
        }
        List<String> labels = new ArrayList<>();
        e.get("neighbours").forEach(x -> labels.add(Table.cell(Table.exact(x.get("label").asDouble()))));
        if (!labels.isEmpty()) {
            text += "; nearest neighbours' labels " + String.join(", ", labels);
        }
        return text;
    }
}
