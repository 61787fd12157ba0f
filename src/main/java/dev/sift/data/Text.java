package dev.sift.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict text decoding and CSV writing helpers. */
public final class Text {
    private Text() {
    }

    /** Decodes UTF-8, or returns null when the bytes are not valid UTF-8. */
    public static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * A number as a person writes it in a message: whole values without ".0" (4, not 4.0), others as Java prints
     * them (2.5, Infinity).
     */
    public static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * A difference with its sign and four decimals, in the root locale ({@code +0.0123}, {@code -0.0400}); one that
     * rounds to zero is {@code +0.0000}, never {@code -0.0000}.
     */
    public static String signed(double d) {
        String s = String.format(java.util.Locale.ROOT, "%+.4f", d);
        return s.equals("-0.0000") ? "+0.0000" : s;
    }

    /**
     * {@code s} in Unicode's composed form (NFC): "o" + U+0308 as "ö", as macOS and some web forms do not write it;
     * text without a character past ASCII is returned as it is, unexamined.
     */
    public static String composed(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFC);
            }
        }
        return s;
    }

    /** A number written with a decimal comma or a thousands separator ({@code 2,5}, {@code 1,000}). */
    public static boolean commaNumber(String s) {
        return s.matches("[-+]?\\d*,\\d+");
    }

    /** A decimal as written, without exponent or trailing zeros (0.5, 0.000000001): how curve fractions are named. */
    public static String plain(double d) {
        return java.math.BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    /**
     * The terminal cells {@code s} takes, as wcwidth counts them: 0 for combining marks, format characters (zero-width
     * joiner) and variation selectors, 2 for East Asian wide and full-width characters and emoji, 1 for the rest.
     * Terminals differ on emoji sequences (a family joined by zero-width joiners counts 2 per person here).
     */
    public static int cells(String s) {
        int n = 0;
        for (int i = 0; i < s.length();) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) {
                continue;
            }
            n += wide(cp) ? 2 : 1;
        }
        return n;
    }

    private static boolean wide(int cp) {
        return cp >= 0x1100 && cp <= 0x115F || cp >= 0x2E80 && cp <= 0x303E || cp >= 0x3041 && cp <= 0x33FF
                || cp >= 0x3400 && cp <= 0x4DBF || cp >= 0x4E00 && cp <= 0x9FFF || cp >= 0xA000 && cp <= 0xA4CF
                || cp >= 0xAC00 && cp <= 0xD7A3 || cp >= 0xF900 && cp <= 0xFAFF || cp >= 0xFE30 && cp <= 0xFE4F
                || cp >= 0xFF00 && cp <= 0xFF60 || cp >= 0xFFE0 && cp <= 0xFFE6 || cp >= 0x1F300 && cp <= 0x1F64F
                || cp >= 0x1F680 && cp <= 0x1F6FF || cp >= 0x1F900 && cp <= 0x1F9FF || cp >= 0x1FA70 && cp <= 0x1FAFF
                || cp >= 0x20000 && cp <= 0x3FFFD;
    }

    /** Quotes a CSV field when it holds a separator, quote or newline. */
    public static String csv(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** {@code s} cut to {@code max} characters (code points, so no pair is split), the cut marked by "...". */
    public static String cut(String s, int max) {
        return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max - 3)) + "...";
    }

    /**
     * Text safe to print on a terminal: escape sequences (colours, cursor moves, window titles), other control
     * characters and bidirectional overrides removed, so a run or data name cannot rewrite the screen.
     */
    public static String printable(String s) {
        if (s == null || isPlain(s)) {
            return s;
        }
        return s.replaceAll("\u001B(\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(\u0007|\u001B\\\\)?|.)?", "")
                .replaceAll("[\\p{Cc}\u202A-\u202E\u2066-\u2069]", "");
    }

    /**
     * A message as one line that shows what it quotes: line breaks, tabs, escape and other control characters,
     * bidirectional controls and line separators written as {@code \\n}, {@code \\r}, {@code \\t} or {@code \\uXXXX}.
     * An error that quotes a value holding a newline ran over two lines; one holding an escape sequence could set the
     * terminal's title or erase a line (a probe's label {@code 1 ESC]0;PWNED BEL}).
     */
    public static String visible(String s) {
        if (s == null || isPlain(s) && s.indexOf('\u2028') < 0 && s.indexOf('\u2029') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\n' || ch == '\r' || ch == '\t') {
                out.append(ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : "\\t");
            } else if (Character.isISOControl(ch) || ch >= '\u202A' && ch <= '\u202E'
                    || ch >= '\u2066' && ch <= '\u2069' || ch == '\u2028' || ch == '\u2029') {
                out.append(String.format("\\u%04X", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** No control character and no bidirectional override: nothing to remove (the common case, checked fast). */
    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (Character.isISOControl(ch) || ch >= '\u202A' && ch <= '\u202E' || ch >= '\u2066' && ch <= '\u2069') {
                return false;
            }
        }
        return true;
    }
}
