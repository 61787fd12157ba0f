package dev.sift.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.store.IterationEntity;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import dev.sift.store.StageRunEntity;
import java.io.IOException;
import java.util.List;

/** A run as one JSON object ({@code runs show --format json}): its row, stages with outputs, tables, iterations. */
final class RunJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunJson() {
    }

    /** The stages table as JSON, each stage with its recorded output parsed (kept as text when it is not JSON). */
    static JsonNode stages(RunHistory history, RunStore runs, long runId) {
        JsonNode stageJson = history.stages(runId).json();
        List<StageRunEntity> stageRows = runs.stages(runId);
        for (int i = 0; i < stageRows.size(); i++) {
            String out = stageRows.get(i).outputJson;
            try {
                ((ObjectNode) stageJson.get(i)).set("output", out == null ? null : JSON.readTree(out));
            } catch (IOException e) {
                ((ObjectNode) stageJson.get(i)).put("output", out);
            }
        }
        return stageJson;
    }

    static ObjectNode show(RunHistory history, RunStore runs, RunEntity r) {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode run = o.putObject("run");
        run.put("id", r.id);
        run.put("name", r.name);
        run.put("workflow", r.workflow);
        run.put("workflow_path", r.workflowPath);
        run.put("status", r.status.name());
        run.put("error", r.error);
        run.put("created_at", String.valueOf(r.createdAt));
        run.put("finished_at", r.finishedAt == null ? null : r.finishedAt.toString());
        run.put("schedule", r.scheduleName);
        run.put("fire_time", r.fireTime == null ? null : r.fireTime.toString());
        o.set("stages", stages(history, runs, r.id));
        o.set("metrics", history.metrics(r.id).json());
        o.set("comparisons", history.comparisons(r.id).json());
        o.set("noise_detection", history.noiseDetection(r.id).json());
        o.set("curve", history.curve(r.id).json());
        o.set("headroom", JSON.valueToTree(history.headroom(r.id))); // the verdicts on the random - full rows
        o.put("stopped", history.stopped(r.id).orElse(null)); // why fewer iterations ran than asked, or null
        var its = o.putArray("iterations");
        for (IterationEntity it : runs.iterations(r.id)) {
            ObjectNode n = its.addObject();
            n.put("k", it.k);
            n.put("pool_size", it.poolSize);
            n.put("kept_size", it.keptSize);
            n.put("method", it.method);
            n.put("selected_uri", it.selectedUri);
            n.put("random_uri", it.randomUri);
            n.put("selected_weights", it.selectedWeights);
            n.put("parent", it.parent);
            n.put("subset_digest", it.subsetDigest);
            n.put("policy", it.policy);
            n.put("order", it.order);
        }
        return o;
    }
}
