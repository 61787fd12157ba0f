package dev.sift.workflow;

import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** A YAML document as a small tree that remembers the line of every key, so errors can name it. */
public final class YamlTree {
    /** Line used for values that came from {@code --set} instead of the file. */
    public static final int FROM_OVERRIDE = -1;

    private YamlTree() {
    }

    /** Any node; {@code line} is 1-based, or {@link #FROM_OVERRIDE}. */
    public sealed interface YNode permits YMap, YList, YScalar {
        int line();
    }

    /** A key of a mapping with the line it is written on. */
    public record Entry(int keyLine, YNode value) {
    }

    public record YMap(int line, Map<String, Entry> entries) implements YNode {
    }

    public record YList(int line, List<YNode> items) implements YNode {
    }

    public record YScalar(int line, String value) implements YNode {
    }

    /** YAML that parses but cannot be a workflow's tree, with the line to name. */
    public static class Invalid extends RuntimeException {
        private final int line;

        Invalid(int line, String message) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** A key written twice in one mapping: YAML forbids it, and silently keeping one of them hides a mistake. */
    public static final class DuplicateKey extends Invalid {
        DuplicateKey(String key, int line, int firstLine) {
            super(line, "key '" + key + "' appears twice in the same mapping (first on line " + firstLine + ")");
        }
    }

