package dev.sift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ArraySinkTest {
    @Test
    void storesWhatFitsAndCountsEverything() {
        ArraySink sink = new ArraySink(new byte[5]);
        sink.write(1);
        sink.write(new byte[] {9, 2, 3, 9}, 1, 2);
        assertEquals(3, sink.count());
        sink.write(new byte[] {4, 5, 6, 7}, 0, 4);
        sink.write(8);
        assertEquals(8, sink.count());
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, sink.bytes());
        ArraySink counter = new ArraySink(new byte[0]);
        counter.write(new byte[100], 0, 100);
        assertEquals(100, counter.count());
    }
}
