package dev.sift.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Metrics over several training seeds and the comparisons between subsets. A metric row with a seed is one
 * training seed's value; the row without is the mean (and {@code <name>_sd} the standard deviation) over seeds.
 */
@ApplicationScoped
public class MetricStore {
    @Inject
    Instance<AgroalDataSource> dataSource;

    /** One comparison: subset minus baseline on a metric, with its bootstrap interval. */
    public record Comparison(int iteration, String metric, String subset, String baseline, double delta, double lo,
            double hi, int seeds, int queries, int resamples) {
        /** Whether the interval leaves out 0, the only case in which the difference means anything. */
        public boolean excludesZero() {
            return dev.sift.evaluation.Protocol.excludesZero(lo, hi);
        }
    }

    /** One seed's value of a metric. */
    public record SeedValue(int iteration, String subset, int seed, String name, double value) {
    }

    /** Replaces every seed's metrics of one subset: {@code perSeed.get(j)} is seed j's. */
    public void replaceSeeds(long runId, int iteration, String split, String subset, List<Map<String, Double>> perSeed) {
        Transactions.run(dataSource.get(), "store metrics", c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM metric WHERE run_id = ? AND iteration = ? "
                    + "AND split = ? AND subset = ? AND seed IS NOT NULL")) {
                del.setLong(1, runId);
                del.setInt(2, iteration);
                del.setString(3, split);
                del.setString(4, subset);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO metric (run_id, iteration, split, subset, "
                    + "name, value, seed) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (int seed = 0; seed < perSeed.size(); seed++) {
                    for (var e : perSeed.get(seed).entrySet()) {
                        ins.setLong(1, runId);
                        ins.setInt(2, iteration);
                        ins.setString(3, split);
                        ins.setString(4, subset);
                        ins.setString(5, e.getKey());
                        ins.setDouble(6, e.getValue());
                        ins.setInt(7, seed);
                        ins.addBatch();
                    }
                }
                ins.executeBatch();
            }
        });
    }

    /** Replaces the comparisons of one iteration. */
    public void replaceComparisons(long runId, int iteration, List<Comparison> rows) {
        Transactions.run(dataSource.get(), "store comparisons", c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM comparison WHERE run_id = ? AND iteration = ?")) {
                del.setLong(1, runId);
                del.setInt(2, iteration);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO comparison (run_id, iteration, metric, "
                    + "subset, baseline, delta, lo, hi, seeds, queries, resamples) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (Comparison r : rows) {
                    ins.setLong(1, runId);
                    ins.setInt(2, iteration);
                    ins.setString(3, r.metric());
                    ins.setString(4, r.subset());
                    ins.setString(5, r.baseline());
                    ins.setDouble(6, r.delta());
                    setNullable(ins, 7, r.lo());
                    setNullable(ins, 8, r.hi());
                    ins.setInt(9, r.seeds());
                    ins.setInt(10, r.queries());
                    ins.setInt(11, r.resamples());
                    ins.addBatch();
                }
                ins.executeBatch();
            }
        });
    }

    private static void setNullable(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isFinite(v)) {
            ps.setDouble(i, v);
        } else {
            ps.setNull(i, Types.DOUBLE);
        }
    }

    public List<Comparison> comparisons(long runId) {
        List<Comparison> out = new ArrayList<>();
        Transactions.run(dataSource.get(), "read comparisons", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT iteration, metric, subset, baseline, delta, lo, hi, "
                    + "seeds, queries, resamples FROM comparison WHERE run_id = ? ORDER BY iteration, baseline, subset, "
                    + "metric")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Comparison(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getDouble(5), nullable(rs, 6), nullable(rs, 7), rs.getInt(8), rs.getInt(9),
                                rs.getInt(10)));
                    }
                }
            }
        });
        return out;
    }

    /** One point of a kept-fraction curve: a training set of {@code fraction} of the pool, its mean metrics. */
    public record CurvePoint(int iteration, double fraction, String subset, Map<String, Double> metrics) {
    }

    /** Split of the curve rows: apart from the test rows of the iteration's own subsets. */
    public static final String CURVE = "curve";

    /** Replaces the mean metrics of one subset at one fraction of a curve. */
    public void replaceCurve(long runId, int iteration, String subset, double fraction, Map<String, Double> values) {
        Transactions.run(dataSource.get(), "store curve metrics", c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM metric WHERE run_id = ? AND iteration = ? "
                    + "AND split = ? AND subset = ? AND fraction = ?")) {
                del.setLong(1, runId);
                del.setInt(2, iteration);
                del.setString(3, CURVE);
                del.setString(4, subset);
                del.setDouble(5, fraction);
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO metric (run_id, iteration, split, subset, "
                    + "name, value, fraction) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                for (var e : values.entrySet()) {
                    ins.setLong(1, runId);
                    ins.setInt(2, iteration);
                    ins.setString(3, CURVE);
                    ins.setString(4, subset);
                    ins.setString(5, e.getKey());
                    ins.setDouble(6, e.getValue());
                    ins.setDouble(7, fraction);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
        });
    }

    /** Every curve point of a run, by iteration, fraction and subset. */
    public List<CurvePoint> curve(long runId) {
        Map<String, CurvePoint> points = new java.util.LinkedHashMap<>();
        Transactions.run(dataSource.get(), "read curve", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT iteration, fraction, subset, name, value FROM metric "
                    + "WHERE run_id = ? AND split = ? AND seed IS NULL ORDER BY iteration, fraction, subset, name")) {
                ps.setLong(1, runId);
                ps.setString(2, CURVE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int iteration = rs.getInt(1);
                        double fraction = rs.getDouble(2);
                        String subset = rs.getString(3);
                        points.computeIfAbsent(iteration + "|" + fraction + "|" + subset, k -> new CurvePoint(iteration,
                                fraction, subset, new java.util.LinkedHashMap<>())).metrics()
                                .put(rs.getString(4), rs.getDouble(5));
                    }
                }
            }
        });
        return new ArrayList<>(points.values());
    }

    private static double nullable(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : v;
    }
}
