package dev.sift;

import java.io.OutputStream;

/**
 * An output stream into an array of a size known in advance: no growing buffer and no copy at the end, where a
 * {@code ByteArrayOutputStream} holds up to twice the bytes while it grows and a third copy when it hands them over.
 * Bytes past the end are counted, not stored, so the writer can tell a size that did not match ({@link #count}).
 */
public final class ArraySink extends OutputStream {
    private final byte[] bytes;
    private long count;

    public ArraySink(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public void write(int b) {
        if (count < bytes.length) {
            bytes[(int) count] = (byte) b;
        }
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        int fits = (int) Math.max(0, Math.min(len, bytes.length - count));
        System.arraycopy(b, off, bytes, (int) Math.min(count, bytes.length), fits);
        count += len;
    }

    /** Bytes written, stored or not. */
    public long count() {
        return count;
    }

    /** The array written into. */
    public byte[] bytes() {
        return bytes;
    }
}
