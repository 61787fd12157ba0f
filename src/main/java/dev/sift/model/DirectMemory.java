package dev.sift.model;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;

/**
 * Frees a direct buffer's memory at once, where the JDK would free it only when a collection finds the buffer
 * unreachable: {@code sun.misc.Unsafe.invokeCleaner} (module jdk.unsupported, Java 9 and later). For buffers that
 * Sift allocated itself and that nothing reads any more; a slice or duplicate cannot be freed and is refused.
 */
public final class DirectMemory {
    private static final sun.misc.Unsafe UNSAFE = unsafe();

    private DirectMemory() {
    }

    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // then the collector frees it, as it would anyway
        }
    }

    /** Frees {@code buffer}'s memory now (after the collector's next pass where Unsafe is not reachable). */
    static void free(ByteBuffer buffer) {
        if (UNSAFE != null && buffer.isDirect()) {
            UNSAFE.invokeCleaner(buffer);
        }
    }

    /**
     * Owns {@code buffer} until closed, then frees it: in a try-with-resources, declare it before the resources that
     * read it (a tensor's manager), so that it is closed after them.
     */
    public static Owned own(ByteBuffer buffer) {
        return new Owned(buffer);
    }

    /** A direct buffer freed by {@link #close()}. */
    public static final class Owned implements AutoCloseable {
        private final ByteBuffer buffer;

        private Owned(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        public ByteBuffer buffer() {
            return buffer;
        }

        @Override
        public void close() {
            free(buffer);
        }
    }
}
