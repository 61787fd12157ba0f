package dev.sift.stage;

import dev.sift.data.Split;
import dev.sift.data.Text;
import dev.sift.evaluation.Protocol;
import dev.sift.store.MetricEntity;
import dev.sift.store.RunStore;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;
import java.util.HashMap;
import java.util.Map;

/** {@code evaluate.stop}: whether the iterations end after this one, read from the stored validation metrics. */
final class StopRules {
    private StopRules() {
    }

    /** The stop rule's verdict after this iteration, from the stored validation metrics; null to go on. */
    static String reason(StageContext ctx, RunStore runs) {
        WorkflowSpec.StopRule rule = ctx.spec().evaluate().stop();
        if (rule == null) {
            return null;
        }
        Map<String, Double> mean = new HashMap<>();
        for (MetricEntity m : runs.metrics(ctx.runId())) {
            if (Split.VALIDATION.key().equals(m.split) && rule.metric().equals(m.name)) {
                mean.put(m.iteration + "|" + m.subset, m.value);
            }
        }
        Double kept = mean.get(ctx.iteration() + "|selected");
        Double full = mean.get("1|full");
        Double before = mean.get((ctx.iteration() - 1) + "|selected");
        if (kept != null && kept.isNaN()) { // MRR or NDCG where no validation query informs it
            ctx.console().info("  stop rule: the kept subset's " + rule.metric() + " is undefined on the validation "
                    + "split (no query there informs it): the rule cannot stop the run");
        }
        if (rule.floor() > 0 && kept != null && full != null
                && (Protocol.lowerIsBetter(rule.metric()) ? kept > full / rule.floor() : kept < rule.floor() * full)) {
            // the floor as written: 0.999 printed with two decimals read "1.00" (an audit's)
            return String.format("the kept subset's %s %.4f is past the floor of %s of the full model's %.4f",
                    rule.metric(), kept, Text.plain(rule.floor()), full);
        }
        if (rule.plateau() > 0 && kept != null && before != null && Math.abs(kept - before) < rule.plateau()) {
            return String.format("the kept subset's %s moved by %.4f since iteration %d, less than the plateau %s",
                    rule.metric(), Math.abs(kept - before), ctx.iteration() - 1, Text.plain(rule.plateau()));
        }
        return null;
    }
}
