package dev.sift.data;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 of personal identifiers, so user ids never reach storage in the clear. */
public final class KeyedHasher {
    private final SecretKeySpec key;

    public KeyedHasher(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("hash key must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** The first 16 bytes of HMAC-SHA256(key, id), hex encoded. */
    public String hash(String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] h = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "KeyedHasher[key=***]";
    }
}
