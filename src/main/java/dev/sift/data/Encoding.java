package dev.sift.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * How the bytes of a source file become text ({@code dataset.encoding}). Every field is decoded on its own, so one
 * bad field quarantines one row, never the file.
 *
 * <ul>
 * <li>{@code utf-8} (the default): strict; a field that is not valid UTF-8 quarantines its row.</li>
 * <li>{@code latin-1} (ISO-8859-1): every byte is the code point of the same value; never fails.</li>
 * <li>{@code windows-1252}: latin-1 except 0x80-0x9F, which hold the euro sign, curly quotes, dashes and the like;
 * the five bytes windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) keep their latin-1 meaning, as
 * browsers do. Never fails.</li>
 * <li>{@code auto}: per field, UTF-8 when the bytes are valid UTF-8, else windows-1252. (Latin-1 and windows-1252
 * differ only in 0x80-0x9F, which latin-1 maps to invisible C1 control characters that shop text never means; a
 * field without those bytes decodes the same either way.)</li>
 * </ul>
 */
public enum Encoding {
    UTF_8("utf-8"), LATIN_1("latin-1"), WINDOWS_1252("windows-1252"), AUTO("auto");

    /** What windows-1252 maps 0x80-0x9F to; the undefined five stay C1 characters. */
    private static final char[] CP1252_HIGH = new char[32];

    static {
        Charset cp1252 = Charset.forName("windows-1252");
        for (int b = 0x80; b <= 0x9F; b++) {
            String s = new String(new byte[] {(byte) b}, cp1252);
            CP1252_HIGH[b - 0x80] = s.length() == 1 && s.charAt(0) != '\uFFFD' ? s.charAt(0) : (char) b;
        }
    }

    private final String key;

    Encoding(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** The encoding a workflow names: utf-8/utf8, latin-1/latin1/iso-8859-1, windows-1252/cp1252, auto. */
    public static Optional<Encoding> byKey(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "utf-8", "utf8" -> Optional.of(UTF_8);
            case "latin-1", "latin1", "iso-8859-1", "iso8859-1" -> Optional.of(LATIN_1);
            case "windows-1252", "cp1252", "cp-1252" -> Optional.of(WINDOWS_1252);
            case "auto" -> Optional.of(AUTO);
            default -> Optional.empty();
        };
    }

    /** The text of {@code bytes}, or null when they are not valid in this encoding (UTF-8 only). */
    public String decode(byte[] bytes) {
        return switch (this) {
            case UTF_8 -> Text.strictUtf8(bytes);
            case LATIN_1 -> new String(bytes, StandardCharsets.ISO_8859_1);
            case WINDOWS_1252 -> windows1252(bytes);
            case AUTO -> {
                String utf8 = Text.strictUtf8(bytes);
                yield utf8 != null ? utf8 : windows1252(bytes);
            }
        };
    }

    /**
     * A header's column name: its text in this encoding, or when the bytes are not valid in it, in the encoding they
     * look like (so that a message can show the name, and a column named with an accent is still found).
     */
    public String name(byte[] bytes) {
        String s = decode(bytes);
        return s != null ? s : guess(bytes).decode(bytes);
    }

    static String windows1252(byte[] bytes) {
        char[] out = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            out[i] = b >= 0x80 && b <= 0x9F ? CP1252_HIGH[b - 0x80] : (char) b;
        }
        return new String(out);
    }

    /**
     * Which single-byte encoding bytes that are not UTF-8 look like: windows-1252 when they hold a byte in
     * 0x80-0x9F that windows-1252 defines (curly quotes, euro sign, dashes), else latin-1.
     */
    static Encoding guess(byte[] notUtf8) {
        for (byte x : notUtf8) {
            int b = x & 0xFF;
            if (b >= 0x80 && b <= 0x9F && CP1252_HIGH[b - 0x80] != b) {
                return WINDOWS_1252;
            }
        }
        return LATIN_1;
    }
}
