package dev.sift.workflow;

import dev.sift.data.Text;
import dev.sift.importance.ImportanceMethod;
import dev.sift.importance.ImportanceMethods;
import dev.sift.importance.Need;
import dev.sift.importance.RankEnsemble;
import dev.sift.store.RunLayout;
import dev.sift.data.DatasetSpec;
import dev.sift.workflow.WorkflowSpec.EvaluateSpec;
import dev.sift.workflow.WorkflowSpec.FilterSpec;
import dev.sift.model.ModelSpec;
import dev.sift.model.ScoringCheckpoint;
import dev.sift.workflow.WorkflowSpec.ScoreSpec;
import dev.sift.data.SplitSpec;
import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.model.TrainSpec;
import dev.sift.workflow.YamlTree.YList;
import dev.sift.workflow.YamlTree.YMap;
import dev.sift.workflow.YamlTree.YNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads a workflow YAML file, applies {@code --set} overrides and validates everything before any work. */
public final class WorkflowParser {
    /** Longest workflow or run name. */
    public static final int MAX_NAME_LENGTH = 200;

    private WorkflowParser() {
    }

    /**
     * A parsed workflow with the YAML snapshot (overrides applied) that a run stores; {@code utilityDefaulted}: the
     * workflow does not set {@code split.utility}, so its share follows the methods (0 when none reads it).
     */
    public record Parsed(WorkflowSpec spec, String snapshot, boolean utilityDefaulted) {
    }

