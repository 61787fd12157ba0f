package dev.sift.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.postgresql.PGConnection;

/**
 * {@code sift bench scores}: writes N per-sample scores of one method into PostgreSQL the way the score stage does
 * ({@link ScoreStore#replace}: delete, then one row of arrays per 2^20 samples, one transaction) and, in alternating
 * rounds, the baseline: the same scores as one row per sample by COPY into a table of the layout before V15 (primary
 * key and foreign key to {@code run}), the way the score stage wrote them until then. Both under a throwaway run
 * that is deleted afterwards, with the baseline table; each way's stored scores are read back and checked.
 */
@ApplicationScoped
public class ScoreWriteBenchmark {
    public static final String WORKFLOW = "bench-scores";
    private static final String ROWS_TABLE = "bench_sample_score_rows";
    private static final int COPY_BATCH = 50_000;

    @Inject
    RunStore runs;
    @Inject
    ScoreStore scores;
    @Inject
    Instance<AgroalDataSource> dataSource;

    /** One round's seconds for each way. */
    public record Round(double arraySeconds, double rowsSeconds) {
        /** How many times longer the row-per-sample COPY took. */
        public double ratio() {
            return rowsSeconds / arraySeconds;
        }
    }

    public List<Round> run(int n, int rounds, long seed) {
        int[] index = new int[n];
        double[] score = new double[n];
        double[] weight = new double[n];
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            index[i] = i;
            score[i] = r.nextGaussian();
            weight[i] = r.nextDouble() / n;
        }
        long runId = runs.createRun("bench scores", WORKFLOW, "(bench)", "name: bench-scores\n").id;
        List<Round> out = new ArrayList<>();
        try {
            sql("DROP TABLE IF EXISTS " + ROWS_TABLE, "CREATE TABLE " + ROWS_TABLE + " (run_id BIGINT NOT NULL "
                    + "REFERENCES run (id) ON DELETE CASCADE, iteration INTEGER NOT NULL, method TEXT NOT NULL, "
                    + "sample_index INTEGER NOT NULL, score DOUBLE PRECISION NOT NULL, weight DOUBLE PRECISION NOT "
                    + "NULL, PRIMARY KEY (run_id, iteration, method, sample_index))");
            for (int k = 0; k < rounds; k++) {
                long t0 = System.nanoTime();
                scores.replace(runId, 1, "bench", index, score, weight);
                long t1 = System.nanoTime();
                copyRows(runId, index, score, weight);
                long t2 = System.nanoTime();
                out.add(new Round((t1 - t0) / 1e9, (t2 - t1) / 1e9));
            }
            check(runId, n, score);
        } finally {
            sql("DROP TABLE IF EXISTS " + ROWS_TABLE, "DELETE FROM run WHERE id = " + runId);
        }
        return out;
    }

    private void check(long runId, int n, double[] score) {
        List<ScoreStore.Row> back = scores.read(runId, 1, "bench");
        if (back.size() != n || back.get(n - 1).score() != score[n - 1]) {
            throw new IllegalStateException("the stored scores differ from the " + n + " written");
        }
        long[] rows = new long[1];
        Transactions.run(dataSource.get(), "count the baseline's rows", c -> {
            try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM " + ROWS_TABLE)) {
                rs.next();
                rows[0] = rs.getLong(1);
            }
        });
        if (rows[0] != n) {
            throw new IllegalStateException("the baseline stored " + rows[0] + " rows, not " + n);
        }
    }

    private void sql(String... statements) {
        Transactions.run(dataSource.get(), "prepare the score benchmark", c -> {
            try (Statement s = c.createStatement()) {
                for (String st : statements) {
                    s.executeUpdate(st);
                }
            }
        });
    }

    /** The layout before V15: delete, then COPY one row per sample in batches, one transaction. */
    private void copyRows(long runId, int[] index, double[] score, double[] weight) {
        Transactions.run(dataSource.get(), "copy score rows", c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM " + ROWS_TABLE
                    + " WHERE run_id = ? AND iteration = 1 AND method = 'bench'")) {
                del.setLong(1, runId);
                del.executeUpdate();
            }
            var copy = c.unwrap(PGConnection.class).getCopyAPI();
            String sql = "COPY " + ROWS_TABLE + " (run_id, iteration, method, sample_index, score, weight) FROM STDIN";
            for (int start = 0; start < index.length; start += COPY_BATCH) {
                StringBuilder sb = new StringBuilder();
                for (int i = start; i < Math.min(index.length, start + COPY_BATCH); i++) {
                    sb.append(runId).append("\t1\tbench\t").append(index[i]).append('\t').append(score[i])
                            .append('\t').append(weight[i]).append('\n');
                }
                copy.copyIn(sql, new StringReader(sb.toString()));
            }
        });
    }
}
