package dev.sift.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A set of 128-bit fingerprints (the first 16 bytes of SHA-256) kept in primitive arrays with open addressing:
 * 16 bytes a slot, slots at most 3/4 full, instead of the row's whole text in a hash set. Two different rows share
 * a fingerprint with a probability near 2^-128 per pair, so exact-duplicate removal stays exact in practice. The
 * table is split into 4096 shards (by the fingerprint's first 12 bits) that grow one at a time, so growing never
 * needs the whole table twice and no array gets large enough for G1 to give it whole regions of its own (with 256
 * shards, 10 million rows in a 512 MB heap ran out that way): 10 million rows take about 270 MB.
 */
final class Fingerprints {
    private static final int SHARDS = 4096;

    private final MessageDigest sha;
    private final long[][] hi = new long[SHARDS][];
    private final long[][] lo = new long[SHARDS][];
    private final int[] used = new int[SHARDS];
    private int size;

    Fingerprints() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int s = 0; s < SHARDS; s++) {
            hi[s] = new long[16];
            lo[s] = new long[16];
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
        int s = (int) (h >>> 52);
        if ((used[s] + 1) * 4L > hi[s].length * 3L) {
            grow(s);
        }
        if (insert(hi[s], lo[s], h, l)) {
            used[s]++;
            size++;
            return true;
        }
        return false;
    }

    int size() {
        return size;
    }

    private static boolean insert(long[] his, long[] los, long h, long l) {
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
        return true;
    }

    private void grow(int s) {
        long[] oldHi = hi[s];
        long[] oldLo = lo[s];
        long[] newHi = new long[oldHi.length * 2];
        long[] newLo = new long[oldLo.length * 2];
        for (int i = 0; i < oldHi.length; i++) {
            if (oldHi[i] != 0 || oldLo[i] != 0) {
                insert(newHi, newLo, oldHi[i], oldLo[i]);
            }
        }
        hi[s] = newHi;
        lo[s] = newLo;
    }
}
