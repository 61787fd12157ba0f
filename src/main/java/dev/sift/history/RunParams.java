package dev.sift.history;

import dev.sift.store.HistoryStore;
import dev.sift.workflow.StoredWorkflow;
import dev.sift.workflow.WorkflowParams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * Runs' resolved workflow parameters, flat ({@link WorkflowParams}). A run stores them when it starts; runs from
 * before that (migration V10) get them from their stored workflow the first time history asks, once, with the values
 * of keys added since as such runs behaved ({@link StoredWorkflow#ADDED_LATER}).
 */
@ApplicationScoped
public class RunParams {
    @Inject
    HistoryStore store;

    /** Stores the parameters of every run that has none yet; returns how many it filled. */
    public int backfill() {
        Map<Long, String> missing = store.withoutParams();
        if (missing.isEmpty()) {
            return 0;
        }
        Map<Long, SortedMap<String, Object>> filled = new LinkedHashMap<>();
        missing.forEach((id, yaml) -> {
            SortedMap<String, Object> params = WorkflowParams.ofStored("run " + id + " (stored workflow)", yaml);
            // such a run started before these keys existed and behaved as their values say, not as today's defaults
            StoredWorkflow.ADDED_LATER.forEach((k, v) -> params.computeIfPresent(k, (key, today) -> v));
            filled.put(id, params);
        });
        store.storeParams(filled);
        return filled.size();
    }

    /** The parameters of these runs, by run id. */
    public Map<Long, SortedMap<String, Object>> of(Collection<Long> runIds) {
        Map<Long, SortedMap<String, Object>> out = store.params(runIds);
        if (out.size() < runIds.size()) {
            backfill();
            out = store.params(runIds);
        }
        return out;
    }
}
