package dev.sift.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A set of 128-bit fingerprints (the first 16 bytes of SHA-256) kept in two primitive arrays with open addressing:
 * 16 bytes a row at most 3/4 full, instead of the row's whole text in a hash set. Two different rows share a
 * fingerprint with a probability near 2^-128 per pair, so exact-duplicate removal stays exact in practice.
 */
final class Fingerprints {
    private final MessageDigest sha;
    private long[] hi = new long[1 << 10];
    private long[] lo = new long[1 << 10];
    private int size;

    Fingerprints() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds the fingerprint of {@code key}; false when it was there already. */
    boolean add(String key) {
        ByteBuffer d = ByteBuffer.wrap(sha.digest(key.getBytes(StandardCharsets.UTF_8)));
        long h = d.getLong();
        long l = d.getLong();
        if (h == 0 && l == 0) {
            l = 1; // (0, 0) marks an empty slot
        }
        if ((size + 1) * 4L > hi.length * 3L) {
            grow();
        }
        return insert(hi, lo, h, l);
    }

    int size() {
        return size;
    }

    private boolean insert(long[] his, long[] los, long h, long l) {
        int mask = his.length - 1;
        int i = (int) (l ^ (l >>> 32)) & mask;
        while (his[i] != 0 || los[i] != 0) {
            if (his[i] == h && los[i] == l) {
                return false;
            }
            i = (i + 1) & mask;
        }
        his[i] = h;
        los[i] = l;
        size++;
        return true;
    }

    private void grow() {
        long[] oldHi = hi;
        long[] oldLo = lo;
        hi = new long[oldHi.length * 2];
        lo = new long[oldLo.length * 2];
        size = 0;
        for (int i = 0; i < oldHi.length; i++) {
            if (oldHi[i] != 0 || oldLo[i] != 0) {
                insert(hi, lo, oldHi[i], oldLo[i]);
            }
        }
    }
}
