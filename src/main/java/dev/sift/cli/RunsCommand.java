package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.RunHistory;
import dev.sift.history.RunListing;
import dev.sift.history.SampleExplainer;
import dev.sift.history.Table;
import dev.sift.store.RunEntity;
import dev.sift.store.RunStore;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift runs list|show|compare|lineage|diff-subsets|scores|agreement|explain|export|delete}. */
@Command(name = "runs", description = "Experiment history.", subcommands = {RunsCommand.ListRuns.class,
    RunsCommand.ShowRun.class, CompareCommand.class, LineageCommand.class, DiffSubsetsCommand.class,
    RunsCommand.Scores.class, AgreementCommand.class, RunsCommand.Explain.class, ExportCommand.class,
    DeleteRunsCommand.class})
public class RunsCommand {

    /** {@code sift runs list}. */
    @Command(name = "list", description = "List runs, newest first, or filtered and ordered by parameters and "
            + "metrics (--where, --order-by; grammar in the README, CLI reference).")
    public static class ListRuns implements Callable<Integer>, ArgumentCheck {
        @Option(names = "--workflow", description = "only runs of this workflow")
        String workflow;

        @Option(names = "--status", description = "RUNNING, SUCCEEDED, FAILED or INTERRUPTED")
        String status;

        @Option(names = "--where", paramLabel = "EXPR", description = "only runs for which EXPR holds, e.g. "
                + "\"metrics.selected.ndcg@10 > 0.9 or params.filter.by = 'el2n'\". Keys: params.<name> (resolved "
                + "workflow parameters, e.g. params.filter.keep), metrics.<subset>.<metric> (test split, mean over "
                + "seeds, the latest iteration that has it), status, workflow, name (the run's), created; operators = != < <= > >=, "
                + "and, or, not, parentheses; 'quoted strings' and numbers. A run that lacks a key fails every "
                + "comparison on it")
        String where;

        @Option(names = "--order-by", arity = "1..2", paramLabel = "KEY [desc|asc]", hideParamSyntax = true,
                description = "order by a key "
                + "(as in --where), ascending unless desc follows; runs that lack it last, ties newest first")
        List<String> orderBy;

        @Option(names = "--limit", defaultValue = "50", description = "at most this many (default: ${DEFAULT-VALUE})")
        int limit;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOption verbose;

        @Inject
        RunListing listing;

        @Override
        public void checkArguments() {
            query();
        }

        private dev.sift.store.RunQuery.Query query() {
            RunEntity.Status s = null;
            if (status != null) {
                try {
                    s = RunEntity.Status.valueOf(status.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw SiftException.usage("--status must be RUNNING, SUCCEEDED, FAILED or INTERRUPTED, got '" + status
                            + "'");
                }
            }
            return RunListing.query(workflow, s, where, orderBy, limit);
        }

        @Override
        public Integer call() {
            System.out.print(output.render(listing.list(query())));
            return ExitCodes.OK;
        }
    }

    /** {@code sift runs show RUN}. */
    @Command(name = "show", description = "Show a run: its stages with timings and attempts, and its metrics.")
    public static class ShowRun implements Callable<Integer>, ArgumentCheck {
        @Parameters(index = "0", paramLabel = "RUN")
        long runId;

        @Mixin
        OutputOptions output;

        @Option(names = "--table", paramLabel = "NAME", description = "only this table: stages, lineage, metrics, "
                + "comparisons, noise_detection or curve (CSV without it: each table under a '# NAME' line)")
        String table;

        @Mixin
        VerboseOption verbose;

        @Inject
        RunHistory history;

        @Inject
        RunStore runs;

        @Override
        public void checkArguments() {
            tableName();
        }

        /** Why a table that only some runs fill is empty, when the run succeeded. */
        private static final java.util.Map<String, String> EMPTY = java.util.Map.of(
                "noise_detection", "it knew no noisy labels (dataset.noise, or the data's own noise marks)",
                "curve", "it drew no kept-fraction curve (evaluate.curve)");

        /** {@code --table} as one of {@link RunHistory#TABLES}, or null without it. */
        private String tableName() {
            return table == null ? null : OutputOptions.name(table, RunHistory.TABLES);
        }

