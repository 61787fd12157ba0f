package dev.sift.store;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code sift bench scores}: writes N per-sample scores of one method into PostgreSQL the way the score stage does
 * ({@link ScoreStore#replace}: delete, then COPY in batches, one transaction) and, in alternating rounds, the same
 * rows by the plain alternative (delete, then batched INSERTs of 10,000, one transaction), under a throwaway run that
 * is deleted afterwards. Reports each round and the median ratio INSERT / COPY.
 */
@ApplicationScoped
public class ScoreWriteBenchmark {
    public static final String WORKFLOW = "bench-scores";
    private static final int INSERT_BATCH = 10_000;

    @Inject
    RunStore runs;
    @Inject
    ScoreStore scores;
    @Inject
    Instance<AgroalDataSource> dataSource;

    /** One round's seconds for each way. */
    public record Round(double copySeconds, double insertSeconds) {
        public double ratio() {
            return insertSeconds / copySeconds;
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
            for (int k = 0; k < rounds; k++) {
                long t0 = System.nanoTime();
                scores.replace(runId, 1, "copy", index, score, weight);
                long t1 = System.nanoTime();
                insert(runId, index, score, weight);
                long t2 = System.nanoTime();
                out.add(new Round((t1 - t0) / 1e9, (t2 - t1) / 1e9));
            }
            if (scores.read(runId, 1, "copy").size() != n) {
                throw new IllegalStateException("COPY wrote a different number of rows than " + n);
            }
        } finally {
            Transactions.run(dataSource.get(), "delete the benchmark run", c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM run WHERE id = ?")) {
                    ps.setLong(1, runId);
                    ps.executeUpdate();
                }
            });
        }
        return out;
    }

    private void insert(long runId, int[] index, double[] score, double[] weight) {
        Transactions.run(dataSource.get(), "insert scores", c -> {
            try (PreparedStatement del = c.prepareStatement(
                    "DELETE FROM sample_score WHERE run_id = ? AND iteration = 1 AND method = 'insert'")) {
                del.setLong(1, runId);
                del.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sample_score (run_id, iteration, method, "
                    + "sample_index, score, weight) VALUES (?, 1, 'insert', ?, ?, ?)")) {
                for (int i = 0; i < index.length; i++) {
                    ps.setLong(1, runId);
                    ps.setInt(2, index[i]);
                    ps.setDouble(3, score[i]);
                    ps.setDouble(4, weight[i]);
                    ps.addBatch();
                    if ((i + 1) % INSERT_BATCH == 0 || i == index.length - 1) {
                        ps.executeBatch();
                    }
                }
            }
        });
    }
}
