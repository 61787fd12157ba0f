package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.workflow.WorkflowException;
import dev.sift.workflow.WorkflowParser;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift validate WORKFLOW.yaml}: checks a workflow without a database. */
@Command(name = "validate", description = "Check a workflow file (keys, types, ranges, data columns) and print "
        + "the workflow with the overrides applied, then every resolved setting (defaults included) as comments; "
        + "needs no database.")
public class ValidateCommand implements Callable<Integer> {
    @Mixin
    VerboseOption verbose;

    @Parameters(index = "0", paramLabel = "WORKFLOW.yaml")
    Path workflow;

    @Option(names = "--set", paramLabel = "PATH=VALUE", converter = SetOverrides.Converter.class,
            description = "override a workflow value (repeatable)")
    void set(java.util.List<SetOverrides.Pair> sets) {
        overrides = SetOverrides.of(sets);
    }

    Map<String, String> overrides = Map.of();

    @Override
    public Integer call() {
        try {
            var parsed = WorkflowParser.parseFile(workflow, overrides);
            System.out.print(parsed.snapshot());
            // every setting the run will use, defaults included, as comments: the output stays the workflow
            System.out.println("# resolved, with every default (the keys of runs list --where params.KEY):");
            dev.sift.workflow.WorkflowParams.of(parsed.spec()).forEach((k, v) -> System.out.println("#   " + k + " = "
                    + dev.sift.history.Table.printable(String.valueOf(v))));
            return ExitCodes.OK;
        } catch (WorkflowException e) {
            e.errors().forEach(System.err::println);
            return ExitCodes.USAGE;
        }
    }
}