    public static Parsed parseFile(Path file, Map<String, String> overrides) {
        if (Files.isDirectory(file)) {
            throw new WorkflowException(List.of(file + ": is a directory, not a workflow file"));
        }
        String text;
        try {
            text = Text.strictUtf8(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new WorkflowException(List.of(file + ": cannot read workflow: " + dev.sift.IoReason.what(e)));
        }
        if (text == null || text.indexOf('\u0000') >= 0) {
            throw new WorkflowException(List.of(file + ": not a text file (binary, or not UTF-8); a workflow is "
                    + "YAML text"));
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(file.toString(), text, base, overrides, true);
    }

    /** The workflow's YAML with the overrides set; one-line errors for YAML it cannot read and an empty file. */
    private static YNode tree(String fileName, String text, Map<String, String> overrides) {
        YNode root;
        try {
            root = YamlTree.parse(new StringReader(text));
        } catch (YamlTree.Invalid e) {
            throw new WorkflowException(List.of(fileName + ":" + e.line() + ": invalid YAML: " + e.getMessage()));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new WorkflowException(List.of(fileName + ":" + line + ": invalid YAML: " + e.getProblem()));
        } catch (RuntimeException e) {
            int line = YamlTree.aliasPastLimit(text);
            throw new WorkflowException(List.of(fileName + (line > 0 ? ":" + line : "") + ": invalid YAML: "
                    + e.getMessage()));
        }
        if (root instanceof YamlTree.YScalar v && (v.value() == null || v.value().isBlank()
                || v.value().trim().matches("null|Null|NULL|~"))) {
            root = new YMap(v.line(), new java.util.LinkedHashMap<>()); // '---' or '~' alone: an empty file
        }
        if (!(root instanceof YMap)) { // alone: the keys it lacks would only repeat it
            throw new WorkflowException(List.of(fileName + ":" + root.line() + ": the workflow must be a mapping of "
                    + "keys to values (name: ..., dataset: ...), not a " + (root instanceof YList ? "list" : "value")));
        }
        if (root instanceof YMap m && m.entries().isEmpty() && overrides.isEmpty()) {
            throw new WorkflowException(List.of(fileName + ":1: the workflow is empty: it needs at least name and "
                    + "dataset (workflows/quickstart.yaml is a complete example)"));
        }
        // YAML reads null and ~ as no value, the default: as silent as an empty one (a probe's filter.keep=null)
        List<String> emptySets = overrides.entrySet().stream().filter(o -> o.getValue() == null
                || o.getValue().isBlank() || o.getValue().trim().matches("null|Null|NULL|~")).map(o -> fileName
                        + ": --set " + o.getKey() + ": needs a value (an empty one, null or ~ would be read as the "
                        + "default)").toList();
        if (!emptySets.isEmpty()) {
            throw new WorkflowException(emptySets);
        }
        if (root instanceof YMap m) {
            for (var o : overrides.entrySet()) {
                try {
                    YamlTree.set(m, o.getKey(), o.getValue());
                } catch (IllegalArgumentException e) {
                    throw new WorkflowException(List.of(fileName + ": --set " + o.getKey() + ": " + e.getMessage()));
                }
            }
        }
        return root;
    }

    /**
     * What is wrong with a run's name (the workflow's {@code name} or {@code --name}), or null: blank, longer than
     * {@link #MAX_NAME_LENGTH}, or holding a control character or a bidirectional override. Names are printed in
     * terminals, tables, CSV and pages; a probe's {@code --name $'evil\e[2J'} cleared the screen of whoever resumed
     * the run.
     */
    public static String nameProblem(String name) {
        // blank also when it shows nothing: no-break and other spaces, zero-width and format characters (a probe's
        // name of one U+00A0 was accepted)
        if (name.codePoints().allMatch(SpecBinder::showsNothing)) {
            return "a name, not blank";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "at most " + MAX_NAME_LENGTH + " characters, got " + name.length();
        }
        int[] points = name.codePoints().toArray();
        for (int i = 0; i < points.length; i++) {
            int c = points[i];
            int type = Character.getType(c);
            // controls (ESC, newline, tab), line and paragraph separators, and the bidirectional embeddings,
            // overrides and isolates that reorder what a terminal shows; zero-width joiners (Persian, emoji) stay
            if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                    || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
                return String.format(java.util.Locale.ROOT, "holds a control character (U+%04X at %d): a name is "
                        + "printed in terminals and tables", c, i + 1);
            }
        }
        return null;
    }

    /**
     * Parses workflow text; {@code checkFiles} also checks that a local data file exists and has the mapped
     * columns (off for a resumed run, whose data may already be ingested). Relative dataset paths are resolved against {@code base} (the workflow's folder)
     * and stored absolute in the snapshot, so a resumed run reads the same file from anywhere. The run's name is
     * checked ({@link #nameProblem}) with the files: a stored workflow is read as it was accepted.
     */
    public static Parsed parse(String fileName, String text, Path base, Map<String, String> overrides,
            boolean checkFiles) {
        YNode root = tree(fileName, text, overrides);
        SpecBinder b = new SpecBinder(fileName);
        SpecBinder.Obj r = b.root(root);
        String name = r.required("name");
        // a stored workflow (resume, reports) is read as accepted: a name stored before this check stays usable
        String badName = name == null || !checkFiles ? null : nameProblem(name);
        if (badName != null) {
            b.error(r.keyLine("name"), "name", badName);
        }
        Set<String> uncached = new LinkedHashSet<>();
        TaskSpec task = task(r.obj("task"), b);
        DatasetSpec dataset = DatasetParser.dataset(b, cache(r.obj("dataset"), RunLayout.INGEST, uncached), base,
                root, checkFiles, task);
        boolean rec = task.recommendation();
        SpecBinder.Obj splitObj = r.obj("split");
        SplitSpec split = rec ? RecommendParser.split(splitObj) : SplitParser.read(splitObj, dataset.given());
        boolean utilityFile = dataset.given() != null && dataset.given().utility() != null;
        ModelSpec model = model(r.obj("model"), base, root, checkFiles, rec);
        TrainSpec train = train(cache(r.obj("fine_tune"), RunLayout.FINE_TUNE, uncached), rec);
        SpecBinder.Obj scoreObj = cache(r.obj("score"), RunLayout.SCORE, uncached);
        int errorsBeforeScore = b.errors().size();
        boolean autoUtility = SplitParser.utilityByMethods(split);
        ScoreSpec score = rec ? RecommendParser.score(scoreObj) : score(scoreObj, b, task,
                autoUtility || utilityFile || split.utility() > 0, model, train);
        if (!rec) {
            split = SplitParser.resolve(splitObj, split, score);
            if (utilityFile && b.errors().size() == errorsBeforeScore) {
                SplitParser.utilityFileRead(b, r.nestedLine("dataset", "utility"), task, score);
            }
        }
        SpecBinder.Obj filterObj = cache(r.obj("filter"), RunLayout.FILTER, uncached);
        List<String> scoreErrors = List.copyOf(b.errors().subList(errorsBeforeScore, b.errors().size()));
        FilterSpec filter = rec ? RecommendParser.filter(filterObj, score)
                : FilterParser.parse(filterObj, score, scoreErrors, task.type() == TaskType.REGRESSION);
        SpecBinder.Obj evaluateObj = cache(r.obj("evaluate"), RunLayout.EVALUATE, uncached);
        EvaluateSpec evaluate = rec ? RecommendParser.evaluate(evaluateObj) : EvaluateParser.parse(evaluateObj, task, checkFiles);
        WorkflowSpec.Recommend recommend = rec ? RecommendParser.recommend(r, model, task, dataset)
                : null;
        int iterations = (int) r.integer("iterations", 1, 1, 100);
        if (rec && iterations != 1) {
            r.invalid("iterations", "a recommendation workflow runs one iteration (its filter is not repeated), got "
                    + iterations);
        }
        boolean cache = r.choice("cache", "true", "true", "false").equals("true");
        WorkflowSpec.Execution execution = ExecutionParser.parse(r);
        r.done();
        if (b.errors().isEmpty() && checkFiles && dataset.path() != null) { // local files beside an S3 one too
            DatasetFileChecks.checkColumns(b, r, dataset, task);
        }
        if (!b.errors().isEmpty()) {
            throw new WorkflowException(b.errorsByLine());
        }
        WorkflowSpec spec = new WorkflowSpec(name, dataset, task, split, model, train, score, filter, evaluate,
                iterations, new WorkflowSpec.CacheSpec(cache, Set.copyOf(uncached)), execution, recommend);
        return new Parsed(spec, YamlTree.dump(root), autoUtility);
    }

    /** A stage section's {@code cache: false}: that stage always runs, never reuses another run's output. */
    private static SpecBinder.Obj cache(SpecBinder.Obj section, String stage, Set<String> uncached) {
        if (section.choice("cache", "true", "true", "false").equals("false")) {
            uncached.add(stage);
        }
        return section;
    }

    private static TaskSpec task(SpecBinder.Obj t, SpecBinder b) {
        String type = t.choice("type", "graded", "graded", "binary", "regression", "recommendation");
        TaskType tt = TaskType.valueOf(type.toUpperCase(Locale.ROOT));
        if (tt == TaskType.RECOMMENDATION) {
            return RecommendParser.task(t);
        }
        double min = t.number("min_label", tt == TaskType.GRADED ? 0 : 0);
        double max = t.number("max_label", tt == TaskType.GRADED ? 3 : 1);
        if (tt == TaskType.REGRESSION && (!t.has("min_label") || !t.has("max_label"))) {
            // no range fits every regression: a default of 0..1 quarantined every label above 1 without a word
            String missing = t.has("min_label") ? "max_label" : "min_label";
            b.error(t.keyLine(missing), t.path(missing), "a regression task needs its label range: set "
                    + "task.min_label and task.max_label (for example 1 and 5 for averaged 1-5 ratings)");
        } else if (max <= min) {
            b.error(t.keyLine("max_label"), t.path("max_label"), "must be greater than task.min_label (" + Text.number(max)
                    + " against " + Text.number(min) + ", " + t.origin("min_label") + ")");
        } else if (tt == TaskType.GRADED && (min != Math.rint(min) || max != Math.rint(max) || max - min > 20)) {
            b.error(t.keyLine("max_label"), t.path("max_label"),
                    "graded labels must be integers with at most 21 grades");
        } else if (tt == TaskType.BINARY && (min != 0 || max != 1)) {
            b.error(t.keyLine("max_label"), t.path("max_label"), "binary labels are 0 and 1");
        }
        t.done();
        return new TaskSpec(tt, min, max);
    }

    /**
     * The model section; for recommendation ({@code rec}) the sizes of the relevance models are refused, unread, in a
     * workflow to run ({@code checkFiles}): a stored one that has them (before stop 54) still parses.
     */
    private static ModelSpec model(SpecBinder.Obj m, Path base, YNode root, boolean checkFiles, boolean rec) {
        List<String> unreadKeys = rec && checkFiles ? List.of("hidden", "buckets", "dim", "last_layers") : List.of();
        for (String unread : unreadKeys) {
            if (m.has(unread)) {
                m.invalid(unread, "does not apply to recommendation: the item tower embeds item text with the frozen "
                        + "encoder, and recommend.dim sizes the towers");
            }
        }
        ModelSpec.Encoder encoder = ModelSpec.Encoder.valueOf(m.choice("encoder", "hashed-bow", "hashed-bow", "minilm",
                "bert").toUpperCase(Locale.ROOT).replace('-', '_'));
        String source = m.string("source", null);
        if (encoder == ModelSpec.Encoder.BERT && source == null) {
            m.invalid("source", "is required for encoder bert (a HuggingFace folder: local path or s3:// URI)");
        }
        if (encoder != ModelSpec.Encoder.BERT && source != null) {
            m.invalid("source", "only applies to encoder bert");
        }
        if (source != null && source.startsWith("s3://") && checkFiles) { // a folder: the bucket alone may do
            java.util.Optional.ofNullable(dev.sift.store.S3Address.folderProblem(source)).ifPresent(p -> m.invalid(
                    "source", p));
        } else if (source != null && checkFiles) {
            Path dir = Path.of(source);
            if (!dir.isAbsolute() && base != null) {
                dir = base.resolve(dir).normalize();
            }
            for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
                if (!Files.isRegularFile(dir.resolve(f))) {
                    m.invalid("source", "no " + f + " in " + dir);
                    break;
                }
            }
            source = dir.toString();
            if (root instanceof YMap ym) {
                YamlTree.rewrite(ym, "model.source", source);
            }
        }
        // head is the default: on 2 CPU cores it trains in seconds on cached embeddings and, starting from the
        // zero-shot score, beats it; full fine-tuning is for a GPU
        ModelSpec.Mode mode = ModelSpec.Mode.valueOf(m.choice("mode", "head", "head", "last_layers", "full")
                .toUpperCase(Locale.ROOT));
        int lastLayers = (int) m.integer("last_layers", 2, 1, 48);
        int maxLength = (int) m.integer("max_length", 64, 8, 512);
        ModelSpec.Pooling pooling = ModelSpec.Pooling.valueOf(m.choice("pooling", "mean", "mean", "cls")
                .toUpperCase(Locale.ROOT));
        ModelSpec spec = new ModelSpec(encoder, source, mode, lastLayers, maxLength, pooling,
                (int) m.integer("buckets", 4096, 64, 1 << 20), (int) m.integer("dim", 64, 2, 4096),
                (int) m.integer("hidden", encoder != ModelSpec.Encoder.HASHED_BOW && mode == ModelSpec.Mode.HEAD
                        ? 32 : 64, 2, 4096));
        m.done();
        return spec;
    }

