package dev.sift.history;

import dev.sift.history.WhereLexer.Kind;
import dev.sift.history.WhereLexer.Token;
import dev.sift.store.RunEntity;
import dev.sift.store.RunQuery.And;
import dev.sift.store.RunQuery.Compare;
import dev.sift.store.RunQuery.Field;
import dev.sift.store.RunQuery.Filter;
import dev.sift.store.RunQuery.Key;
import dev.sift.store.RunQuery.Not;
import dev.sift.store.RunQuery.Op;
import dev.sift.store.RunQuery.Or;
import dev.sift.store.RunQuery.Order;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code runs list --where} grammar, by recursive descent (README, CLI reference):
 *
 * <pre>
 * expr       := and ( "or" and )*
 * and        := unary ( "and" unary )*
 * unary      := "not" unary | "(" expr ")" | comparison
 * comparison := key op literal
 * key        := "status" | "workflow" | "name" | "created" | "params." name ( "." name )* | "metrics." subset "." metric
 * op         := "=" | "!=" | "&lt;&gt;" | "&lt;" | "&lt;=" | "&gt;" | "&gt;="
 * literal    := number | "'" chars "'"          ('' inside a string is one quote)
 * </pre>
 *
 * {@code and}, {@code or} and {@code not} are case-insensitive; {@code not} binds tighter than {@code and}, which
 * binds tighter than {@code or}. Every error names the column it was found at.
 */
public final class WhereParser {
    /** Deepest nesting of parentheses and {@code not}. */
    static final int MAX_DEPTH = 64;
    /**
     * Most comparisons in one expression: each one nests the SQL once more (a left-deep tree of {@code and}s and
     * {@code or}s), and thousands overflow the stack of the process and of PostgreSQL's parser.
     */
    public static final int MAX_COMPARISONS = 256;
    static final String KEYS = "params.<name>, metrics.<subset>.<metric>, status, workflow, name or created";

    private final WhereLexer lexer;
    private Token current;
    private int depth;
    private int comparisons;

    private WhereParser(String text) {
        this.lexer = new WhereLexer(text);
        this.current = lexer.next();
    }

    /** The filter an expression states; a {@link dev.sift.SiftException} (usage) naming the column when invalid. */
    public static Filter parse(String text) {
        WhereParser p = new WhereParser(text);
        Filter f = p.or();
        Token t = p.peek();
        if (t.kind() != Kind.END) {
            throw WhereLexer.error("--where", t.column(), t.kind() == Kind.RPAREN ? "')' without a matching '('"
                    : "expected 'and', 'or' or the end of the expression, found " + t.describe());
        }
        return f;
    }

    /** {@code --order-by KEY [desc|asc]}: the words as given (one or two; one word may hold both). */
    public static Order order(List<String> words) {
        List<String> w = words.stream().flatMap(s -> Arrays.stream(s.trim().split("\\s+")))
                .filter(s -> !s.isEmpty()).toList();
        if (w.isEmpty() || w.size() > 2) {
            throw dev.sift.SiftException.usage("--order-by takes a key and optionally desc or asc, got '"
                    + Table.printable(String.join(" ", words)) + "'");
        }
        if (!WhereLexer.isKeyWord(w.get(0))) {
            throw dev.sift.SiftException.usage("--order-by: '" + Table.printable(w.get(0)) + "' is not a key: use "
                    + KEYS);
        }
        Key k = key(w.get(0), "--order-by", 1);
        boolean desc = false;
        if (w.size() == 2) {
            String dir = w.get(1).toLowerCase(Locale.ROOT);
            if (!dir.equals("desc") && !dir.equals("asc")) {
                throw dev.sift.SiftException.usage("--order-by: '" + Table.printable(w.get(1)) + "' after the key "
                        + "must be desc or asc");
            }
            desc = dir.equals("desc");
        }
        return new Order(k, desc);
    }

    private Token peek() {
        return current;
    }

    private Token next() {
        Token t = current;
        if (t.kind() != Kind.END) {
            current = lexer.next();
        }
        return t;
    }

    private Filter or() {
        Filter f = and();
        while (peek().kind() == Kind.OR) {
            next();
            f = new Or(f, and());
        }
        return f;
    }

    private Filter and() {
        Filter f = unary();
        while (peek().kind() == Kind.AND) {
            next();
            f = new And(f, unary());
        }
        return f;
    }

    private Filter unary() {
        Token t = next();
        boolean nests = t.kind() == Kind.NOT || t.kind() == Kind.LPAREN; // a comparison is no level (README: 64)
        if (nests && ++depth > MAX_DEPTH) {
            throw WhereLexer.error("--where", t.column(), "nested deeper than " + MAX_DEPTH + " levels");
        }
        try {
            return switch (t.kind()) {
                case NOT -> new Not(unary());
                case LPAREN -> {
                    Filter inner = or();
                    Token close = next();
                    if (close.kind() != Kind.RPAREN) {
                        throw WhereLexer.error("--where", close.column(), "expected ')' to close the '(' at column "
                                + t.column() + ", found " + close.describe());
                    }
                    yield inner;
                }
                case KEY -> comparison(key(t.text(), "--where", t.column()), t.column());
                default -> throw WhereLexer.error("--where", t.column(), "expected a key (" + KEYS + "), '(' or "
                        + "'not', found " + t.describe());
            };
        } finally {
            if (nests) {
                depth--;
            }
        }
    }