    /** Parses one YAML document; an empty document gives an empty mapping. */
    public static YNode parse(Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Node root = new Yaml(options).compose(reader);
        if (root == null) {
            return new YMap(1, new LinkedHashMap<>());
        }
        return convert(root, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    /**
     * The line of the alias past SnakeYAML's limit on aliases of mappings and lists (the limit it refuses a
     * document over, without a position: a "billion laughs" guard), or 0 when no alias is past it.
     */
    static int aliasPastLimit(String text) {
        int max = new LoaderOptions().getMaxAliasesForCollections();
        java.util.Set<String> collections = new java.util.HashSet<>();
        int count = 0;
        try {
            for (org.yaml.snakeyaml.events.Event e : new Yaml().parse(new java.io.StringReader(text))) {
                if (e instanceof org.yaml.snakeyaml.events.CollectionStartEvent c && c.getAnchor() != null) {
                    collections.add(c.getAnchor());
                } else if (e instanceof org.yaml.snakeyaml.events.AliasEvent a && collections.contains(a.getAnchor())
                        && ++count > max) {
                    return a.getStartMark().getLine() + 1;
                }
            }
        } catch (RuntimeException unreadable) {
            return 0;
        }
        return 0;
    }

    /** {@code node} as a tree; {@code open} holds the mappings and lists it lies in (an alias to one is a cycle). */
    private static YNode convert(Node node, java.util.Set<Node> open) {
        int line = node.getStartMark().getLine() + 1;
        if (!(node instanceof ScalarNode) && !open.add(node)) {
            throw new Invalid(line, "an alias refers to the mapping or list that holds it (a cycle, which no setting "
                    + "can be)");
        }
        try {
            return convertOpen(node, line, open);
        } finally {
            open.remove(node);
        }
    }

    private static YNode convertOpen(Node node, int line, java.util.Set<Node> open) {
        if (node instanceof MappingNode m) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            List<Node> merged = new ArrayList<>();
            for (NodeTuple t : m.getValue()) {
                Node k = t.getKeyNode();
                if (k.getTag().equals(Tag.MERGE)) { // '<<: *anchor' or '<<: [*a, *b]'
                    Node v = t.getValueNode();
                    merged.addAll(v instanceof SequenceNode s ? s.getValue() : List.of(v));
                    continue;
                }
                int keyLine = k.getStartMark().getLine() + 1;
                if (!(k instanceof ScalarNode)) {
                    throw new Invalid(keyLine, "a key must be a name, not a " + (k instanceof SequenceNode ? "list"
                            : "mapping") + " ('? [a, b]' or '? {a: b}')");
                }
                String key = ((ScalarNode) k).getValue();
                if (entries.containsKey(key)) {
                    throw new DuplicateKey(key, keyLine, entries.get(key).keyLine());
                }
                entries.put(key, new Entry(keyLine, convert(t.getValueNode(), open)));
            }
            // YAML's merge keys: the mapping's own keys win, then the merged mappings in the order given
            for (Node from : merged) {
                if (!(convert(from, open) instanceof YMap fm)) {
                    throw new Invalid(from.getStartMark().getLine() + 1, "'<<' merges mappings only");
                }
                fm.entries().forEach(entries::putIfAbsent);
            }
            return new YMap(line, entries);
        }
        if (node instanceof SequenceNode s) {
            List<YNode> items = new ArrayList<>();
            for (Node n : s.getValue()) {
                items.add(convert(n, open));
            }
            return new YList(line, items);
        }
        return new YScalar(line, ((ScalarNode) node).getValue());
    }

    /**
     * A value the parser itself rewrote (a relative path resolved against the workflow's folder) in place: where the
     * file gave it, the entry keeps its lines, so later errors about it point at the file's line, not at "--set";
     * else as {@link #set}.
     */
    public static void rewrite(YMap root, String path, String value) {
        String[] parts = path.split("\\.");
        YMap current = root;
        for (int i = 0; i < parts.length - 1 && current != null; i++) {
            Entry e = current.entries().get(parts[i]);
            current = e != null && e.value() instanceof YMap m ? m : null;
        }
        Entry e = current == null ? null : current.entries().get(parts[parts.length - 1]);
        if (e != null && e.value() instanceof YScalar v) {
            current.entries().put(parts[parts.length - 1], new Entry(e.keyLine(), new YScalar(v.line(), value)));
        } else {
            set(root, path, value);
        }
    }

    /**
     * Applies {@code path=value} to the tree (dotted path, mappings created as needed), the value read as YAML reads
     * one: {@code [a, b]} is a list, {@code {k: v}} sets each key it holds, and a quoted {@code "..."} or {@code '...'}
     * is the text inside the quotes (before stop 59 a probe's {@code --set 'name="my run"'} named the run with its
     * quotes, and {@code --set "filter.policy='ccs'"} was refused as an unknown policy {@code 'ccs'}).
     */
    public static void set(YMap root, String path, String value) {
        String flow = value.trim();
        if (flow.startsWith("{") && flow.endsWith("}")) {
            // a flow mapping sets each key it holds, as KEY.SUB=VALUE would; the section's other keys stay
            setEach(root, path, flowNode(value, "a YAML flow mapping ({key: value, ...})"));
            return;
        }
        YNode v;
        if (flow.length() >= 2 && (flow.startsWith("\"") && flow.endsWith("\"")
                || flow.startsWith("'") && flow.endsWith("'"))) {
            YNode quoted = flowNode(value, "a quoted YAML string (\"...\" or '...')");
            if (!(quoted instanceof YScalar q)) {
                throw new IllegalArgumentException("'" + value + "' is not a quoted YAML string (\"...\" or '...')");
            }
            if (q.value().isBlank() || q.value().trim().matches("null|Null|NULL|~")) {
                throw new IllegalArgumentException("needs a value (an empty one, null or ~ would be read as the "
                        + "default)");
            }
            v = quoted;
        } else if (flow.startsWith("[") && flow.endsWith("]")) {
            v = flowNode(value, "a YAML flow list ([a, b, ...])");
        } else {
            v = new YScalar(FROM_OVERRIDE, value);
        }
        put(root, path, fromOverride(v));
    }

    /** {@code value} parsed as one YAML node, or a one-line error saying it is not {@code what}. */
    private static YNode flowNode(String value, String what) {
        try {
            return parse(new java.io.StringReader(value.trim()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + value + "' is not " + what);
        }
    }

    /** The node as an override's: every line {@link #FROM_OVERRIDE}, so errors name the {@code --set}. */
    private static YNode fromOverride(YNode node) {
        if (node instanceof YList l) {
            return new YList(FROM_OVERRIDE, l.items().stream().map(YamlTree::fromOverride).toList());
        }
        if (node instanceof YMap m) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> entries.put(k, new Entry(FROM_OVERRIDE, fromOverride(e.value()))));
            return new YMap(FROM_OVERRIDE, entries);
        }
        return new YScalar(FROM_OVERRIDE, ((YScalar) node).value());
    }