    /** The fine-tune settings; for recommendation ({@code rec}) clipping and early stopping are refused: unread. */
    private static TrainSpec train(SpecBinder.Obj t, boolean rec) {
        for (String unread : rec ? List.of("clip_norm", "patience") : List.<String>of()) {
            if (t.has(unread)) {
                t.invalid(unread, "does not apply to recommendation: the two-tower trains every epoch, unclipped");
            }
        }
        int epochs = (int) t.integer("epochs", 4, 1, 10_000);
        int batch = (int) t.integer("batch_size", 64, 1, 65_536);
        double lr = t.number("learning_rate", 0.003);
        inRange(t, "learning_rate", lr, lr > 0 && lr < 10, "in (0, 10)");
        long seed = t.integer("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        double wd = t.number("weight_decay", 0.01);
        inRange(t, "weight_decay", wd, wd >= 0 && wd <= 1, "in [0, 1] (AdamW's decoupled decay per unit of rate)");
        double warmup = t.number("warmup", 0.1);
        inRange(t, "warmup", warmup, warmup >= 0 && warmup < 1, "a fraction in [0, 1)");
        double clip = t.number("clip_norm", 1.0);
        inRange(t, "clip_norm", clip, clip >= 0, ">= 0 (0: no clipping)");
        int patience = (int) t.integer("patience", 0, 0, 1000);
        TrainSpec.DeviceChoice device = TrainSpec.DeviceChoice.valueOf(t.choice("device", "auto", "auto", "cpu",
                "gpu").toUpperCase(Locale.ROOT));
        t.done();
        return new TrainSpec(epochs, batch, lr, seed, wd, warmup, clip, patience, device);
    }

    /** Refuses a setting outside its range, quoting the value as written (1e-400 reads as 0). */
    private static void inRange(SpecBinder.Obj o, String key, double v, boolean ok, String range) {
        if (!ok) {
            o.invalid(key, "must be " + range + ", got " + o.string(key, String.valueOf(v)).trim());
        }
    }

    /**
     * The methods to run: each must exist, be defined for the task and get what it needs from this model and
     * split; without {@code score.methods}, every method that can run here.
     */
    private static ScoreSpec score(SpecBinder.Obj s, SpecBinder b, TaskSpec taskSpec, boolean utility,
            ModelSpec model, TrainSpec train) {
        int crossFit = (int) s.integer("cross_fit", 0, 0, 50);
        if (crossFit == 1) {
            s.invalid("cross_fit", "must be 0 (off) or a number of folds >= 2, got 1");
        }
        Set<Need> provides = WorkflowSpec.scoringProvides(taskSpec, utility, model, crossFit);
        TaskType task = taskSpec.type();
        List<String> ensemble = s.strings("ensemble", RankEnsemble.DEFAULT_MEMBERS);
        List<String> all = ImportanceMethods.applicable(task, provides).stream().map(ImportanceMethod::name).toList();
        List<String> methods = s.strings("methods", all);
        boolean explicit = s.has("methods") && methods != all; // methods: with no value is the default, all of them
        Set<String> unique = new LinkedHashSet<>();
        for (String name : methods) {
            Optional<ImportanceMethod> m = ImportanceMethods.find(name);
            if (m.isEmpty()) {
                s.invalid("methods", "unknown method '" + name + "'; known: " + String.join(", ",
                        ImportanceMethods.names()));
                continue;
            }
            Optional<String> why = configured(s, name, ensemble)
                    .flatMap(c -> ImportanceMethods.whyNot(c, task, provides));
            if (why.isPresent() && explicit) {
                s.invalid("methods", why.get());
            }
            if (why.isEmpty() || explicit) {
                unique.add(name); // a refused one too, so filter.by naming it reports nothing more
            }
        }
        if (explicit && methods.isEmpty()) {
            s.invalid("methods", "list at least one method; without score.methods every method that can run here "
                    + "runs");
        } else if (unique.isEmpty() && b.errors().isEmpty()) {
            s.invalid("methods", "no importance method can run on this task and model");
        }
        int seeds = (int) s.integer("seeds", 1, 1, 20);
        ScoringCheckpoint checkpoint = ScoringCheckpoint.BEST;
        try {
            checkpoint = ScoringCheckpoint.parse(s.string("checkpoint", "best"));
            if (checkpoint.kind() == ScoringCheckpoint.Kind.EPOCH && checkpoint.epoch() > train.epochs()) {
                s.invalid("checkpoint", "epoch " + checkpoint.epoch() + " is after the last one (fine_tune.epochs: "
                        + train.epochs() + ")");
            }
        } catch (IllegalArgumentException e) {
            s.invalid("checkpoint", e.getMessage());
        }
        s.done();
        return new ScoreSpec(List.copyOf(unique), List.copyOf(ensemble), crossFit, seeds, checkpoint);
    }

    private static Optional<ImportanceMethod> configured(SpecBinder.Obj s, String name, List<String> ensemble) {
        try {
            for (String member : ensemble) {
                if (ImportanceMethods.find(member).isEmpty()) {
                    s.invalid("ensemble", "unknown member '" + member + "'");
                    return Optional.empty();
                }
            }
            return Optional.of(ImportanceMethods.configured(name, ensemble));
        } catch (IllegalArgumentException e) {
            s.invalid("ensemble", e.getMessage());
            return Optional.empty();
        }
    }
}