    /** A comparison whose key, starting at {@code column}, has been read. */
    private Filter comparison(Key key, int column) {
        if (++comparisons > MAX_COMPARISONS) {
            throw WhereLexer.error("--where", column, "more than " + MAX_COMPARISONS + " comparisons; ask for "
                    + "a range (params.x >= 1 and params.x <= 9) or split the query");
        }
        Token op = next();
        if (op.kind() != Kind.OP) {
            throw WhereLexer.error("--where", op.column(), "expected an operator (=, !=, <, <=, >, >=) after "
                    + key.label() + ", found " + op.describe());
        }
        Token v = next();
        if (v.kind() != Kind.NUMBER && v.kind() != Kind.STRING) {
            throw WhereLexer.error("--where", v.column(), "expected a number or a 'quoted string' after "
                    + key.label() + " " + op.text() + ", found " + v.describe());
        }
        return new Compare(key, op(op.text()), literal(key, v));
    }

    private static Op op(String text) {
        return switch (text) {
            case "=" -> Op.EQ;
            case "!=", "<>" -> Op.NE;
            case "<" -> Op.LT;
            case "<=" -> Op.LE;
            case ">" -> Op.GT;
            default -> Op.GE;
        };
    }

    private static Object literal(Key key, Token v) {
        boolean number = v.kind() == Kind.NUMBER;
        switch (key.field()) {
            case METRIC -> {
                if (!number) {
                    throw WhereLexer.error("--where", v.column(), key.label() + " is a number; compare it with a "
                            + "number, not " + v.describe());
                }
            }
            case STATUS -> {
                String s = number ? "" : v.text().toUpperCase(Locale.ROOT);
                if (Arrays.stream(RunEntity.Status.values()).noneMatch(x -> x.name().equals(s))) {
                    throw WhereLexer.error("--where", v.column(), "status is one of 'running', 'succeeded', "
                            + "'failed', 'interrupted', not " + v.describe());
                }
                return s;
            }
            case WORKFLOW, NAME -> {
                if (number) {
                    throw WhereLexer.error("--where", v.column(), key.label() + " is a name; quote it: '" + v.text()
                            + "'");
                }
            }
            case CREATED -> {
                return instant(v);
            }
            default -> {
            }
        }
        if (number && !Double.isFinite(Double.parseDouble(v.text()))) {
            throw WhereLexer.error("--where", v.column(), v.text() + " is beyond the range of a number (about "
                    + "1.8e308)");
        }
        return number ? (Object) Double.parseDouble(v.text()) : v.text();
    }

    /** A creation time: a date (midnight UTC), a date and time (UTC unless it names an offset). */
    private static Instant instant(Token v) {
        if (v.kind() == Kind.STRING) {
            String s = v.text().trim();
            try {
                if (s.length() == 10) {
                    return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
                }
                if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:\\d\\d$")) {
                    return OffsetDateTime.parse(s).toInstant();
                }
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                // the message below says what is accepted
            }
        }
        throw WhereLexer.error("--where", v.column(), "created takes a quoted date or time such as '2026-11-30' or "
                + "'2026-11-30T14:00:00Z' (UTC unless an offset is given), not " + v.describe());
    }

    /** A key as written; {@code column} is where it starts, for the error. */
    static Key key(String word, String option, int column) {
        switch (word) {
            case "status" -> {
                return Key.of(Field.STATUS);
            }
            case "workflow" -> {
                return Key.of(Field.WORKFLOW);
            }
            case "name" -> {
                return Key.of(Field.NAME);
            }
            case "created" -> {
                return Key.of(Field.CREATED);
            }
            default -> {
            }
        }
        if (word.startsWith("params.")) {
            String name = word.substring("params.".length());
            if (!name.isEmpty() && Arrays.stream(name.split("\\.", -1)).noneMatch(String::isEmpty)) {
                return Key.param(name);
            }
        } else if (word.startsWith("metrics.")) {
            String rest = word.substring("metrics.".length());
            int dot = rest.indexOf('.');
            if (dot > 0 && dot < rest.length() - 1) {
                return Key.metric(rest.substring(0, dot), rest.substring(dot + 1));
            }
            throw WhereLexer.error(option, column, "'" + word + "' needs a subset and a metric: "
                    + "metrics.<subset>.<metric>, e.g. metrics.selected.kappa");
        }
        throw WhereLexer.error(option, column, "unknown key '" + word + "': use " + KEYS);
    }
}
