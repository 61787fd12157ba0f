package dev.sift.cli;

import dev.sift.ExitCodes;
import dev.sift.workflow.WorkflowException;
import dev.sift.workflow.WorkflowParser;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sift validate WORKFLOW.yaml}: checks a workflow without a database. */
@Command(name = "validate", description = "Check a workflow file (keys, types, ranges, data columns) and print "
        + "the resolved workflow; needs no database.")
public class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "WORKFLOW.yaml")
    Path workflow;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a workflow value (repeatable)")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() {
        try {
            System.out.print(WorkflowParser.parseFile(workflow, overrides).snapshot());
            return ExitCodes.OK;
        } catch (WorkflowException e) {
            e.errors().forEach(System.err::println);
            return ExitCodes.USAGE;
        }
    }
}
