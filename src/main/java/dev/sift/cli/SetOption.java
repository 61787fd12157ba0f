package dev.sift.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --set PATH=VALUE}, repeatable, for the commands that start runs ({@code run}, {@code sweep}). */
public class SetOption {
    /** The overrides in the order they apply ({@link SetOverrides#of}). */
    Map<String, String> overrides = Map.of();

    @Option(names = "--set", paramLabel = "PATH=VALUE", converter = SetOverrides.Converter.class,
            description = "override a workflow value, e.g. --set fine_tune.epochs=2 (repeatable; in a sweep, in "
            + "every run)")
    void set(List<SetOverrides.Pair> sets) {
        overrides = SetOverrides.of(sets);
    }
}
