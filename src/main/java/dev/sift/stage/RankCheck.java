package dev.sift.stage;

import dev.sift.data.Sample;
import dev.sift.evaluation.Metrics;
import dev.sift.evaluation.TestSet;
import dev.sift.model.Predictions;
import dev.sift.model.RelevanceTrainer;
import dev.sift.workflow.StageContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;

/**
 * Warns when one kept model (each evaluation seed's) ranks the validation pairs worse than a random order (the
 * majority grade's NDCG), on at least {@link dev.sift.evaluation.Protocol#MIN_UNITS} queries that inform NDCG: a
 * mean over seeds hides it. A stop-59 re-measurement of structured noise found one of three kept models whose test
 * scores correlated -0.92 with the labels beside two at +0.84 and +0.82, and nothing said so. A model that learned
 * nothing sits on either side of chance and is warned of only when below it. Only the kept models: checking the random
 * controls too doubled the quickstart's peak resident memory (0.99-1.20 GB to 1.97 GB, the heap grown by the extra
 * inference passes).
 */
@ApplicationScoped
public class RankCheck {
    @Inject
    RunInputs inputs;

    /**
     * Checks the model {@code weights} of {@code subset}, evaluation seed {@code seed}, on {@code validation}, read by
     * {@code trainer} (the one that trained it).
     */
    void check(StageContext ctx, RelevanceTrainer trainer, String subset, int seed, byte[] weights, int[] validation) {
        if (validation.length == 0) {
            return;
        }
        List<Sample> samples = inputs.samples(ctx);
        TestSet set = TestSet.of(ctx.spec().task(), Arrays.stream(validation).mapToObj(samples::get).toList(),
                ctx.spec().evaluate().k());
        int queries = Metrics.ndcgGroups(set.relevance(), set.group());
        if (queries < dev.sift.evaluation.Protocol.MIN_UNITS) {
            return; // on a handful of queries a weak model falls below chance by luck: no verdict, as no interval
        }
        Predictions p = trainer.predict(weights, validation);
        double[] score = new double[p.size()];
        Arrays.setAll(score, p::rankScore);
        double model = Metrics.ndcgAtK(score, set.relevance(), set.group(), set.k());
        double chance = Metrics.ndcgAtK(new double[score.length], set.relevance(), set.group(), set.k());
        String w = warning(subset, seed, set.k(), model, chance, queries);
        if (w != null) {
            ctx.console().info("  warning: " + w);
        }
    }

    /**
     * The warning for a model whose validation NDCG@k is {@code model} against a random order's {@code chance}, on
     * {@code queries} queries that inform it.
     */
    static String warning(String subset, int seed, int k, double model, double chance, int queries) {
        if (!(model < chance)) { // NaN (no validation query with two grades): no verdict
            return null;
        }
        return String.format(java.util.Locale.ROOT, "the %s model of evaluation seed %d ranks the validation pairs "
                + "worse than a random order (NDCG@%d %.4f against %.4f, on %d queries); its test numbers are in the "
                + "%s mean: look at what its training set holds (sift runs export --subset)", subset, seed, k, model,
                chance, queries, subset);
    }
}