    /** Puts {@code node} at the dotted {@code path}, creating the mappings on the way. */
    private static void put(YMap root, String path, YNode node) {
        String[] parts = path.split("\\.");
        YMap current = root;
        for (int i = 0; i < parts.length - 1; i++) {
            Entry e = current.entries().get(parts[i]);
            if (e == null || !(e.value() instanceof YMap)) {
                YMap child = new YMap(FROM_OVERRIDE, new LinkedHashMap<>());
                current.entries().put(parts[i], new Entry(FROM_OVERRIDE, child));
                current = child;
            } else {
                current = (YMap) e.value();
            }
        }
        current.entries().put(parts[parts.length - 1], new Entry(FROM_OVERRIDE, node));
    }

    private static void setEach(YMap root, String path, YNode node) {
        if (node instanceof YMap m) {
            m.entries().forEach((k, e) -> setEach(root, path + "." + k, e.value()));
        } else if (node instanceof YList l) {
            put(root, path, fromOverride(l));
        } else if (node instanceof YScalar s) {
            // as for KEY=null: a key given no value inside the mapping would silently be the default
            if (s.value() == null || s.value().isBlank() || s.value().trim().matches("null|Null|NULL|~")) {
                throw new IllegalArgumentException(path + " needs a value (an empty one, null or ~ would be read as "
                        + "the default)");
            }
            put(root, path, fromOverride(s));
        }
    }

    /** Writes the tree back as YAML (the snapshot stored with a run, overrides included). */
    public static String dump(YNode node) {
        StringBuilder sb = new StringBuilder();
        dump(node, 0, sb);
        return sb.toString();
    }

    private static void dump(YNode node, int indent, StringBuilder sb) {
        String pad = " ".repeat(indent);
        if (node instanceof YMap m) {
            for (Map.Entry<String, Entry> e : m.entries().entrySet()) {
                YNode v = e.getValue().value();
                sb.append(pad).append(quote(e.getKey())).append(':');
                if (v instanceof YScalar s && "".equals(s.value())) {
                    sb.append('\n'); // given without a value: the default, as 'key:' reads (not a literal "")
                } else if (v instanceof YScalar s) {
                    sb.append(' ').append(quote(s.value())).append('\n');
                } else if (v instanceof YMap vm && vm.entries().isEmpty()) {
                    sb.append(" {}\n");
                } else if (v instanceof YList vl && vl.items().isEmpty()) {
                    sb.append(" []\n");
                } else {
                    sb.append('\n');
                    dump(v, indent + 2, sb);
                }
            }
        } else if (node instanceof YList l) {
            for (YNode item : l.items()) {
                if (item instanceof YScalar s) {
                    sb.append(pad).append("- ").append(quote(s.value())).append('\n');
                } else {
                    sb.append(pad).append("-\n");
                    dump(item, indent + 2, sb);
                }
            }
        } else if (node instanceof YScalar s) {
            sb.append(pad).append(quote(s.value())).append('\n');
        }
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        // plain only where YAML reads it back as the same text: not '@' first (reserved: a probe's "@alice"
        // name made a stored workflow no resume could read), nor '-' first unless a number or word follows ("- a")
        if (s.matches("(?:[A-Za-z0-9_./+]|-(?=[A-Za-z0-9_./@+]))[A-Za-z0-9_./@+ -]*") && !s.endsWith(" ")
                && !s.equals("null")) {
            return s;
        }
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(c -> out.append(escaped(c)));
        return out.append('"').toString();
    }

    /**
     * One code point inside double quotes: a backslash, a quote and every character YAML may not hold as it is (the C0
     * and C1 controls, DEL, U+FFFE/FFFF, a lone surrogate) or would fold (line and paragraph separators) as an escape,
     * so that a stored workflow reads back: a separator of U+001F, a column named with a BEL or a path holding a
     * control character made a finished run's workflow unreadable (report, explain, resume: "special characters are
     * not allowed").
     */
    private static String escaped(int c) {
        return switch (c) {
            case '\\' -> "\\\\";
            case '"' -> "\\\"";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            case '\r' -> "\\r";
            default -> c < 0x20 || c >= 0x7F && c <= 0x9F || c == 0x2028 || c == 0x2029 || c == 0xFFFE || c == 0xFFFF
                    || c >= 0xD800 && c <= 0xDFFF ? String.format("\\u%04X", c) : new String(Character.toChars(c));
        };
    }
}
