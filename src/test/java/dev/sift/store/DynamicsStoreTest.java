package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sift.PostgresResource;
import dev.sift.model.TrainingDynamics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** Training dynamics back from PostgreSQL bit for bit, decoded from the binary array form. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class DynamicsStoreTest {
    @Inject
    DynamicsStore dynamics;
    @Inject
    RunStore runs;

    @Test
    void everyArrayComesBackBitForBitEpochByEpoch() {
        long run = runs.createRun("dyn", "dyn", "/dyn.yaml", "name: dyn\n").id;
        int[] samples = {7, 0, Integer.MAX_VALUE, 3};
        float[][] loss = {{0.5f, Float.MIN_VALUE, 1e30f, -0.0f}, {Float.NaN, 2.25f, 0f, Float.POSITIVE_INFINITY}};
        float[][] pTrue = {{0.1f, 0.2f, 0.3f, 0.4f}, {1f, 0.99f, 1e-7f, 0.5f}};
        boolean[][] correct = {{true, false, false, true}, {false, true, true, false}};
        float[][] margin = {{-1.5f, 2f, 0.25f, -3e-8f}, {1f, -1f, 0f, 7f}};
        dynamics.replace(run, "fine-tune", 0, new TrainingDynamics(samples, loss, pTrue, correct, margin, null, null));
        TrainingDynamics back = dynamics.read(run, "fine-tune", 0);
        assertArrayEquals(samples, back.samples());
        assertEquals(2, back.loss().length);
        for (int e = 0; e < 2; e++) {
            for (int i = 0; i < samples.length; i++) { // bits: NaN, -0 and subnormals included
                assertEquals(Float.floatToIntBits(loss[e][i]), Float.floatToIntBits(back.loss()[e][i]), e + "/" + i);
                assertEquals(Float.floatToIntBits(margin[e][i]), Float.floatToIntBits(back.margin()[e][i]));
            }
            assertArrayEquals(pTrue[e], back.pTrue()[e]);
            assertArrayEquals(correct[e], back.correct()[e]);
        }
        assertNull(back.el2n(), "an array no epoch stored stays null");
        assertNull(back.tracin());
        assertNull(dynamics.read(run, "fine-tune", 1), "nothing stored for that iteration");
        dynamics.replace(run, "score", 1, new TrainingDynamics(new int[0], new float[][] {{}}, new float[][] {{}},
                new boolean[][] {{}}));
        assertEquals(0, dynamics.read(run, "score", 1).samples().length, "an empty epoch reads back empty");
    }
}
