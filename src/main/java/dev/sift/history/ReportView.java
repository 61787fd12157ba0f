package dev.sift.history;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a report page shows, shaped for its template ({@code templates/report.html}): every value is text that the
 * template escapes, except the inlined chart library. A chart is a container with a stable id whose ECharts option
 * travels as JSON in an attribute.
 *
 * @param script the chart library and nothing else, inlined unescaped
 */
@TemplateData
public record ReportView(String title, String generated, List<RunHeader> runs, List<Section> sections,
        RawString script) {
    public ReportView {
        Objects.requireNonNull(title, "title is null");
        runs = List.copyOf(runs);
        sections = List.copyOf(sections);
    }

    /** The charts of the page, in order (what a browser must draw). */
    public List<ChartView> charts() {
        List<ChartView> out = new ArrayList<>();
        sections.forEach(s -> s.blocks().stream().filter(b -> b.chart() != null).forEach(b -> out.add(b.chart())));
        return out;
    }

    /** One run the report is about; {@code href} links to its own page where a server serves them, else null. */
    @TemplateData
    public record RunHeader(long id, String name, String workflow, String status, String created, String finished,
            String error, String href) {
    }

    /** A titled part of the page. */
    @TemplateData
    public record Section(String id, String title, String note, List<Block> blocks) {
        public Section {
            blocks = List.copyOf(blocks);
        }
    }

    /** One table, chart or paragraph. */
    @TemplateData
    public record Block(TableView table, ChartView chart, String text) {
        public static Block of(TableView t) {
            return new Block(t, null, null);
        }

        public static Block of(ChartView c) {
            return new Block(null, c, null);
        }

        public static Block text(String s) {
            return new Block(null, null, s);
        }
    }

    /** A chart: {@code kind} (curve, iterations, histogram, lineage, intervals) and its ECharts option as JSON. */
    @TemplateData
    public record ChartView(String id, String kind, String title, String option) {
    }

    /** A table; a highlighted row is one the reader should look at (a parameter that differs between runs). */
    @TemplateData
    public record TableView(String id, List<String> columns, List<Row> rows) {
        public TableView {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }

        /** A history table as shown in the terminal, numbers formatted the same way. */
        public static TableView of(String id, Table t) {
            List<Row> rows = new ArrayList<>();
            for (List<Object> r : t.rows()) {
                rows.add(Row.of(r, false));
            }
            return new TableView(id, t.columns(), rows);
        }
    }

    /** A table row. */
    @TemplateData
    public record Row(List<Cell> cells, boolean highlight) {
        public static Row of(List<Object> values, boolean highlight) {
            List<Cell> cells = new ArrayList<>();
            // NaN is a metric no test query informs (a kept - random NDCG of a click log): said as the metrics say it
            values.forEach(v -> cells.add(new Cell(v instanceof Double d && d.isNaN() ? "undefined" : Table.cell(v),
                    v instanceof Number, null)));
            return new Row(cells, highlight);
        }
    }

    /** A cell: its text, whether it is a number (right-aligned), and a link target or null. */
    @TemplateData
    public record Cell(String text, boolean number, String href) {
    }
}
