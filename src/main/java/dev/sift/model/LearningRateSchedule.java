package dev.sift.model;

import ai.djl.training.tracker.ParameterTracker;

/**
 * Linear warm-up to {@code peak} over the first {@code warmup} steps, then linear decay to zero at {@code total}
 * steps. DJL numbers each parameter's updates from 1, so update n is step n - 1.
 */
public record LearningRateSchedule(float peak, long warmup, long total) implements ParameterTracker {

    /** The schedule of {@code spec} when an epoch has {@code stepsPerEpoch} optimiser steps. */
    public static LearningRateSchedule of(TrainSpec spec, long stepsPerEpoch) {
        long total = stepsPerEpoch * spec.epochs();
        return new LearningRateSchedule((float) spec.learningRate(), Math.round(spec.warmup() * total), total);
    }

    /** The rate of DJL's update number {@code numUpdate} (from 1). */
    public float rate(int numUpdate) {
        long step = Math.max(0, numUpdate - 1);
        if (warmup > 0 && step < warmup) {
            return peak * (step + 1) / warmup;
        }
        if (total <= warmup) {
            return peak;
        }
        return Math.max(0f, peak * (float) (total - step) / (total - warmup));
    }

    /**
     * The mean rate over the updates {@code fromUpdate} to {@code toUpdate} (DJL numbering, inclusive): the step
     * size in force over an epoch, which TracIn weights that epoch's checkpoint by (Pruthi et al.). Under linear
     * decay the last update's rate would make the final checkpoint count almost nothing.
     */
    public float meanRate(long fromUpdate, long toUpdate) {
        double sum = 0;
        for (long u = fromUpdate; u <= toUpdate; u++) {
            sum += rate((int) u);
        }
        return (float) (sum / Math.max(1, toUpdate - fromUpdate + 1));
    }

    @Override
    public float getNewValue(String parameterId, int numUpdate) {
        return rate(numUpdate);
    }
}
