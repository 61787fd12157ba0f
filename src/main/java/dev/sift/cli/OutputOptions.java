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

    /**
     * A command's several tables as CSV: the one {@code only} names, or each under a {@code # NAME} line, separated
     * by blank lines (so a reader can split them); an unknown name is a usage error listing the names.
     */
    static String csv(java.util.Map<String, Table> tables, String only) {
        if (only != null) {
            return one(tables, only).csv();
        }
        StringBuilder sb = new StringBuilder();
        tables.forEach((name, t) -> sb.append(sb.length() == 0 ? "" : "\n").append("# ").append(name).append('\n')
                .append(t.csv()));
        return sb.toString();
    }

    /** The table {@code --table NAME} names. */
    static Table one(java.util.Map<String, Table> tables, String name) {
        return tables.get(name(name, tables.keySet()));
    }

    /** {@code --table NAME} as one of {@code names} (case and spaces ignored); another is a usage error listing them. */
    static String name(String name, java.util.Collection<String> names) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (!names.contains(n)) {
            throw dev.sift.SiftException.usage("--table '" + name + "': one of " + String.join(", ", names));
        }
        return n;
    }

    String render(Table t) {
        return switch (format) {
            case table -> t.text();
            case csv -> t.csv();
            case json -> t.json().toPrettyString() + "\n";
        };
    }
}
