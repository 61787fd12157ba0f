package dev.sift.workflow;

import dev.sift.model.ModelSpec;
import dev.sift.workflow.YamlTree.YList;
import dev.sift.workflow.YamlTree.YMap;
import dev.sift.workflow.YamlTree.YNode;
import dev.sift.workflow.YamlTree.YScalar;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A workflow's parameters as one flat map keyed by dotted names as written in YAML ({@code filter.keep},
 * {@code fine_tune.learning_rate}, {@code score.methods}). Built from the validated {@link WorkflowSpec}, so
 * defaults the file left out are there too: two runs that differ only in what the file spells out compare equal.
 * Values are {@link Long} or {@link Double} for numbers and {@link String} for everything else (enums by their
 * workflow name, booleans as {@code true}/{@code false}, lists joined with commas); unset optional parts (a
 * dataset path when generated, a stop rule when there is none) are absent.
 */
public final class WorkflowParams {
    private WorkflowParams() {
    }

    /** The resolved parameters of a parsed workflow. */
    public static SortedMap<String, Object> of(WorkflowSpec spec) {
        SortedMap<String, Object> out = new TreeMap<>();
        flattenRecord("", spec, out, new java.util.HashSet<>());
        if (spec.filter() != null && spec.filter().chooses()) {
            // the file gave candidates, not a policy; validation's pick per iteration is filter.picked, set by the
            // filter stage (RunStore.saveIteration)
            out.remove("filter.policy");
        }
        applicable(spec, out);
        return out;
    }

    /** The keys of {@link #of} whose values are lists (joined with commas there; a text may hold a comma too). */
    public static java.util.Set<String> listKeys(WorkflowSpec spec) {
        java.util.Set<String> lists = new java.util.TreeSet<>();
        flattenRecord("", spec, new TreeMap<>(), lists);
        return lists;
    }

    /**
     * Leaves out what the workflow's model and task do not read ({@link #reads}); for recommendation adds
     * {@code task.positive_at} (its task has that, not a label range).
     */
    private static void applicable(WorkflowSpec spec, Map<String, Object> out) {
        Map<String, Object> all = Map.copyOf(out);
        out.keySet().removeIf(k -> !reads(all, k));
        if (spec.task().recommendation() && spec.task().minLabel() > -Double.MAX_VALUE) {
            out.put("task.positive_at", spec.task().minLabel());
        }
        if (spec.task().recommendation()) {
            // its YAML names these columns user and rating (the search task's user_id and label; V18 for older runs)
            REC_COLUMNS.forEach((stored, written) -> {
                Object v = out.remove(stored);
                if (v != null) {
                    out.put(written, v);
                }
            });
        }
    }

    /** Recommendation's column keys as its YAML writes them, by the search task's keys they are stored under. */
    private static final Map<String, String> REC_COLUMNS = Map.of("dataset.columns.user_id", "dataset.columns.user",
            "dataset.columns.label", "dataset.columns.rating");

    /**
     * Whether a run with these (flat) parameters reads {@code key}, which the parser refuses or ignores otherwise: not
     * the hashed model's {@code buckets} and {@code dim} for a pretrained encoder, nor a pretrained encoder's settings
     * for the hashed model, nor {@code last_layers} unless that is the mode; for recommendation not the split, the
     * label range or the search-only evaluate keys. Runs stored before such keys were left out still hold them, so
     * comparisons ask this too.
     */
    public static boolean reads(Map<String, Object> params, String key) {
        // parameters read from the YAML alone (a workflow today's parser refuses) leave out an encoder left at its default
        boolean pretrained = !ModelSpec.Encoder.HASHED_BOW.key().equals(String.valueOf(params.getOrDefault(
                "model.encoder", ModelSpec.Encoder.HASHED_BOW.key())));
        if (pretrained && (key.equals("model.buckets") || key.equals("model.dim") || key.equals("model.last_layers")
                && !ModelSpec.Mode.LAST_LAYERS.key().equals(String.valueOf(params.get("model.mode"))))) {
            return false;
        }
        if (!pretrained && List.of("model.mode", "model.last_layers", "model.max_length", "model.pooling")
                .contains(key)) {
            return false;
        }
        return !(dev.sift.data.TaskType.RECOMMENDATION.key().equals(String.valueOf(params.get("task.type")))
                && (key.startsWith("split.") || REC_UNREAD.contains(key)));
    }

