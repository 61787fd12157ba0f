package dev.sift.cli;

import dev.sift.Sha256;
import dev.sift.data.PreparedDataset;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.stage.StageOutputs.IngestOutput;
import dev.sift.store.IterationEntity;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunEntity;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import dev.sift.store.ScoreStore;
import dev.sift.workflow.StageJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run written through the stores with kept sets known by hand: ten samples, 0-7 in the training split (4 marked
 * noisy), 8-9 in the test split; iteration 1 kept {7, 0, 3, 2, 5} of the training split, iteration 2 kept {0, 3, 7}
 * of those. So iteration 1 dropped 1, 4, 6 and iteration 2 dropped 2, 5. Scores: loss = index / 10, el2n =
 * 1 - index / 100 in both iterations. Texts and names are whatever the caller passes (hostile ones, for escaping).
 */
final class HandMadeRun {
    static final int[] KEPT_1 = {7, 0, 3, 2, 5};
    static final int[] KEPT_2 = {0, 3, 7};

    private HandMadeRun() {
    }

    static long create(RunStore runs, ObjectStore objects, ScoreStore scores, String name, String text, String method)
            throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            samples.add(new Sample(i, text + " query " + i, text + " title " + i, "description " + i, i % 4,
                    "g" + i / 2, null, i == 4, i < 8 ? Split.TRAIN : Split.TEST, i + 2));
        }
        byte[] bytes = PreparedDataset.write(samples);
        String sha = Sha256.hex(bytes);
        objects.put(RunLayout.dataset(sha), bytes, "application/x-ndjson");
        String yaml = Files.readString(Path.of("workflows/quickstart.yaml"), StandardCharsets.UTF_8);
        RunEntity run = runs.createRun(name, "hand-made", "/hand-made.yaml", yaml);
        var stage = runs.beginStage(run.id, RunLayout.INGEST, 0, 0, null);
        runs.finishStage(stage.id, StageJson.write(new IngestOutput(sha, objects.uri(RunLayout.dataset(sha)), 10, 10,
                8, 0, 2, 0, 0, null, null, null, null, null)));
        int[] train = {0, 1, 2, 3, 4, 5, 6, 7};
        iteration(runs, objects, scores, run.id, 1, 0, train, KEPT_1, method);
        iteration(runs, objects, scores, run.id, 2, 1, KEPT_1, KEPT_2, method);
        return run.id;
    }

    private static void iteration(RunStore runs, ObjectStore objects, ScoreStore scores, long runId, int k, int parent,
            int[] pool, int[] kept, String method) {
        double[] loss = Arrays.stream(pool).mapToDouble(i -> i / 10.0).toArray();
        double[] el2n = Arrays.stream(pool).mapToDouble(i -> 1 - i / 100.0).toArray();
        double[] w = new double[pool.length];
        Arrays.fill(w, 1.0 / pool.length);
        scores.replace(runId, k, "loss", pool, loss, w);
        scores.replace(runId, k, method, pool, el2n, w);
        StringBuilder json = new StringBuilder("{\"count\":" + kept.length + ",\"indices\":[");
        for (int i = 0; i < kept.length; i++) {
            json.append(i == 0 ? "" : ",").append(kept[i]);
        }
        objects.put(RunLayout.selected(runId, k), json.append("]}").toString().getBytes(StandardCharsets.UTF_8),
                "application/json");
        IterationEntity it = new IterationEntity();
        it.runId = runId;
        it.k = k;
        it.poolSize = pool.length;
        it.keptSize = kept.length;
        it.method = "loss";
        it.selectedUri = objects.uri(RunLayout.selected(runId, k));
        it.randomUri = objects.uri(RunLayout.random(runId, k));
        it.parent = parent;
        it.policy = "top_fraction";
        it.order = "lowest";
        runs.saveIteration(it);
    }
}
