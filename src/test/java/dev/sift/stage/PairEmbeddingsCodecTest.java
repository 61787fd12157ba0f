package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The cached query and title embeddings keep each distinct vector once and every sample's pair as indexes. */
class PairEmbeddingsCodecTest {
    @Test
    void distinctVectorsOnceSamplesAsIndexes() {
        float[] lamp = {1f, -2f, 0.5f};
        float[] desk = {0f, 3f, Float.MIN_VALUE};
        float[] title = {7f, 8f, 9f};
        float[][][] e = {{lamp, lamp, desk, lamp}, {title, desk, title, title}};
        byte[] bytes = ModelFactory.encode(e, 3);
        assertEquals(12 + 4 * 3 * 3 + 8 * 4, bytes.length);
        float[][][] back = ModelFactory.decode(bytes, 4, 3);
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(e[s][i], back[s][i], "side " + s + " sample " + i);
            }
        }
        assertSame(back[0][0], back[0][3], "samples with the same text share one vector");
        assertSame(back[0][2], back[1][1]);
        assertThrows(IllegalStateException.class, () -> ModelFactory.decode(bytes, 5, 3));
    }
}
