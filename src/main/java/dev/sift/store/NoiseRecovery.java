package dev.sift.store;

import dev.sift.data.Text;
import dev.sift.evaluation.Protocol;
import dev.sift.store.MetricStore.Comparison;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What injected label noise cost the full model, and the share of it the kept subset wins back, from a run's
 * comparisons: {@code full - full-clean} (the cost) and {@code selected - full} of the same iteration.
 */
public final class NoiseRecovery {
    /** The subset name of the clean reference: the full training split with the flipped labels put back. */
    public static final String CLEAN = "full-clean";

    private NoiseRecovery() {
    }

    /**
     * One line per metric with a clean reference: the cost with its interval, kept - full with its interval, and
     * (kept - full) / (clean - full) where the noise made the full model worse with an interval that excludes 0.
     */
    public static List<String> lines(List<Comparison> rows) {
        Map<String, Comparison> cost = new LinkedHashMap<>();
        Map<String, Comparison> gain = new HashMap<>();
        for (Comparison c : rows) {
            String key = c.iteration() + "|" + c.metric();
            if (c.subset().equals("full") && c.baseline().equals(CLEAN)) {
                cost.put(key, c);
            } else if (c.subset().equals("selected") && c.baseline().equals("full")) {
                gain.put(key, c);
            }
        }
        List<String> lines = new ArrayList<>();
        cost.forEach((key, c) -> {
            Comparison g = gain.get(key);
            if (g == null || c.metric().equals("ndcg_queries")) {
                return;
            }
            boolean worse = Protocol.lowerIsBetter(c.metric()) ? c.lo() > 0 : c.hi() < 0;
            String verdict = worse ? String.format(Locale.ROOT, "recovers %.0f%% of it", 100 * g.delta() / -c.delta())
                    : c.excludesZero() ? "the noise made the full model better, nothing to recover"
                    : "no measurable cost to recover (its interval includes 0)";
            lines.add("  noise cost the full model " + c.metric() + " " + interval(c.delta(), c.lo(), c.hi())
                    + "; kept - full " + interval(g.delta(), g.lo(), g.hi()) + ": " + verdict);
        });
        return lines;
    }

    private static String interval(double delta, double lo, double hi) {
        return Text.signed(delta) + " [" + Text.signed(lo) + ", " + Text.signed(hi) + "]";
    }
}
