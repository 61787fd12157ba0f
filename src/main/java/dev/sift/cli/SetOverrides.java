package dev.sift.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The {@code --set PATH=VALUE} options in the order they are applied: a path set again moves to its last place, so
 * the last {@code --set} on the command line wins (a probe's {@code --set fine_tune.epochs=5 --set 'fine_tune={epochs:
 * 2}' --set fine_tune.epochs=7} resolved 2: picocli's map option keeps a repeated key where it was first put). Each
 * value is taken as written, up to its first {@code =}: picocli split a map option's value at quotes too, and warned
 * of unbalanced ones in words about Java fields.
 */
final class SetOverrides {
    private SetOverrides() {
    }

    /** One {@code --set}. */
    record Pair(String path, String value) {
    }

    /** Reads {@code PATH=VALUE}; anything else is picocli's usage error, said in one line. */
    static final class Converter implements CommandLine.ITypeConverter<Pair> {
        @Override
        public Pair convert(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not PATH=VALUE (for example "
                        + "fine_tune.epochs=2)");
            }
            return new Pair(text.substring(0, eq), text.substring(eq + 1));
        }
    }

    /** The overrides in the order they apply, each path at the place of its last {@code --set}. */
    static Map<String, String> of(List<Pair> sets) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Pair p : sets) {
            out.remove(p.path());
            out.put(p.path(), p.value());
        }
        return out;
    }
}
