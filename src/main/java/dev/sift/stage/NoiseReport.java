package dev.sift.stage;

import dev.sift.data.Sample;
import dev.sift.evaluation.NoiseDetection;
import dev.sift.importance.ImportanceMethod;
import dev.sift.store.RunStore;
import dev.sift.workflow.StageContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When the pool holds known-noisy labels (flipped by {@code dataset.noise}, or marked by the data's noise flag
 * column), how well each method's ranking finds them: printed after scoring and stored as metric rows of split
 * {@value #SPLIT}, subset = the method, names {@code noise_auroc}, {@code noise_auprc}, {@code noise_f1},
 * {@code noise_auroc_within} (among samples of the same given label, {@link NoiseDetection#aurocWithinLabel}) and
 * {@code noise_count}. A last row, {@value NoiseDetection#LABEL_ONLY}, is the baseline that reads only the given label
 * ({@link NoiseDetection#labelOnly}).
 */
final class NoiseReport {
    /** The metric split of these rows: the scored pool, not a test set. */
    static final String SPLIT = "pool";

    private final boolean[] noisy;
    private final double[] labels;
    private final int count;
    private final Map<String, NoiseDetection> rows = new LinkedHashMap<>();

    private NoiseReport(boolean[] noisy, double[] labels, int count) {
        this.noisy = noisy;
        this.labels = labels;
        this.count = count;
    }

    /** A report for the pool, or null when it holds no known-noisy label or nothing else. */
    static NoiseReport of(List<Sample> samples, int[] pool) {
        boolean[] noisy = new boolean[pool.length];
        double[] labels = new double[pool.length];
        int m = 0;
        for (int i = 0; i < pool.length; i++) {
            noisy[i] = samples.get(pool[i]).noisy();
            labels[i] = samples.get(pool[i]).label();
            m += noisy[i] ? 1 : 0;
        }
        return m == 0 || m == pool.length ? null : new NoiseReport(noisy, labels, m);
    }

    /** Measures one method's scores, oriented by the method (its "remove" end first). */
    void add(ImportanceMethod method, double[] scores) {
        rows.put(method.name(), NoiseDetection.of(method.orientation().toRemove(scores), noisy, labels));
    }

    /** Prints the table and stores one metric row per method and measure. */
    void finish(StageContext ctx, RunStore runs) {
        rows.put(NoiseDetection.LABEL_ONLY, NoiseDetection.ofLabelOnly(noisy, labels));
        ctx.console().info(String.format("  noise detection: %d known-noisy labels among %d pool samples (each "
                + "ranking's remove end first; %s: the given label alone, scored by its true noise share)", count,
                noisy.length, NoiseDetection.LABEL_ONLY));
        ctx.console().info(String.format("    %-18s %7s %7s %9s %13s", "method", "AUROC", "AUPRC", "F1@" + count,
                "AUROC-in-label"));
        for (var e : rows.entrySet()) {
            NoiseDetection d = e.getValue();
            ctx.console().info(String.format("    %-18s %7.3f %7.3f %9.3f %13.3f", e.getKey(), d.auroc(), d.auprc(),
                    d.f1(), d.aurocWithinLabel()));
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("noise_auroc", d.auroc());
            m.put("noise_auprc", d.auprc());
            m.put("noise_f1", d.f1());
            if (!Double.isNaN(d.aurocWithinLabel())) { // none when no label holds both noisy and clean samples
                m.put("noise_auroc_within", d.aurocWithinLabel());
            }
            m.put("noise_count", (double) d.noisy());
            runs.replaceMetrics(ctx.runId(), ctx.iteration(), SPLIT, e.getKey(), m);
        }
    }
}
