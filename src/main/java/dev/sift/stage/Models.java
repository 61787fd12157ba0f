package dev.sift.stage;

import dev.sift.model.RelevanceTrainer;
import dev.sift.workflow.Console;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;

/** Builds the trainer a workflow asks for and reports its progress to the console. */
final class Models {
    private Models() {
    }

    static RelevanceTrainer trainer(WorkflowSpec spec) {
        return new RelevanceTrainer(spec.model(), spec.task().classes(),
                spec.task().type() == WorkflowSpec.TaskType.REGRESSION);
    }

    /** Plain lines per epoch, plus a progress bar over batches on a terminal. */
    static RelevanceTrainer.Listener listener(StageContext ctx, String what) {
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
