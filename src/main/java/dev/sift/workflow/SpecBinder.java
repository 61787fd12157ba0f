package dev.sift.workflow;

import dev.sift.workflow.YamlTree.Entry;
import dev.sift.workflow.YamlTree.YList;
import dev.sift.workflow.YamlTree.YMap;
import dev.sift.workflow.YamlTree.YNode;
import dev.sift.workflow.YamlTree.YScalar;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads typed values out of a {@link YamlTree} and collects every error with file, line and key, so a user
 * sees all problems of a workflow at once, before any work starts.
 */
final class SpecBinder {
    private final String file;
    private final List<String> errors = new ArrayList<>();
    private final List<Integer> errorLines = new ArrayList<>();

    SpecBinder(String file) {
        this.file = file;
    }

    List<String> errors() {
        return errors;
    }

    /**
     * The errors as a user reads them: those of {@code --set} first, then by line, in the order found within a line
     * (unknown keys are found when their mapping is done, after the errors of the lines below them).
     */
    List<String> errorsByLine() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < errors.size(); i++) {
            order.add(i);
        }
        order.sort(java.util.Comparator.comparingInt(errorLines::get)); // stable: FROM_OVERRIDE (-1) first
        return order.stream().map(errors::get).toList();
    }

    void error(int line, String key, String message) {
        String where = line == YamlTree.FROM_OVERRIDE ? file + ": --set " + key : file + ":" + line + ": " + key;
        errors.add(where + ": " + message);
        errorLines.add(line);
    }

    Obj root(YNode node) {
        if (node instanceof YMap m) {
            return new Obj(m, "");
        }
        error(node.line(), "(document)", "must be a mapping of keys to values");
        return new Obj(new YMap(node.line(), new LinkedHashMap<>()), "");
    }

    /** A mapping being read; keys that are never asked for are reported as unknown by {@link #done()}. */
    final class Obj {
        private final YMap map;
        private final String prefix;
        private final Set<String> used = new HashSet<>();

        Obj(YMap map, String prefix) {
            this.map = map;
            this.prefix = prefix;
        }

        int line() {
            return map.line();
        }

        String path(String key) {
            return prefix.isEmpty() ? key : prefix + "." + key;
        }

        boolean has(String key) {
            return map.entries().containsKey(key);
        }

        /** Whether an optional key is present; the key counts as known either way (for the unknown-key hint). */
        boolean optional(String key) {
            used.add(key);
            return has(key);
        }

        /** Whether the key is present and holds a mapping (rather than a single value or a list). */
        boolean isMapping(String key) {
            Entry e = map.entries().get(key);
            return e != null && e.value() instanceof YMap;
        }

        /** The value written for {@code key} when it is a single value, else null; the key is not marked as read. */
        String peek(String key) {
            Entry e = map.entries().get(key);
            return e != null && e.value() instanceof YScalar s ? s.value() : null;
        }

        private YScalar scalar(String key) {
            used.add(key);
            Entry e = map.entries().get(key);
            if (e == null) {
                return null;
            }
            if (e.value() instanceof YScalar s) {
                return noValue(s) ? null : s;
            }
            error(e.keyLine(), path(key), "must be a single value, not a " + kind(e.value()));
            return null;
        }

        /**
         * The key under {@code section} (a mapping under this one, maybe nested: {@code "dataset", "columns"})
         * whose single value is {@code value}, as {@code {line, dotted key}}; null when there is none.
         */
        Object[] keyWithValue(String value, String... section) {
            YMap m = map;
            String at = prefix;
            for (String s : section) {
                Entry e = m.entries().get(s);
                if (e == null || !(e.value() instanceof YMap inner)) {
                    return null;
                }
                m = inner;
                at = at.isEmpty() ? s : at + "." + s;
            }
            for (var e : m.entries().entrySet()) {
                if (e.getValue().value() instanceof YScalar v && v.value() != null
                        && v.value().trim().equals(value.trim())) {
                    return new Object[] {e.getValue().keyLine(), at + "." + e.getKey()};
                }
            }
            return null;
        }

        int keyLine(String key) {
            Entry e = map.entries().get(key);
            return e == null ? map.line() : e.keyLine();
        }

        /**
         * The line of a nested key ({@code "dataset", "columns"}), or of the deepest of them the file has: an error
         * about {@code dataset.path} points at {@code path:}, not at {@code dataset:}.
         */
        int nestedLine(String... keys) {
            YMap m = map;
            int line = map.line();
            for (String k : keys) {
                Entry e = m == null ? null : m.entries().get(k);
                if (e == null) {
                    return line;
                }
                line = e.keyLine();
                m = e.value() instanceof YMap inner ? inner : null;
            }
            return line;
        }

        /**
         * Where {@code key}'s value came from, for a message about two keys that names one of them: "from --set",
         * "line N" or "by default".
         */
        String origin(String key) {
            Entry e = map.entries().get(key);
            return e == null ? "by default" : e.keyLine() == YamlTree.FROM_OVERRIDE ? "from --set"
                    : "line " + e.keyLine();
        }

        String string(String key, String dflt) {
            YScalar s = scalar(key);
            return s == null ? dflt : s.value();
        }

        String required(String key) {
            YScalar s = scalar(key);
            if (s == null) {
                Entry e = map.entries().get(key);
                if (e == null) {
                    error(map.line(), path(key), "is required");
                } else if (e.value() instanceof YScalar) { // present but empty (name:, name: "", --set name=)
                    error(e.keyLine(), path(key), "is required: got an empty value");
                }
                return null;
            }
            return s.value();
        }

        String choice(String key, String dflt, String... allowed) {
            String v = string(key, dflt);
            if (v == null) {
                return null;
            }
            String lower = v.toLowerCase(Locale.ROOT);
            for (String a : allowed) {
                if (a.equals(lower)) {
                    return a;
                }
            }
            error(keyLine(key), path(key), "must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
            return dflt;
        }

        long integer(String key, long dflt, long min, long max) {
            YScalar s = scalar(key);
            if (s == null) {
                return dflt;
            }
            try {
                long v = Long.parseLong(s.value().trim().replace("_", ""));
                if (v < min || v > max) {
                    error(keyLine(key), path(key), "must be between " + min + " and " + max + ", got " + v);
                    return dflt;
                }
                return v;
            } catch (NumberFormatException e) {
                error(keyLine(key), path(key), "must be an integer, got '" + s.value() + "'");
                return dflt;
            }
        }

        double number(String key, double dflt) {
            YScalar s = scalar(key);
            if (s == null) {
                return dflt;
            }
            try {
                double v = Double.parseDouble(s.value().trim());
                if (!Double.isFinite(v)) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                error(keyLine(key), path(key), "must be a number, got '" + s.value() + "'");
                return dflt;
            }
        }

        /** A fraction in (0, 1]. */
        double fraction(String key, double dflt) {
            double v = number(key, dflt);
            if (!(v > 0 && v <= 1)) {
                error(keyLine(key), path(key), "must be a fraction in (0, 1], got " + v);
                return dflt;
            }
            return v;
        }

        /** A fraction in [0, 1). */
        double share(String key, double dflt) {
            double v = number(key, dflt);
            if (!(v >= 0 && v < 1)) {
                error(keyLine(key), path(key), "must be a fraction in [0, 1), got " + v);
                return dflt;
            }
            return v;
        }

        List<String> strings(String key, List<String> dflt) {
            used.add(key);
            Entry e = map.entries().get(key);
            if (e == null) {
                return dflt;
            }
            if (e.value() instanceof YScalar s) {
                // no value (methods:, methods: ~) is the default, as for a single value (a probe's "unknown method ''")
                return noValue(s) ? dflt : List.of(s.value());
            }
            if (e.value() instanceof YList l) {
                List<String> out = new ArrayList<>();
                for (YNode n : l.items()) {
                    if (n instanceof YScalar s) {
                        out.add(s.value());
                    } else {
                        error(n.line(), path(key), "items must be single values");
                    }
                }
                return out;
            }
            error(e.keyLine(), path(key), "must be a list");
            return dflt;
        }

        /**
         * A list of names (policies and the like), read as {@link #choice} reads one: trimmed and in lower case;
         * a name given twice is an error.
         */
        List<String> names(String key, List<String> dflt) {
            List<String> names = strings(key, dflt).stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
            distinct(key, names);
            return names;
        }

        /** Values that must differ: the first one given twice is an error of {@code key}. */
        void distinct(String key, List<?> values) {
            Set<Object> seen = new HashSet<>();
            for (Object v : values) {
                if (!seen.add(v)) {
                    invalid(key, v + " is listed twice");
                    return;
                }
            }
        }

        /** A nested mapping, or an empty one when the key is absent. */
        Obj obj(String key) {
            used.add(key);
            Entry e = map.entries().get(key);
            if (e == null) {
                return new Obj(new YMap(map.line(), new LinkedHashMap<>()), path(key));
            }
            if (e.value() instanceof YMap m) {
                return new Obj(m, path(key));
            }
            error(e.keyLine(), path(key), "must be a mapping, not a " + kind(e.value()));
            return new Obj(new YMap(e.keyLine(), new LinkedHashMap<>()), path(key));
        }

        void invalid(String key, String message) {
            used.add(key); // said once: not also "unknown key"
            error(keyLine(key), path(key), message);
        }

        /** Reports the keys never asked for; top-level keys starting with {@code x-} hold anchors and are left alone. */
        void done() {
            for (var e : map.entries().entrySet()) {
                if (!used.contains(e.getKey()) && !(prefix.isEmpty() && e.getKey().startsWith("x-"))) {
                    error(e.getValue().keyLine(), path(e.getKey()), "unknown key" + invisible(e.getKey())
                            + suggestion(e.getKey(), used));
                }
            }
        }
    }

    /**
     * " (it holds U+00A0, which shows as nothing or a space)" for a key with a character a reader cannot see: a no-break
     * or other space, a zero-width or format character, a byte order mark (a probe's "epochs\u00a0" read as
     * "unknown key (did you mean 'epochs'?)", naming the key it seemed to be); else "".
     */
    static String invisible(String key) {
        java.util.OptionalInt c = key.codePoints().filter(x -> x != ' ' && showsNothing(x)).findFirst();
        return c.isEmpty() ? "" : String.format(Locale.ROOT, " (it holds U+%04X, which shows as nothing or a space)",
                c.getAsInt());
    }

    /** A scalar with no value: empty, {@code null} or {@code ~} (the default, for single values and lists alike). */
    private static boolean noValue(YScalar s) {
        return s.value() == null || s.value().isEmpty() || s.value().equals("null") || s.value().equals("~");
    }

    /** A character a reader cannot see: a space of any kind, a zero-width or other format character. */
    static boolean showsNothing(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT;
    }

    /** " (did you mean 'x'?)" for the nearest known key within a small edit distance, else the known keys. */
    static String suggestion(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new java.util.TreeSet<>(known)) {
            int d = distance(key.toLowerCase(Locale.ROOT), k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= Math.max(1, Math.min(3, key.length() / 3))) {
            return " (did you mean '" + best + "'?)";
        }
        for (String k : new java.util.TreeSet<>(known)) {
            if (key.length() >= 3 && k.startsWith(key.toLowerCase(Locale.ROOT))) {
                return " (did you mean '" + k + "'?)";
            }
        }
        return known.isEmpty() ? "" : "; known here: " + String.join(", ", new java.util.TreeSet<>(known));
    }

    /** Levenshtein distance, with a swap of two neighbours counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static String kind(YNode n) {
        return n instanceof YMap ? "mapping" : n instanceof YList ? "list" : "value";
    }
}
