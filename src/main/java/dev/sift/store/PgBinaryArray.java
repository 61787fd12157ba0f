package dev.sift.store;

import java.nio.ByteBuffer;

/**
 * One-dimensional PostgreSQL arrays in their binary form ({@code array_send}): a header (dimensions, a flag for
 * nulls, the element type, per dimension its length and lower bound), then each element as a 4-byte length and its
 * big-endian bytes. Sift's arrays hold no nulls; one would be a corrupt row, and is refused.
 */
final class PgBinaryArray {
    private PgBinaryArray() {
    }

    /** The elements' count, with the buffer left at the first element. */
    private static int open(ByteBuffer b) {
        int dims = b.getInt();
        b.getInt(); // has nulls
        b.getInt(); // element type
        if (dims == 0) {
            return 0;
        }
        if (dims != 1) {
            throw new IllegalStateException("a " + dims + "-dimensional array where one dimension was stored");
        }
        int n = b.getInt();
        b.getInt(); // lower bound
        return n;
    }

    private static void element(ByteBuffer b, int width, int i) {
        int len = b.getInt();
        if (len != width) {
            throw new IllegalStateException("array element " + i + " is " + (len < 0 ? "null" : len + " bytes")
                    + ", expected " + width);
        }
    }

    static float[] floats(byte[] sent) {
        ByteBuffer b = ByteBuffer.wrap(sent);
        float[] out = new float[open(b)];
        for (int i = 0; i < out.length; i++) {
            element(b, 4, i);
            out[i] = b.getFloat();
        }
        return out;
    }

    static int[] ints(byte[] sent) {
        ByteBuffer b = ByteBuffer.wrap(sent);
        int[] out = new int[open(b)];
        for (int i = 0; i < out.length; i++) {
            element(b, 4, i);
            out[i] = b.getInt();
        }
        return out;
    }

    static boolean[] booleans(byte[] sent) {
        ByteBuffer b = ByteBuffer.wrap(sent);
        boolean[] out = new boolean[open(b)];
        for (int i = 0; i < out.length; i++) {
            element(b, 1, i);
            out[i] = b.get() != 0;
        }
        return out;
    }
}
