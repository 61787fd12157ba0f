package dev.sift.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.history.ReportView.ChartView;
import java.util.List;
import java.util.Locale;

/**
 * ECharts options of the report's charts, built as JSON data (no functions), so that the page only parses them and
 * hands them to the library. Animation is off: a chart is drawn when its option is set.
 */
final class ReportCharts {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Colours of the clean and the known-noisy samples in a histogram. */
    private static final String CLEAN = "#5470c6";
    private static final String NOISY = "#ee3333";

    private ReportCharts() {
    }

    /** A stable element id from free text (a method or metric name): letters, digits and dashes. */
    static String id(String... parts) {
        StringBuilder sb = new StringBuilder("chart");
        for (String p : parts) {
            sb.append('-').append(p.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", ""));
        }
        return sb.toString();
    }

    /** One line of a chart: its name, (x, y) points, and its dash ({@code solid}, {@code dashed}, {@code dotted}). */
    record Line(String name, List<double[]> points, String dash) {
    }

    /** A line chart over a numeric x axis. */
    static ChartView lines(String id, String kind, String title, String xName, String yName, List<Line> lines) {
        ObjectNode o = base(title);
        o.putObject("tooltip").put("trigger", "item");
        o.putObject("xAxis").put("type", "value").put("name", xName).put("nameLocation", "middle").put("nameGap", 28);
        o.putObject("yAxis").put("type", "value").put("name", yName).put("scale", true);
        ArrayNode series = o.putArray("series");
        for (Line l : lines) {
            ObjectNode s = series.addObject().put("type", "line").put("name", l.name()).put("symbolSize", 7);
            s.putObject("lineStyle").put("type", l.dash());
            ArrayNode data = s.putArray("data");
            l.points().forEach(p -> data.addArray().add(p[0]).add(p[1]));
        }
        legend(o, lines.stream().map(Line::name).toList());
        return new ChartView(id, kind, title, o.toString());
    }

    /**
     * A histogram of scores in {@code bins} equal bins between their minimum and maximum, the known-noisy samples
     * stacked on the clean ones in another colour when {@code noisy} is not null.
     */
    static ChartView histogram(String id, String title, double[] scores, boolean[] noisy, int bins) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : scores) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) {
            lo = 0;
            hi = 1;
        }
        double width = hi > lo ? (hi - lo) / bins : 1;
        long[] clean = new long[bins];
        long[] bad = new long[bins];
        for (int i = 0; i < scores.length; i++) {
            if (Double.isFinite(scores[i])) {
                int b = Math.min(bins - 1, (int) ((scores[i] - lo) / width));
                if (noisy != null && noisy[i]) {
                    bad[b]++;
                } else {
                    clean[b]++;
                }
            }
        }
        ObjectNode o = base(title);
        o.putObject("tooltip").put("trigger", "axis");
        ArrayNode cats = o.putObject("xAxis").put("type", "category").put("name", "score").put("nameLocation",
                "middle").put("nameGap", 28).putArray("data");
        for (int b = 0; b < bins; b++) {
            cats.add(String.format(Locale.ROOT, "%.3g", lo + (b + 0.5) * width));
        }
        o.putObject("yAxis").put("type", "value").put("name", "samples");
        ArrayNode series = o.putArray("series");
        bar(series, noisy == null ? "samples" : "clean", CLEAN, clean);
        if (noisy != null) {
            bar(series, "known noisy", NOISY, bad);
        }
        legend(o, noisy == null ? List.of("samples") : List.of("clean", "known noisy"));
        return new ChartView(id, "histogram", title, o.toString());
    }

    private static void bar(ArrayNode series, String name, String colour, long[] values) {
        ObjectNode s = series.addObject().put("type", "bar").put("name", name).put("stack", "n")
                .put("barCategoryGap", "10%");
        s.putObject("itemStyle").put("color", colour);
        ArrayNode d = s.putArray("data");
        for (long v : values) {
            d.add(v);
        }
    }

    /** Kept and left samples per iteration, stacked. */
    static ChartView lineage(String id, String title, List<String> iterations, long[] kept, long[] left) {
        ObjectNode o = base(title);
        o.putObject("tooltip").put("trigger", "axis");
        ArrayNode cats = o.putObject("xAxis").put("type", "category").putArray("data");
        iterations.forEach(cats::add);
        o.putObject("yAxis").put("type", "value").put("name", "samples");
        ArrayNode series = o.putArray("series");
        bar(series, "kept", "#91cc75", kept);
        bar(series, "left", "#bbbbbb", left);
        legend(o, List.of("kept", "left"));
        return new ChartView(id, "lineage", title, o.toString());
    }

    /** One difference with its interval, e.g. the kept subset minus random in one iteration. */
    record Interval(String label, double delta, double lo, double hi) {
        boolean bounded() {
            return Double.isFinite(lo) && Double.isFinite(hi);
        }
    }

    /**
     * Differences with their intervals: a box from the interval's low to its high end with the difference as its
     * middle line, and a line at 0 (an interval that crosses it shows no difference).
     */
    static ChartView intervals(String id, String title, String yName, List<Interval> rows) {
        ObjectNode o = base(title);
        o.putObject("tooltip").put("trigger", "item");
        ObjectNode x = o.putObject("xAxis").put("type", "category");
        x.putObject("axisLabel").put("interval", 0).put("rotate", rows.size() > 6 ? 30 : 0);
        ArrayNode cats = x.putArray("data");
        rows.forEach(r -> cats.add(r.label() + (r.bounded() ? "" : " (no interval)")));
        o.putObject("yAxis").put("type", "value").put("name", yName).put("scale", true);
        ArrayNode series = o.putArray("series");
        ObjectNode box = series.addObject().put("type", "boxplot").put("name", "95% interval");
        ArrayNode data = box.putArray("data");
        // a difference without an interval (too few queries inform it) gets no box: a box of width 0 away from 0
        // would read as an interval that excludes 0; its difference is a point of its own
        ArrayNode bare = JSON.createArrayNode();
        for (Interval r : rows) {
            if (r.bounded()) {
                data.addArray().add(r.lo()).add(r.lo()).add(r.delta()).add(r.hi()).add(r.hi());
                bare.add("-");
            } else {
                data.add("-");
                bare.add(r.delta());
            }
        }
        boolean anyBare = rows.stream().anyMatch(r -> !r.bounded());
        if (anyBare) {
            ObjectNode point = series.addObject().put("type", "scatter").put("name", "difference, no interval");
            point.set("data", bare);
        }
        ObjectNode zero = series.addObject().put("type", "line").put("name", "0").put("symbol", "none");
        zero.putObject("lineStyle").put("type", "dashed").put("color", "#999999");
        ArrayNode z = zero.putArray("data");
        rows.forEach(r -> z.add(0));
        legend(o, anyBare ? List.of("95% interval", "difference, no interval") : List.of("95% interval"));
        return new ChartView(id, "intervals", title, o.toString());
    }

    private static ObjectNode base(String title) {
        ObjectNode o = JSON.createObjectNode();
        o.put("animation", false);
        o.putObject("title").put("text", title).put("left", "center").putObject("textStyle").put("fontSize", 13);
        o.putObject("grid").put("left", 60).put("right", 30).put("top", 70).put("bottom", 60).put("containLabel",
                true);
        return o;
    }

    private static void legend(ObjectNode o, List<String> names) {
        ObjectNode l = o.putObject("legend").put("type", "scroll").put("top", 26);
        ArrayNode d = l.putArray("data");
        names.forEach(d::add);
    }
}
