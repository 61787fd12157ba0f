package dev.sift.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.history.RunComparison;
import dev.sift.history.Table;
import dev.sift.workflow.Console;
import dev.sift.workflow.WorkflowEngine;
import dev.sift.workflow.WorkflowException;
import dev.sift.workflow.WorkflowParser;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sift sweep WORKFLOW.yaml --vary PATH=VALUES}: the workflow run once per value of one setting, one run after
 * the other, then the runs pooled as {@code runs compare --pooled} pools them. A claim about draws (a noise seed, a
 * split seed) rests on several runs, and this is the one command that makes and pools them.
 */
@Command(name = "sweep", description = "Run a workflow once per value of one setting (--vary "
        + "dataset.noise.seed=70..81), one run after the other, then pool the runs as 'runs compare --pooled' does: "
        + "the kept subset against random, full and the free baselines, and the share of an injected noise's cost "
        + "won back, as means over the runs with 95%% bootstrap intervals over them. Every value's workflow is "
        + "checked before the first run starts; a run that fails ends the sweep, and the runs before it stay. "
        + "Meant for draws (noise seeds, split seeds), not for settings one would choose between.")
public class SweepCommand implements Callable<Integer>, ArgumentCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** More runs than this in one sweep is more likely a typo in a range than a plan. */
    static final int MAX_VALUES = 1000;
    private static final java.util.regex.Pattern RANGE = java.util.regex.Pattern.compile(
            "(-?\\d{1,9})\\.\\.(-?\\d{1,9})");

    @Parameters(index = "0", paramLabel = "WORKFLOW.yaml", description = "workflow file")
    Path workflow;

    @Option(names = "--vary", required = true, paramLabel = "PATH=VALUES", description = "the setting to vary and "
            + "its values: a comma-separated list (split.seed=13,14,15) or an integer range, both ends included "
            + "(dataset.noise.seed=70..81); at least two values")
    String vary;

    @Mixin
    SetOption sets;

    @Option(names = "--iteration", paramLabel = "K|last", description = "the iteration of every run to pool: a "
            + "number from 1 or last (default 1, where the full model and its clean reference are trained)")
    String iteration;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOption verbose;

    @Inject
    WorkflowEngine engine;

    @Inject
    RunComparison comparison;

    /** The varied setting's path and its values, in order. */
    record Sweep(String path, List<String> values) {
    }

    /** Reads {@code PATH=VALUES}: a comma list or an integer range {@code A..B}. */
    static Sweep sweep(String text) {
        int eq = text == null ? -1 : text.indexOf('=');
        if (eq <= 0) {
            throw SiftException.usage("--vary '" + text + "' is not PATH=VALUES (for example dataset.noise.seed=1..5)");
        }
        String path = text.substring(0, eq).trim();
        String values = text.substring(eq + 1).trim();
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher range = RANGE.matcher(values);
        if (range.matches()) {
            long a = Long.parseLong(range.group(1));
            long b = Long.parseLong(range.group(2));
            if (b < a || b - a + 1 > MAX_VALUES) {
                throw SiftException.usage("--vary " + path + ": the range " + values + " must run upwards over at "
                        + "most " + MAX_VALUES + " values");
            }
            for (long v = a; v <= b; v++) {
                out.add(Long.toString(v));
            }
        } else {
            for (String v : values.split(",", -1)) {
                out.add(v.trim());
            }
            if (out.stream().anyMatch(String::isEmpty)) {
                throw SiftException.usage("--vary " + path + ": an empty value in '" + values + "'");
            }
            if (out.stream().anyMatch(v -> v.contains(".."))) {
                throw SiftException.usage("--vary " + path + ": '" + values + "' is neither a list nor a range; a range "
                        + "is two integers A..B alone (for decimals, list the values: 0.1,0.2,0.3); a value may not "
                        + "contain a comma");
            }
        }
        if (out.size() < 2 || out.size() > MAX_VALUES || out.stream().distinct().count() < out.size()) {
            throw SiftException.usage("--vary " + path + ": give from 2 to " + MAX_VALUES + " distinct values, got '"
                    + values + "'");
        }
        return new Sweep(path, out);
    }

    @Override
    public void checkArguments() {
        iterationKey();
        parsed(sweep(vary));
    }

    private String iterationKey() {
        String it = iteration == null ? "1" : iteration.trim().toLowerCase(java.util.Locale.ROOT);
        if (!it.equals("last") && !it.matches("[1-9]\\d{0,5}")) {
            throw SiftException.usage("--iteration must be a number from 1 or last, got '" + iteration + "'");
        }
        return it;
    }

    /**
     * Every value's workflow, parsed with the --set overrides and the varied path last, checked as one sweep; a
     * workflow's errors come back as one usage line naming the value.
     */
    private List<WorkflowParser.Parsed> parsed(Sweep s) {
        for (String set : sets.overrides.keySet()) {
            String p = set.trim();
            if (p.equals(s.path()) || p.startsWith(s.path() + ".") || s.path().startsWith(p + ".")) {
                throw SiftException.usage("--vary " + s.path() + " and --set " + p + " set the same setting");
            }
        }
        List<WorkflowParser.Parsed> out = new ArrayList<>();
        Map<Object, String> seen = new LinkedHashMap<>();
        for (String v : s.values()) {
            Map<String, String> all = new LinkedHashMap<>(sets.overrides);
            all.put(s.path(), v);
            WorkflowParser.Parsed p;
            try {
                p = WorkflowParser.parseFile(workflow, all);
            } catch (WorkflowException e) {
                throw SiftException.usage("--vary " + s.path() + "=" + v + ": " + e.errors().stream().map(l -> l
                        .replace("--set " + s.path() + ":", s.path() + ":")).collect(Collectors.joining("; ")));
            }
            // 1 and 01, or a setting the run does not read, would pool one draw as several
            String same = seen.putIfAbsent(dev.sift.workflow.WorkflowParams.of(p.spec()), v);
            if (same != null) {
                throw SiftException.usage("--vary " + s.path() + ": the values " + same + " and " + v + " give the "
                        + "same workflow (the same value, or one the run does not read)");
            }
            if (!out.isEmpty() && out.get(0).spec().task().type() != p.spec().task().type()) {
                throw SiftException.usage("--vary " + s.path() + ": the values give runs of more than one task type, "
                        + "which are not pooled");
            }
            out.add(p);
        }
        return out;
    }

    @Override
    public Integer call() {
        String it = iterationKey();
        Sweep s = sweep(vary);
        List<WorkflowParser.Parsed> runs = parsed(s);
        Console console = Console.system();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            String value = s.values().get(i);
            if (dev.sift.store.InterruptedRuns.shuttingDown()) {
                // a signal came between two runs: start no new one, and pool nothing, under a process that is ending
                console.info("sweep stopped by a signal before " + s.path() + "=" + value + (ids.isEmpty() ? ""
                        : "; the runs before it: " + joined(ids)));
                return ExitCodes.FAILURE;
            }
            console.info(String.format("sweep %d/%d: %s=%s", i + 1, runs.size(), s.path(), value));
            String name = runs.get(i).spec().name() + " " + s.path() + "=" + value;
            try {
                ids.add(engine.start(runs.get(i), workflow, WorkflowParser.nameProblem(name) == null ? name : null,
                        console));
            } catch (RuntimeException e) {
                console.info("sweep ended at " + s.path() + "=" + value + " (that run is stored: sift runs list "
                        + "shows it, sift resume goes on with it)" + (ids.isEmpty() ? "" : "; the runs before it: "
                        + joined(ids)) + "; the values not run: " + String.join(",", s.values().subList(i,
                        s.values().size())));
                throw e;
            }
        }
        console.info("sweep: runs " + joined(ids) + " finished; pooled as sift runs compare " + joined(ids)
                + " --pooled --iteration " + it);
        print(s, ids, it, comparison.compare(ids, true, it, true));
        return ExitCodes.OK;
    }

    private static String joined(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(" "));
    }

    private void print(Sweep s, List<Long> ids, String it, RunComparison.Result r) {
        switch (output.format) {
            case json -> {
                ObjectNode o = JSON.createObjectNode();
                o.put("varied", s.path());
                o.put("iteration", it);
                var runs = o.putArray("runs");
                for (int i = 0; i < ids.size(); i++) {
                    runs.addObject().put("run", ids.get(i)).put("value", s.values().get(i));
                }
                o.set("parameters", r.parameters().json());
                o.set("pooled", r.pooled().json());
                System.out.println(o.toPrettyString());
            }
            case csv -> {
                Table t = new Table(List.of("run", s.path()));
                for (int i = 0; i < ids.size(); i++) {
                    t.add(ids.get(i), s.values().get(i));
                }
                Map<String, Table> tables = new LinkedHashMap<>();
                tables.put("runs", t);
                tables.put("parameters", r.parameters());
                tables.put("pooled", r.pooled());
                System.out.print(OutputOptions.csv(tables, null));
            }
            default -> {
                System.out.println("runs " + joined(ids) + " (" + s.path() + " = " + String.join(", ", s.values())
                        + "; their results: sift runs show RUN)");
                System.out.println();
                System.out.println("parameters that differ (" + r.parametersDiffering() + " of " + r.parametersTotal()
                        + ")");
                System.out.print(r.parameters().text());
                System.out.println();
                System.out.println("pooled over the " + ids.size() + " runs, iteration " + it + " of each ("
                        + CompareCommand.POOLED_HEADING + ")");
                System.out.print(r.pooled().text());
            }
        }
    }
}
