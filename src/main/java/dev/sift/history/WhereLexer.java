package dev.sift.history;

import dev.sift.SiftException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits a {@code --where} expression into tokens, each with the column (1-based) it starts at. */
final class WhereLexer {
    /** Token kinds. */
    enum Kind {
        KEY, NUMBER, STRING, OP, LPAREN, RPAREN, AND, OR, NOT, END
    }

    /** A token; {@code text} is the key, the operator, the number as written or the string's value. */
    record Token(Kind kind, String text, int column) {
        /** How an error message names it. */
        String describe() {
            return switch (kind) {
                case END -> "the end of the expression";
                case STRING -> "'" + text.replace("'", "''") + "'";
                default -> "'" + text + "'";
            };
        }
    }

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.@\\-]*");
    private static final Pattern OP = Pattern.compile("!=|<>|<=|>=|=|<|>");

    /** Whether a word could be a key (letters, digits and _ . @ -, starting with a letter or _). */
    static boolean isKeyWord(String word) {
        return KEY.matcher(word).matches();
    }

    static SiftException error(String option, int column, String message) {
        return SiftException.usage(option + ": column " + column + ": " + Table.printable(message));
    }

    private final String text;
    /** Where the next token starts (0-based). */
    private int i;

    WhereLexer(String text) {
        this.text = text;
    }

    /** The next token (END from the end on), read on demand so that errors come in reading order. */
    Token next() {
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        if (i >= text.length()) {
            return new Token(Kind.END, "", text.length() + 1);
        }
        char ch = text.charAt(i);
        int col = i + 1;
        if (ch == '(' || ch == ')') {
            i++;
            return new Token(ch == '(' ? Kind.LPAREN : Kind.RPAREN, String.valueOf(ch), col);
        }
        if (ch == '\'') {
            return string();
        }
        Matcher m = lookingAt(OP, text, i);
        if (m != null) {
            i = m.end();
            return new Token(Kind.OP, m.group(), col);
        }
        m = lookingAt(NUMBER, text, i);
        if (m != null) {
            if (m.end() < text.length() && KEY.matcher(text.substring(m.end(), m.end() + 1)).matches()) {
                throw error("--where", col, "'" + text.substring(i, m.end() + 1) + "' is not a number (a key "
                        + "starts with a letter)");
            }
            i = m.end();
            return new Token(Kind.NUMBER, m.group(), col);
        }
        m = lookingAt(KEY, text, i);
        if (m != null) {
            i = m.end();
            return word(m.group(), col);
        }
        if (ch == '-' || ch == '+' || ch == '.') {
            throw error("--where", col, "'" + ch + "' here starts neither a number nor a key (a number has digits "
                    + "after its sign, e.g. -0.5; a key starts with a letter)");
        }
        throw error("--where", col, "unexpected character '" + printable(ch) + "' (keys start with a letter and "
                + "hold letters, digits and _ . @ -; strings are in 'single quotes')");
    }

    private static Matcher lookingAt(Pattern p, String text, int from) {
        Matcher m = p.matcher(text).region(from, text.length());
        return m.lookingAt() ? m : null;
    }

    private static Token word(String w, int col) {
        return switch (w.toLowerCase(Locale.ROOT)) {
            case "and" -> new Token(Kind.AND, w, col);
            case "or" -> new Token(Kind.OR, w, col);
            case "not" -> new Token(Kind.NOT, w, col);
            default -> new Token(Kind.KEY, w, col);
        };
    }

    /** A single-quoted string from here; {@code ''} inside stands for one quote. */
    private Token string() {
        int start = i;
        StringBuilder sb = new StringBuilder();
        i++;
        while (true) {
            if (i >= text.length()) {
                throw error("--where", start + 1, "the string that starts here has no closing quote (write '' for a "
                        + "quote inside a string)");
            }
            char ch = text.charAt(i);
            if (ch == '\'') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\'') {
                    sb.append('\'');
                    i += 2;
                    continue;
                }
                i++;
                return new Token(Kind.STRING, sb.toString(), start + 1);
            }
            sb.append(ch);
            i++;
        }
    }

    private static String printable(char ch) {
        return Character.isISOControl(ch) || Character.getType(ch) == Character.FORMAT
                ? String.format("\\u%04x", (int) ch) : String.valueOf(ch);
    }
}
