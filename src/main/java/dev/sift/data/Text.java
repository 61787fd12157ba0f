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
}
