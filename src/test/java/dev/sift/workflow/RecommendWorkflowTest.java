package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.PostgresResource;
import dev.sift.store.Headroom;
import dev.sift.store.MetricStore;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.ScoreStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A recommendation workflow through the real engine, PostgreSQL and S3: interactions and an items file, the
 * per-user split, the two-tower fine-tune, interaction scores, validation's choice of policy, and the full-ranking
 * evaluation with its baselines and intervals.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RecommendWorkflowTest {
    @Inject
    dev.sift.history.RunReport report;
    @Inject
    dev.sift.history.RunParams params;
    @Inject
    WorkflowEngine engine;
    @Inject
    ObjectStore objects;
    @Inject
    RunStore runs;
    @Inject
    ScoreStore scores;
    @Inject
    MetricStore metricStore;

    /** 40 users in two tastes over 30 films; 9 positives each, and a low rating that is not a positive. */
    private static String interactions() {
        StringBuilder sb = new StringBuilder();
        Random r = new Random(4);
        for (int u = 0; u < 40; u++) {
            int base = u % 2 == 0 ? 0 : 15;
            List<Integer> films = new java.util.ArrayList<>();
            for (int i = 0; i < 15; i++) {
                films.add(base + i);
            }
            java.util.Collections.shuffle(films, r);
            for (int j = 0; j < 9; j++) {
                sb.append("user-").append(u).append('\t').append(films.get(j)).append('\t').append(4 + r.nextInt(2))
                        .append('\t').append(1000 + 10 * j).append('\n');
            }
            sb.append("user-").append(u).append('\t').append(films.get(9)).append("\t1\t2000\n");
        }
        sb.append("user-0\t999\t5\t3000\n"); // not in the items file: quarantined
        return sb.toString();
    }

    private static String items() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            sb.append(i).append('|').append(i < 15 ? "Space adventure " : "Romantic comedy ").append(i).append('\n');
        }
        return sb.toString();
    }

    @Test
    void rankingEvaluationWithBaselinesAndAValidatedPolicy() throws Exception {
        objects.put("incoming/rec/u.data", interactions().getBytes(StandardCharsets.UTF_8), "text/plain");
        objects.put("incoming/rec/u.item", items().getBytes(StandardCharsets.UTF_8), "text/plain");
        String yaml = """
                name: rec
                dataset:
                  path: s3://sift/incoming/rec/u.data
                  separator: tab
                  header: false
                  columns: {user: "0", item: "1", rating: "2", time: "3"}
                  items: {path: s3://sift/incoming/rec/u.item, separator: "|", header: false, key: "0", text: "1"}
                task: {type: recommendation, positive_at: 4}
                model: {encoder: minilm, max_length: 16}
                recommend: {dim: 8, history: 20, negatives: 10, temperature: 0.1}
                fine_tune: {epochs: 3, batch_size: 32, learning_rate: 0.01}
                filter: {candidates: [truncated/loss/0.8, reweighted/mean_loss, adt/0.2]}
                evaluate: {seeds: 2, bootstrap: 100}
                """;
        WorkflowParser.Parsed parsed = WorkflowParser.parse("rec.yaml", yaml, Path.of("."), Map.of(), true);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long id = engine.start(parsed, Path.of("rec.yaml"), null, new Console(new PrintStream(err), false));
        String log = err.toString(StandardCharsets.UTF_8);
        RunEntity run = runs.findRun(id).orElseThrow();
        assertEquals(RunEntity.Status.SUCCEEDED, run.status, log);
        assertEquals(List.of("ingest", "fine-tune", "score", "filter", "evaluate"),
                runs.stages(id).stream().map(s -> s.stage).toList());
        assertTrue(log.contains("40 users, 30 items ranked, 280 training / 40 validation / 40 test"), log);
        assertTrue(log.contains("item '999' is not in"), log);
        assertTrue(log.contains(", rated below task.positive_at 40;"), log); // one low rating per user, counted
        // every training interaction scored by every method
        for (String m : List.of("loss", "el2n", "mean_loss")) {
            assertEquals(280, scores.read(id, 1, m).size(), m);
        }
        var it = runs.iterations(id).get(0);
        assertTrue(it.policy.endsWith("(validation's pick of 3)"), it.policy);
        assertTrue(log.contains("candidate adt/0.2: validation ndcg@10"), log);
        Map<String, Map<String, Double>> m = runs.metrics(id).stream().collect(Collectors.groupingBy(
                e -> e.subset, Collectors.toMap(e -> e.name, e -> e.value)));
        assertEquals(Set.of("selected", "random", "full", "bpr", "popularity"), m.keySet());
        for (var e : m.entrySet()) {
            for (String metric : List.of("hr@10", "ndcg@10", "recall@20", "mrr")) {
                double v = e.getValue().get(metric);
                assertTrue(v >= 0 && v <= 1, e.getKey() + " " + metric + " " + v);
            }
        }
        assertEquals(280.0, m.get("full").get("train_size"));
        assertTrue(m.values().stream().noneMatch(x -> x.containsKey("train_size_sd")), "every seed: the same set");
        assertEquals(2.0, m.get("bpr").get("seeds"));
        assertTrue(m.get("bpr").get("train_seconds") > 0, "BPR's training is timed, not written as 0");
        assertTrue(!m.get("popularity").containsKey("train_seconds"), "popularity counts; it does not train");
        assertEquals(it.policy.substring(0, it.policy.indexOf(" (")), params.of(List.of(id)).get(id)
                .get("filter.picked"), "validation's pick is the queryable parameter filter.picked");
        assertEquals(m.get("selected").get("train_size"), m.get("random").get("train_size"), "random at equal size");
        // the report's samples section says what a recommendation run's explanation holds, and no more (a probe
        // found it promising confident learning's grade and neighbours, which such a run has not)
        String html = report.html(id, List.of());
        assertTrue(html.contains("score and rank (1 = highest).</")
                && !html.contains("nearest neighbours in the scoring model"), "samples text of a recommendation run");
        // 30 items, 21 to 22 known per user: the two tastes are in the titles, so the model ranks its own taste first
        assertTrue(m.get("full").get("hr@10") > m.get("popularity").get("hr@10"), m.toString());
        List<MetricStore.Comparison> c = metricStore.comparisons(id);
        // selected against random, full, BPR and popularity, full against BPR and popularity: 4 metrics each; and
        // where validation picked truncation (random: a plain subset of the kept size), random against full
        boolean plain = it.policy.startsWith("truncated");
        assertEquals(plain ? 28 : 24, c.size(), it.policy);
        assertEquals(plain ? 4 : 0, c.stream().filter(Headroom::isHeadroom).count(), it.policy);
        // popularity has no seed: its comparisons count one
        assertTrue(c.stream().allMatch(x -> x.queries() == 40 && x.seeds() == (x.baseline().equals("popularity") ? 1
                : 2) && x.lo() <= x.delta()
                && x.delta() <= x.hi()), c.toString());
    }
}
