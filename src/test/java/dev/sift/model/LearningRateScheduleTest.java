package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void warmsUpLinearlyThenDecaysToZero() {
        // 10 steps, 2 of warm-up; DJL numbers updates from 1
        LearningRateSchedule s = new LearningRateSchedule(1f, 2, 10);
        assertEquals(0.5f, s.rate(1), 1e-6);
        assertEquals(1.0f, s.rate(2), 1e-6);
        assertEquals(1.0f, s.rate(3), 1e-6);
        assertEquals(0.5f, s.rate(7), 1e-6);
        assertEquals(0.0f, s.rate(11), 1e-6);
        assertEquals(0.3f, new LearningRateSchedule(0.3f, 0, 1).rate(1), 1e-6);
    }

    @Test
    void followsTheTrainSpecAndIsWhatDjlAsksFor() {
        // 3 epochs of 4 steps, 25% warm-up: 3 warm-up steps of 12
        TrainSpec spec = new TrainSpec(3, 8, 0.2, 1, 0.0, 0.25, 0.0, 0, TrainSpec.DeviceChoice.CPU);
        LearningRateSchedule s = LearningRateSchedule.of(spec, 4);
        assertEquals(new LearningRateSchedule(0.2f, 3, 12), s);
        assertEquals(0.2f / 3, s.getNewValue("any", 1), 1e-7);
        assertEquals(0.2f, s.getNewValue("any", 3), 1e-7);
        assertEquals(0.2f * 9 / 9, s.getNewValue("any", 4), 1e-7);
        assertEquals(0.2f / 9, s.getNewValue("any", 12), 1e-7);
    }
}
