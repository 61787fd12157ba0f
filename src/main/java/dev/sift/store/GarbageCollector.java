package dev.sift.store;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds, and on request removes, what is stored but referenced by no row: S3 objects under {@code datasets/} whose
 * dataset row is gone or was never written (a run killed between writing the object and its row), under
 * {@code runs/} whose run row is gone, under {@code cache/embeddings/} whose dataset row is gone; and model weights
 * that no stage output and no iteration names (a stage killed or failed after storing them). All of it under the
 * exclusive {@link StoreLock}, so no live run is writing while it looks: the runs that are still RUNNING in their
 * rows then are dead (killed); their unfinished stage's weights may be removed, which costs nothing, since
 * {@code sift resume} runs that stage again. Objects with keys Sift does not write are never touched.
 */
@ApplicationScoped
public class GarbageCollector {
    private static final Pattern DATASET = Pattern.compile("datasets/([0-9a-f]{64})/.*");
    private static final Pattern RUN = Pattern.compile("runs/(\\d+)/.*");
    private static final Pattern CACHE = Pattern.compile("cache/embeddings/[0-9a-f]{64}/([0-9a-f]{64})-\\d+\\.f32");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");

    @Inject
    ObjectStore objects;
    @Inject
    Instance<AgroalDataSource> dataSource;
    @Inject
    StoreLock lock;

    /** One unreferenced thing: an S3 object ({@code s3://...}) or stored weights ({@code weights <sha256>}). */
    public record Orphan(String name, long bytes) {
    }

    /** What was found, what was looked at, and whether it was removed. */
    public record Result(List<Orphan> orphans, int objectsListed, int weightsListed, boolean deleted) {
        public long bytes() {
            return orphans.stream().mapToLong(Orphan::bytes).sum();
        }
    }

    /** Lists the orphans and, when {@code delete}, removes them; exit code 4 while a run is under way. */
    public Result collect(boolean delete) {
        try (DatabaseSessions.Lock held = lock.tryExclusive().orElseThrow(() -> new SiftException(ExitCodes.BUSY,
                "a run is under way (sift run, sift resume or a firing of sift serve holds the store lock); gc "
                        + "looks only while none is: try again when it has finished"))) {
            List<ObjectStore.Listed> listed = new ArrayList<>();
            for (String prefix : List.of("datasets/", "runs/", "cache/embeddings/")) {
                listed.addAll(objects.list(prefix));
            }
            List<Orphan> found = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            List<String> shas = new ArrayList<>();
            int weights;
            try (Connection c = dataSource.get().getConnection()) {
                Set<String> datasets = strings(c, "SELECT sha256 FROM dataset");
                Set<String> runs = strings(c, "SELECT id::text FROM run");
                for (ObjectStore.Listed o : listed) {
                    if (!referenced(o.key(), datasets, runs)) {
                        found.add(new Orphan(objects.uri(o.key()), o.size()));
                        keys.add(o.key());
                    }
                }
                weights = unreferencedWeights(c, found, shas);
                if (delete) {
                    keys.forEach(objects::delete);
                    deleteWeights(c, shas);
                }
            } catch (SQLException e) {
                throw new SiftException(ExitCodes.ENVIRONMENT, "gc cannot read the database: "
                        + DatabaseProbe.firstLine(e.getMessage()), e);
            }
            return new Result(found, listed.size(), weights, delete);
        }
    }

    /** Whether a key is one Sift writes and its row is there; keys of other shapes count as referenced. */
    static boolean referenced(String key, Set<String> datasets, Set<String> runs) {
        Matcher m = DATASET.matcher(key);
        if (m.matches()) {
            return datasets.contains(m.group(1));
        }
        m = RUN.matcher(key);
        if (m.matches()) {
            return runs.contains(m.group(1));
        }
        m = CACHE.matcher(key);
        return !m.matches() || datasets.contains(m.group(1));
    }

    /** Adds the weights no stage output and no iteration names to {@code found}; returns how many are stored. */
    private static int unreferencedWeights(Connection c, List<Orphan> found, List<String> shas) throws SQLException {
        Set<String> named = new HashSet<>(strings(c, "SELECT selected_weights FROM iteration WHERE selected_weights "
                + "IS NOT NULL"));
        try (PreparedStatement ps = c.prepareStatement("SELECT output_json FROM stage_run WHERE output_json IS NOT "
                + "NULL"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Matcher m = SHA.matcher(rs.getString(1));
                while (m.find()) {
                    named.add(m.group());
                }
            }
        }
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256, size_bytes FROM model_weights ORDER BY "
                + "created_at, sha256"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                n++;
                if (!named.contains(rs.getString(1))) {
                    found.add(new Orphan("weights " + rs.getString(1), rs.getLong(2)));
                    shas.add(rs.getString(1));
                }
            }
        }
        return n;
    }

    private static void deleteWeights(Connection c, List<String> shas) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM model_weights WHERE sha256 = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", shas.toArray()));
            ps.executeUpdate(); // weight_chunk rows go with them (ON DELETE CASCADE)
        }
    }

    private static Set<String> strings(Connection c, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1).strip());
            }
        }
        return out;
    }
}
