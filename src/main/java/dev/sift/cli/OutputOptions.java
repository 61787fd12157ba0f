package dev.sift.cli;

import dev.sift.history.Table;
import picocli.CommandLine.Option;

/** {@code --format table|json|csv} for commands that print results. */
public class OutputOptions {
    /** Output formats. */
    public enum Format {
        table, json, csv
    }

    @Option(names = "--format", defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE})")
    Format format = Format.table;

    String render(Table t) {
        return switch (format) {
            case table -> t.text();
            case csv -> t.csv();
            case json -> t.json().toPrettyString() + "\n";
        };
    }
}
