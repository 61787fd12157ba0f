package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The relief runs after large models only, and malloc_trim gives freed arena pages back to the system. */
class MemoryReliefTest {
    @Test
    void onlyLargeModelsGetIt() {
        assertFalse(MemoryRelief.afterTraining(1 << 20));
        assertFalse(MemoryRelief.afterTraining(MemoryRelief.LARGE_MODEL_BYTES - 1));
        assertTrue(MemoryRelief.afterTraining(MemoryRelief.LARGE_MODEL_BYTES));
        assertFalse(MemoryRelief.afterInference(MemoryRelief.LARGE_MODEL_BYTES - 1));
        assertTrue(MemoryRelief.afterInference(MemoryRelief.LARGE_MODEL_BYTES));
    }

    /**
     * A closed model's weights stay in direct buffers until a collection; the relief after inference frees them
     * (without its collection the bytes stay counted: the first assertion).
     */
    @Test
    void weightsOfAClosedModelAreFreedAfterInference() {
        float[] values = new float[(int) (MemoryRelief.LARGE_MODEL_BYTES / 4)];
        // earlier tests' closed models freed first, so that no collection below frees them
        long before = settledDirectBytes();
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager("PyTorch")) {
            m.create(values); // copied by DJL into a direct buffer the tensor aliases
        }
        assertTrue(MemoryRelief.directBytes() - before >= MemoryRelief.LARGE_MODEL_BYTES,
                "the closed tensor's direct buffer is still counted");
        assertTrue(MemoryRelief.afterInference(MemoryRelief.LARGE_MODEL_BYTES));
        // the buffer's memory is freed by the reference handler thread once the collection has found it
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (MemoryRelief.directBytes() - before >= MemoryRelief.LARGE_MODEL_BYTES && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(MemoryRelief.directBytes() - before < MemoryRelief.LARGE_MODEL_BYTES,
                "freed by the collection: " + (MemoryRelief.directBytes() - before) + " bytes left");
    }

    /** The direct buffers' bytes after a collection, once two readings 100 ms apart agree (at most 5 s). */
    private static long settledDirectBytes() {
        System.gc();
        long last = -1;
        for (int i = 0; i < 50; i++) {
            long now = MemoryRelief.directBytes();
            if (now == last) {
                return now;
            }
            last = now;
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return last;
    }

    /**
     * Fragmented frees: 100 KB blocks (below glibc's mmap threshold, so they come from an arena), every tenth kept.
     * free() cannot shrink the arena past a kept block, so the freed pages stay resident until malloc_trim.
     */
    @Test
    void trimReturnsFreedArenaPages() throws IOException {
        assumeTrue(Files.exists(Path.of("/proc/self/status")) && MemoryRelief.canTrim(), "glibc on Linux");
        int blocks = 3000;
        long size = 100 * 1024;
        long[] addresses = new long[blocks];
        for (int i = 0; i < blocks; i++) {
            addresses[i] = Native.malloc(size);
            new Pointer(addresses[i]).setMemory(0, size, (byte) 1); // resident
        }
        long full = residentKb();
        for (int i = 0; i < blocks; i++) {
            if (i % 10 != 9) {
                Native.free(addresses[i]);
            }
        }
        long freed = residentKb();
        assertEquals(1, MemoryRelief.trim(), "malloc_trim released nothing");
        long trimmed = residentKb();
        for (int i = 9; i < blocks; i += 10) {
            Native.free(addresses[i]);
        }
        long allocatedKb = blocks * size / 1024;
        // most of the 270 MB freed is still resident after free(), and trim gives back at least half of it
        assertTrue(full - freed < allocatedKb / 2, "free() alone returned " + (full - freed) + " KB");
        assertTrue(freed - trimmed > allocatedKb * 9 / 10 / 2, "trim returned " + (freed - trimmed) + " KB of "
                + allocatedKb * 9 / 10);
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
