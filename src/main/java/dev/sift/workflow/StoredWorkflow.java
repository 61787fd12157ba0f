package dev.sift.workflow;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.store.HistoryStore;
import dev.sift.store.RunEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The workflow a recorded run continues with ({@code sift resume}, {@code --only-stage}, a shard). A run stores its
 * workflow's YAML and the parameters it resolved to when it started. Parsing that YAML again with a later Sift can
 * resolve differently where a default changed since ({@code evaluate.bootstrap_seeds}, an automatic utility split):
 * the steps left would then run with values the run never had, while its parameters say otherwise. So each parameter
 * stored with the run that this Sift resolves differently is set back to its stored value; a value this Sift no
 * longer accepts stops the resume with one line naming the key, both values and why, and nothing stored is touched.
 */
@ApplicationScoped
public class StoredWorkflow {
    @Inject
    HistoryStore history;

    /** The run's workflow, with the values it started with where this Sift's defaults differ. */
    public WorkflowSpec spec(RunEntity run, Console console) {
        SortedMap<String, Object> stored = history.params(List.of(run.id)).get(run.id);
        return resolve(run.id, run.specYaml, stored, console);
    }

    /**
     * Parameters added after runs were stored, with the value a run stored without them behaved as: before stop 38 no
     * bootstrap drew the training seeds.
     */
    public static final Map<String, Object> ADDED_LATER = Map.of("evaluate.bootstrap_seeds", "false");

    /**
     * As {@link #spec}, on the stored YAML and parameters (null: none stored, the YAML as it parses today, with the
     * {@link #ADDED_LATER} values). Keys are set back in rounds until nothing differs: setting one back can move
     * another's default (the methods decide whether a utility split is held out), which the next round sets back.
     */
    static WorkflowSpec resolve(long runId, String yaml, Map<String, Object> storedParams, Console console) {
        String label = "run " + runId + " (stored workflow)";
        WorkflowSpec spec = WorkflowParser.parse(label, yaml, null, Map.of(), false).spec();
        Map<String, Object> stored = new java.util.TreeMap<>(storedParams == null ? Map.of() : storedParams);
        ADDED_LATER.forEach(stored::putIfAbsent);
        Map<String, Object> today = new LinkedHashMap<>(); // each key's value before it was set back
        Map<String, String> pins = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        while (refused.isEmpty()) {
            Map<String, Object> now = WorkflowParams.of(spec);
            java.util.Set<String> lists = WorkflowParams.listKeys(spec);
            List<String> differ = differing(stored, now);
            List<String> next = differ.stream().filter(k -> !pins.containsKey(k)).toList();
            next.forEach(k -> today.put(k, now.get(k)));
            if (next.isEmpty()) {
                WorkflowSpec pinned = spec; // a key set back and moved again: nothing more to try
                differ.forEach(k -> refused.add(k + " was " + stored.get(k) + " when the run started and is "
                        + WorkflowParams.of(pinned).get(k) + " once the others are set back"));
                break;
            }
            for (String key : next) {
                Map<String, String> tried = new LinkedHashMap<>(pins);
                tried.put(key, setValue(stored.get(key), lists.contains(key)));
                try {
                    WorkflowSpec pinned = WorkflowParser.parse(label, yaml, null, tried, false).spec();
                    if (same(stored.get(key), WorkflowParams.of(pinned).get(key))) {
                        pins.clear();
                        pins.putAll(tried);
                        spec = pinned;
                        continue;
                    }
                    refused.add(key + " was " + stored.get(key) + " when the run started, this Sift resolves it to "
                            + today.get(key) + " and cannot set it back");
                } catch (WorkflowException e) {
                    refused.add(key + " was " + stored.get(key) + " when the run started (this Sift: " + today.get(key)
                            + "), and setting it back failed: " + e.errors().get(0));
                }
            }
        }
        if (!refused.isEmpty()) {
            throw new SiftException(ExitCodes.USAGE, "run " + runId + " cannot go on as it started: "
                    + String.join("; ", refused) + "; start it again with 'sift run'");
        }
        if (!pins.isEmpty()) {
            console.info("run " + runId + ": kept the values it started with where this Sift's defaults differ: "
                    + String.join(", ", pins.keySet().stream().map(k -> k + " = " + stored.get(k) + " (this Sift: "
                            + today.get(k) + ")").toList()));
        }
        return spec;
    }

    /** Keys stored with the run and resolved today whose values differ (keys only one side has are left alone). */
    static List<String> differing(Map<String, Object> stored, Map<String, Object> today) {
        TreeSet<String> keys = new TreeSet<>(stored.keySet());
        keys.retainAll(today.keySet());
        return keys.stream().filter(k -> !same(stored.get(k), today.get(k))).toList();
    }

    /** Equal values, numbers by value (a stored 3 reads back as a long, a resolved one may be a double). */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        return Objects.equals(a == null ? null : String.valueOf(a), b == null ? null : String.valueOf(b));
    }

    /**
     * A stored value as {@code --set} takes it: a list (stored joined with commas) in brackets, an empty one as [];
     * any other value as it is, a text with a comma in it too (a separator).
     */
    static String setValue(Object value, boolean list) {
        String s = String.valueOf(value);
        return list ? "[" + s + "]" : s;
    }
}
