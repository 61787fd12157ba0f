package dev.sift;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex sha256 helpers. */
public final class Sha256 {
    private Sha256() {
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    public static String hex(MessageDigest d) {
        return HexFormat.of().formatHex(d.digest());
    }

    /** The hex sha256 of everything left in {@code in}, read in blocks. */
    public static String hexOf(java.io.InputStream in) throws java.io.IOException {
        MessageDigest d = digest();
        byte[] block = new byte[1 << 16];
        for (int n; (n = in.read(block)) > 0;) {
            d.update(block, 0, n);
        }
        return hex(d);
    }
}