        @Override
        public Integer call() {
            String name = tableName();
            RunEntity r = runs.require(runId);
            if (name != null) {
                // only the one table is read; JSON gives it as the whole run's JSON has it (stages with outputs)
                if (output.format == OutputOptions.Format.json && name.equals("stages")) {
                    System.out.print(history.stagesJson(runId).toPrettyString() + "\n");
                    return ExitCodes.OK;
                }
                Table t = history.table(runId, name);
                System.out.print(output.render(t));
                if (t.size() == 0 && EMPTY.containsKey(name)) { // beside the table: CSV and JSON stay the table
                    System.err.println("run " + runId + " has no " + name + " rows: " + (r.status
                            == RunEntity.Status.SUCCEEDED ? EMPTY.get(name) : "it is " + RunStore.statusText(r)
                            + ", and its later stages may not have stored them"));
                }
                return ExitCodes.OK;
            }
            switch (output.format) {
                case json -> System.out.println(history.showJson(r).toPrettyString());
                case csv -> System.out.print(OutputOptions.csv(history.tables(runId), null));
                default -> {
                    System.out.println("run " + r.id + "  " + Table.printable(r.name) + "  ("
                            + Table.printable(r.workflow) + ")  " + RunStore.statusText(r)
                            + (r.error == null ? "" : "  error: " + Table.printable(r.error)));
                    System.out.println("workflow file: " + Table.printable(r.workflowPath));
                    System.out.println("created " + r.createdAt + (r.finishedAt == null ? ""
                            : ", finished " + r.finishedAt));
                    if (r.scheduleName != null) {
                        System.out.println("schedule " + r.scheduleName + (r.fireTime == null ? ", started by hand"
                                : ", firing of " + r.fireTime));
                    }
                    System.out.println();
                    System.out.println("stages");
                    System.out.print(history.stages(runId).text());
                    System.out.println();
                    System.out.println("lineage (what each iteration filtered and kept)");
                    System.out.print(history.lineage(runId).text());
                    history.stopped(runId).ifPresent(System.out::println);
                    System.out.println();
                    System.out.println("metrics (means over seeds; _sd: sample standard deviation, NaN for one seed)");
                    System.out.print(history.metrics(runId).text());
                    System.out.println();
                    printComparisons(history, runId);
                    printNoiseDetection(history, runId);
                }
            }
            return ExitCodes.OK;
        }
    }

    /**
     * What {@code sift run} and {@code resume} print on stdout when the run ends: as a table, the metrics, the kept-vs-
     * others intervals and the noise detection; as JSON, the whole run as {@code runs show --format json} gives it;
     * as CSV, every table under its {@code # NAME} line, as {@code runs show --format csv}.
     */
    static void printResults(RunHistory history, long runId, OutputOptions output) {
        switch (output.format) {
            case json -> System.out.println(history.showJson(runId).toPrettyString());
            case csv -> System.out.print(OutputOptions.csv(history.tables(runId), null));
            default -> {
                System.out.print(history.metrics(runId).text());
                System.out.println();
                printComparisons(history, runId);
                printNoiseDetection(history, runId);
            }
        }
    }

    /** The comparisons table, then per iteration the room a subset of the kept size has (random - full). */
    static void printComparisons(RunHistory history, long runId) {
        System.out.println(history.comparisonsTitle(runId));
        System.out.print(history.comparisons(runId).text());
        List<String> room = history.headroom(runId);
        if (!room.isEmpty()) {
            System.out.println();
            System.out.println("room for a subset (a random one of the kept size against the full set)");
            room.forEach(System.out::println);
        }
    }

    /** The noise detection table, when the run's pools held known-noisy labels. */
    static void printNoiseDetection(RunHistory history, long runId) {
        Table noise = history.noiseDetection(runId);
        if (noise.size() > 0) {
            System.out.println();
            System.out.println("noise detection per method (known-noisy labels in the scored pool; F1 at their count)");
            System.out.print(noise.text());
        }
        List<String> recovery = history.noiseRecovery(runId);
        if (!recovery.isEmpty()) {
            System.out.println();
            System.out.println("what the injected noise cost the full model (full - full-clean), and the kept subset's "
                    + "share of it");
            recovery.forEach(System.out::println);
        }
        Table curve = history.curve(runId);
        if (curve.size() > 0) {
            System.out.println();
            System.out.println("kept-fraction curves (each method kept from either end, beside random at the same "
                    + "fraction; keeping the lowest f removes the highest-valued first)");
            System.out.print(curve.text());
        }
    }

    /** {@code sift runs scores RUN --method M}. */
    @Command(name = "scores", description = "A run's per-sample scores of one method, ranked, with text and label.")
    public static class Scores implements Callable<Integer>, ArgumentCheck {
        @Parameters(index = "0", paramLabel = "RUN")
        long runId;

        @Option(names = "--method", required = true, description = "importance method, e.g. el2n")
        String method;

        @Option(names = "--iteration", defaultValue = "1", description = "iteration (default: ${DEFAULT-VALUE})")
        int iteration;

        @Option(names = "--top", defaultValue = "20", description = "how many (default: ${DEFAULT-VALUE})")
        int top;