    /**
     * What a recommendation run does not read beyond the split: the search task's label range and evaluation keys,
     * the search methods' scoring settings, the fine-tune's clipping and early stopping (the two-tower trains
     * every epoch, unclipped), and the relevance head's width (recommend.dim sizes the towers).
     */
    private static final java.util.Set<String> REC_UNREAD = java.util.Set.of("task.min_label", "task.max_label",
            "evaluate.zero_shot", "evaluate.grades", "evaluate.curve", "evaluate.curve_policies", "evaluate.k",
            "evaluate.stop", "score.checkpoint", "score.cross_fit", "score.seeds", "score.ensemble",
            "fine_tune.clip_norm", "fine_tune.patience", "model.hidden");

    /**
     * The parameters of a stored workflow: resolved when it still parses, else what its YAML says (a workflow
     * stored by an older Sift that the parser of today refuses still shows what it was run with).
     */
    public static SortedMap<String, Object> ofStored(String label, String yaml) {
        try {
            return of(WorkflowParser.parse(label, yaml, null, Map.of(), false).spec());
        } catch (RuntimeException e) {
            SortedMap<String, Object> out = new TreeMap<>();
            try {
                flattenYaml("", YamlTree.parse(new java.io.StringReader(yaml)), out);
            } catch (RuntimeException unreadable) {
                // nothing to show: the run keeps no parameters
            }
            return out;
        }
    }

    /** The YAML section whose {@code cache: false} turns a stage's cache off. */
    private static final Map<String, String> SECTIONS = Map.of(dev.sift.store.RunLayout.INGEST, "dataset",
            dev.sift.store.RunLayout.FINE_TUNE, "fine_tune", dev.sift.store.RunLayout.SCORE, "score",
            dev.sift.store.RunLayout.FILTER, "filter", dev.sift.store.RunLayout.EVALUATE, "evaluate");

    private static void flattenRecord(String prefix, Record r, Map<String, Object> out, java.util.Set<String> lists) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass(), e);
            }
            String key = prefix + snake(c.getName());
            if (r instanceof dev.sift.data.DatasetSpec.Given && c.getName().equals("readings")) {
                continue; // told by the files' names and dataset.format and dataset.separator, which are here
            }
            if (v instanceof dev.sift.data.DatasetSpec.Given given) {
                flattenRecord(prefix, given, out, lists); // dataset.test, as the YAML writes it (V19 for older runs)
            } else if (v instanceof dev.sift.model.ScoringCheckpoint checkpoint) {
                out.put(key, checkpoint.toString()); // as the YAML writes it: best, final, mean, epoch:2
            } else if (v instanceof WorkflowSpec.CacheSpec cache) {
                // as the YAML writes it: cache: false at the top, or a stage's section with cache: false
                out.put(key, String.valueOf(cache.enabled()));
                cache.off().forEach(stage -> out.put(SECTIONS.getOrDefault(stage, stage) + ".cache", "false"));
            } else if (v instanceof Record inner) {
                flattenRecord(key + ".", inner, out, lists);
            } else if (v != null) {
                out.put(key, value(v));
                if (v instanceof Collection<?>) {
                    lists.add(key);
                }
            }
        }
    }

    private static Object value(Object v) {
        if (v instanceof Character c && c == '\t') {
            return "tab"; // as the YAML writes it, not a blank-looking tab character
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? (Object) d : Double.toString(d);
        }
        if (v instanceof Enum<?> e) {
            return enumKey(e);
        }
        if (v instanceof Collection<?> list) {
            return list.stream().map(x -> String.valueOf(value(x))).collect(Collectors.joining(","));
        }
        return v.toString();
    }

    /** The workflow name of an enum constant: its {@code key()} where it has one, else its lower-case name. */
    private static String enumKey(Enum<?> e) {
        try {
            return String.valueOf(e.getClass().getMethod("key").invoke(e));
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException missing) {
            return e.name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code fineTune} -> {@code fine_tune}. */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    private static void flattenYaml(String prefix, YNode node, Map<String, Object> out) {
        if (node instanceof YMap m) {
            m.entries().forEach((k, e) -> flattenYaml(prefix.isEmpty() ? k : prefix + "." + k, e.value(), out));
        } else if (node instanceof YList l) {
            out.put(prefix, l.items().stream().map(i -> i instanceof YScalar s ? s.value() : "?")
                    .collect(Collectors.joining(",")));
        } else if (node instanceof YScalar s && !prefix.isEmpty()) {
            out.put(prefix, scalar(s.value()));
        }
    }

    private static Object scalar(String s) {
        if (s == null) {
            return "";
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException notLong) {
            try {
                double d = Double.parseDouble(s);
                return Double.isFinite(d) ? (Object) d : s;
            } catch (NumberFormatException notNumber) {
                return s;
            }
        }
    }
}
