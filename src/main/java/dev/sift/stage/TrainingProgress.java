package dev.sift.stage;

import dev.sift.model.RelevanceTrainer;
import dev.sift.workflow.Console;
import dev.sift.workflow.StageContext;

/** Reports training to the console: a line per epoch, and a progress bar over batches on a terminal. */
final class TrainingProgress {
    private TrainingProgress() {
    }

    static RelevanceTrainer.Listener of(StageContext ctx, String what) {
        Console console = ctx.console();
        return new RelevanceTrainer.Listener() {
            private Console.Bar bar;

            @Override
            public void batch(int epoch, long done, long total) {
                if (bar == null) {
                    bar = console.bar(what + " epoch " + epoch, total);
                }
                bar.stepTo(done);
                if (done == total) {
                    bar.close();
                    bar = null;
                }
            }

            @Override
            public void epoch(RelevanceTrainer.EpochStats s) {
                console.info(String.format("  %s epoch %d/%d: train loss %.4f, validation loss %.4f (%.1f s)", what,
                        s.epoch(), s.epochs(), s.trainLoss(), s.validationLoss(), s.millis() / 1000.0));
            }
        };
    }
}