        @Option(names = "--lowest", description = "rank from the lowest score instead of the highest")
        boolean lowest;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOption verbose;

        @Inject
        RunHistory history;

        @Inject
        RunStore runs;

        @Override
        public void checkArguments() {
            SiftException.atLeast("--top", top, 1);
            SiftException.atLeast("--iteration", iteration, 1);
        }

        @Override
        public Integer call() {
            checkArguments();
            runs.require(runId);
            System.out.print(output.render(history.scores(runId, iteration, method, top, !lowest)));
            return ExitCodes.OK;
        }
    }

    /** {@code sift runs explain RUN --sample ID}. */
    @Command(name = "explain", description = "Why a sample scored as it did: each method's value and rank, the "
            + "suggested label where confident learning flagged it, and its nearest neighbours with their labels.")
    public static class Explain implements Callable<Integer>, ArgumentCheck {
        @Parameters(index = "0", paramLabel = "RUN")
        long runId;

        @Option(names = "--sample", required = true, description = "sample index (as in runs scores)")
        int sample;

        @Option(names = "--iteration", defaultValue = "1", description = "iteration (default: ${DEFAULT-VALUE})")
        int iteration;

        @Option(names = "--neighbours", defaultValue = "5", description = "nearest neighbours (default: "
                + "${DEFAULT-VALUE})")
        int neighbours;

        @Option(names = "--format", defaultValue = "table", description = "table or json")
        OutputOptions.Format format;

        @Mixin
        VerboseOption verbose;

        @Inject
        SampleExplainer explainer;

        @Inject
        RunHistory history;

        @Inject
        RunStore runs;

        @Override
        public void checkArguments() {
            if (neighbours < 0) {
                throw SiftException.usage("--neighbours must be 0 or more, got " + neighbours);
            }
            if (format == OutputOptions.Format.csv) {
                throw SiftException.usage("runs explain --format: table or json (an explanation is several tables; "
                        + "json holds them all)");
            }
        }

        @Override
        public Integer call() {
            checkArguments();
            var run = runs.require(runId);
            var e = explainer.explain(run, iteration, sample, neighbours);
            if (format == OutputOptions.Format.json) {
                System.out.println(e.toPrettyString());
                return ExitCodes.OK;
            }
            var s = e.get("sample");
            List<String> text = history.textNames(runId);
            System.out.printf("sample %d (line %d, %s): label %s%n  %s: %s%n  %s: %s%n", s.get("index").asInt(),
                    s.get("source_line").asLong(), s.get("split").asText(),
                    dev.sift.data.Text.plain(s.get("label").asDouble()), shown(text.get(0)), shown(s.path(text.get(0))
                    .asText(s.path("query").asText())), shown(text.get(1)), shown(s.path(text.get(1))
                    .asText(s.path("title").asText())));
            if (s.has("known_noisy")) {
                System.out.println("  the source marks this label as corrupted");
            }
            if (e.has("suggested_label")) {
                System.out.println("  confident learning suggests label " + dev.sift.data.Text.plain(e.get(
                        "suggested_label").asDouble())); // as the label above: 3, not 3.0
            }
            Table t = new Table(List.of("method", "score", "rank", "of",
                    "meaning"));
            e.get("methods").forEach(m -> t.add(m.get("method").asText(), m.get("score").asDouble(),
                    m.get("rank").asLong(), m.get("of").asLong(), m.get("meaning").asText()));
            System.out.println();
            System.out.print(t.text());
            Table n = new Table(List.of("neighbour", "distance", "label", text.get(0), text.get(1)));
            e.get("neighbours").forEach(x -> n.add(x.get("sample").asInt(), x.get("distance").asDouble(),
                    Table.exact(x.get("label").asDouble()), x.get("query").asText(), x.get("title").asText()));
            System.out.println();
            if (n.size() > 0) {
                System.out.print(n.text());
            }
            if (e.has("neighbours_unavailable")) {
                System.out.println("no neighbours: " + e.get("neighbours_unavailable").asText());
            }
            return ExitCodes.OK;
        }

        /**
         * A text of the sample on one line, control characters shown ({@link dev.sift.data.Text#visible}: a probe's
         * title held CR and U+202E), at most {@link #SHOWN} characters (a 100 KB title was one line of it).
         */
        static String shown(String text) {
            int n = text.codePointCount(0, text.length()); // cut by characters, before escaping (Text.cut's count)
            return n <= SHOWN ? dev.sift.data.Text.visible(text) : dev.sift.data.Text.visible(text.substring(0,
                    text.offsetByCodePoints(0, SHOWN))) + "... (" + n + " characters; --format json gives it whole)";
        }

        static final int SHOWN = 2000;
    }
}
