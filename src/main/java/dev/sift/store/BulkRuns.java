package dev.sift.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * Finished runs written in bulk with COPY, as the history benchmark and tests generate them: the run row with its
 * parameters, its test metric rows and its comparisons, nothing else (no stages, scores or weights).
 */
@ApplicationScoped
public class BulkRuns {
    @Inject
    Instance<AgroalDataSource> dataSource;

    /** A metric row: {@code seed} null for the mean over seeds, split {@code test}. */
    public record NewMetric(int iteration, String subset, String name, double value, Integer seed) {
    }

    /** A run to write. */
    public record NewRun(String name, String workflow, RunEntity.Status status, Instant created,
            Map<String, Object> params, List<NewMetric> metrics, List<MetricStore.Comparison> comparisons) {
    }

    /** Writes the runs in one transaction; returns their ids in order. */
    public List<Long> insert(List<NewRun> runs) {
        List<Long> ids = new ArrayList<>();
        Transactions.run(dataSource.get(), "write generated runs", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT nextval(pg_get_serial_sequence('run', 'id')) "
                    + "FROM generate_series(1, ?)")) {
                ps.setInt(1, runs.size());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                    }
                }
            }
            StringBuilder run = new StringBuilder();
            StringBuilder metric = new StringBuilder();
            StringBuilder comparison = new StringBuilder();
            for (int i = 0; i < runs.size(); i++) {
                rows(ids.get(i), runs.get(i), run, metric, comparison);
            }
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY run (id, name, workflow, workflow_path, spec_yaml, status, created_at, started_at, "
                    + "finished_at, params) FROM STDIN", new StringReader(run.toString()));
            copy.copyIn("COPY metric (run_id, iteration, split, subset, name, value, seed) FROM STDIN",
                    new StringReader(metric.toString()));
            copy.copyIn("COPY comparison (run_id, iteration, metric, subset, baseline, delta, lo, hi, seeds, queries, "
                    + "resamples) FROM STDIN", new StringReader(comparison.toString()));
        });
        return ids;
    }

    private static void rows(long id, NewRun r, StringBuilder run, StringBuilder metric, StringBuilder comparison) {
        String created = r.created().toString();
        line(run, id, r.name(), r.workflow(), "(generated)", "name: " + r.workflow() + "\n", r.status().name(),
                created, created, created, HistoryStore.json(r.params()));
        for (NewMetric m : r.metrics()) {
            line(metric, id, m.iteration(), "test", m.subset(), m.name(), m.value(), m.seed());
        }
        for (MetricStore.Comparison k : r.comparisons()) {
            line(comparison, id, k.iteration(), k.metric(), k.subset(), k.baseline(), k.delta(), finite(k.lo()),
                    finite(k.hi()), k.seeds(), k.queries(), k.resamples());
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** One line of COPY's text format: tab-separated, {@code \N} for null, backslash escapes. */
    private static void line(StringBuilder sb, Object... values) {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append('\t');
            }
            Object v = values[i];
            if (v == null) {
                sb.append("\\N");
            } else {
                String s = v.toString();
                for (int j = 0; j < s.length(); j++) {
                    char ch = s.charAt(j);
                    switch (ch) {
                        case '\\' -> sb.append("\\\\");
                        case '\t' -> sb.append("\\t");
                        case '\n' -> sb.append("\\n");
                        case '\r' -> sb.append("\\r");
                        default -> sb.append(ch);
                    }
                }
            }
        }
        sb.append('\n');
    }

    /** Updates the planner's statistics of the tables bulk writes fill, as autovacuum would soon after. */
    public void analyze() {
        Transactions.run(dataSource.get(), "analyze", c -> {
            try (var st = c.createStatement()) {
                st.execute("ANALYZE run");
                st.execute("ANALYZE metric");
                st.execute("ANALYZE comparison");
            }
        });
    }

    /** Deletes every run of a workflow with its metrics and comparisons; returns how many runs. */
    public int deleteWorkflow(String workflow) {
        int[] n = new int[1];
        Transactions.run(dataSource.get(), "delete generated runs", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM run WHERE workflow = ?")) {
                ps.setString(1, workflow);
                n[0] = ps.executeUpdate();
            }
        });
        return n[0];
    }
}
