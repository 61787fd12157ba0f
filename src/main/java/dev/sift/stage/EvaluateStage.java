package dev.sift.stage;

import dev.sift.store.RunCopy;
import dev.sift.data.LabelNoise;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.store.NoiseRecovery;
import dev.sift.evaluation.Protocol;
import dev.sift.evaluation.TestOutcome;
import dev.sift.evaluation.TestSet;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.ScoringCheckpoint;
import dev.sift.model.Targets;
import dev.sift.model.TrainSpec;
import dev.sift.stage.StageOutputs.EvaluateOutput;
import dev.sift.stage.StageOutputs.FilterOutput;
import dev.sift.stage.StageOutputs.FineTuneOutput;
import dev.sift.store.DynamicsStore;
import dev.sift.store.Headroom;
import dev.sift.store.MetricStore;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import dev.sift.store.WeightStore;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Retrains, once per evaluation seed and from that seed's initial weights, on the kept subset, on the random
 * subset of the same size (and from iteration 2 on a random draw of that size from the whole training split),
 * and in iteration 1 on the full training split; measures every model on the test split beside the majority
 * and zero-shot baselines, and compares the kept subset with each by a paired per-query bootstrap.
 */
@ApplicationScoped
public class EvaluateStage implements Stage<EvaluateOutput> {
    private static final String CLEAN = NoiseRecovery.CLEAN;

    @Inject
    RunCopy copy;
    @Inject
    ObjectStore objects;
    @Inject
    WeightStore weights;
    @Inject
    RunStore runs;
    @Inject
    MetricStore metrics;
    @Inject
    ModelFactory models;
    @Inject
    RunInputs inputs;
    @Inject
    DynamicsStore dynamics;
    @Inject
    Baselines baselines;
    @Inject
    Outcomes answers;
    @Inject
    Curves curves;
    @Inject
    TestPredictions predictions;
    @Inject
    RankCheck rankCheck;

    /** Relevance tasks; recommendation has its own stages ({@code Rec*Stage}). */
    @Override
    public boolean enabled(WorkflowSpec spec) {
        return !spec.task().recommendation();
    }

    @Override
    public String name() {
        return RunLayout.EVALUATE;
    }

    @Override
    public Scope scope() {
        return Scope.EACH_ITERATION;
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public Class<EvaluateOutput> outputType() {
        return EvaluateOutput.class;
    }

    /** What every retraining of this iteration shares. */
    record Setup(StageContext ctx, FineTuneOutput fineTune, int[] test, TestSet testSet, int[] validation,
            TestSet stopSet, int seeds) {
        TrainSpec train(int seed) {
            return ctx.spec().fineTune().withSeed(ctx.spec().fineTune().seed() + seed);
        }
    }

    /** One subset's models, one per seed: their test outcomes, and the first seed's training result. */
    record Trained(List<TestOutcome> outcomes, RelevanceTrainer.TrainResult first, List<String> weights,
            double seconds, List<String> scoring) {
    }

    @Override
    public boolean cacheable() {
        return true;
    }

    /** Metrics (not the score stage's noise detection rows), comparisons, the kept model's dynamics, the iteration. */
    @Override
    public void adopt(StageContext ctx, long from) {
        int k = ctx.iteration();
        copy.rows(from, ctx.runId(), List.of(new RunCopy.Rows("metric", "iteration = ? AND split <> ?", k,
                NoiseReport.SPLIT), new RunCopy.Rows("comparison", "iteration = ?", k),
                new RunCopy.Rows("training_dynamics", "stage = ? AND iteration = ?", name(), k),
                new RunCopy.Rows("iteration", "k = ?", k)));
        copy.objects(from, ctx.runId(), List.of(RunLayout.predictions(from, k)));
    }

    @Override
    public EvaluateOutput run(StageContext ctx) {
        FineTuneOutput ft = ctx.output(FineTuneOutput.class);
        FilterOutput filter = ctx.output(FilterOutput.class, ctx.iteration());
        List<Sample> samples = inputs.samples(ctx);
        if (ctx.iteration() == 1) { // also checked before fine-tuning, which a cached fine-tune skips
            Curves.check(ctx.spec().evaluate().curve(), Subsets.ofSplit(samples, Split.TRAIN).length);
        }
        int[] test = Subsets.ofSplit(samples, Split.TEST);
        TestSet testSet = TestSet.of(ctx.spec().task(), Arrays.stream(test).mapToObj(samples::get).toList(),
                ctx.spec().evaluate().k());
        int[] validation = Subsets.ofSplit(samples, Split.VALIDATION);
        // the stop rule reads the validation split (the test split is only measured), so measure it there too
        TestSet stopSet = ctx.spec().evaluate().stop() == null || validation.length == 0 ? null
                : TestSet.of(ctx.spec().task(), Arrays.stream(validation).mapToObj(samples::get).toList(),
                        ctx.spec().evaluate().k());
        Setup s = new Setup(ctx, ft, test, testSet, validation, stopSet, ctx.spec().evaluate().seeds());
        long queries = java.util.Arrays.stream(testSet.group()).distinct().count();
        if (ctx.iteration() == 1 && queries < Protocol.MIN_UNITS) {
            ctx.console().info("  warning: the test split has " + queries + (queries == 1 ? " query" : " queries")
                    + ", too few for a per-query bootstrap (at least " + Protocol.MIN_UNITS + "): differences are "
                    + "given without intervals (excludes_0 n/a)");
        }
        if (ctx.spec().evaluate().stop() != null && stopSet == null) {
            ctx.console().info("  warning: evaluate.stop reads the validation split and there is none: it never stops");
        }
        Map<String, List<TestOutcome>> outcomes = new LinkedHashMap<>();
        Subsets.Training kept = Subsets.training(objects, filter.selectedKey());
        Trained selected = retrain(s, "selected", kept);
        storeStopMetrics(s, "selected", selected.weights());
        // the next iteration scores this subset with the first seed's model: keep how it learned each sample
        dynamics.replace(ctx.runId(), name(), ctx.iteration(), selected.first().dynamics());
        outcomes.put("selected", selected.outcomes());
        Subsets.Training randomSet = Subsets.training(objects, filter.randomKey());
        Trained random = retrain(s, "random", randomSet);
        outcomes.put("random", random.outcomes());
        Map<String, List<String>> seedWeights = new LinkedHashMap<>();
        seedWeights.put("selected", selected.weights());
        seedWeights.put("random", random.weights());
        if (filter.randomTrainKey() != null) {
            Trained randomTrain = retrain(s, "random-train", Subsets.training(objects, filter.randomTrainKey()));
            outcomes.put("random-train", randomTrain.outcomes());
            seedWeights.put("random-train", randomTrain.weights());
        }
        List<String> fullWeights = full(s, outcomes);
        if (ctx.iteration() == 1) {
            cleanReference(s, samples, outcomes);
            outcomes.putAll(baselines.measure(ctx, samples, test, testSet));
            baselines.checkValidation(ctx, samples, weights.get(ft.weights()));
        }
        predictions.store(ctx, test, outcomes);
        List<MetricStore.Comparison> curveRows = curves.draw(s, (label, t) -> trainSeeds(s, label, t, false)
                .outcomes());
        compare(s, outcomes, curveRows, RoomControl.search(filter, randomSet, s.fineTune().trainSamples()), filter.kept());
        saveIteration(ctx, filter, kept, selected.weights().get(0));
        return new EvaluateOutput(selected.weights().get(0), random.weights().get(0),
                ctx.iteration() == 1 ? fullWeights : null, StopRules.reason(ctx, runs), selected.scoring(), seedWeights);
    }

    @Override
    public Optional<String> endsIterations(EvaluateOutput output) {
        return Optional.ofNullable(output.stop());
    }

    /** Trains one subset per seed, with its policy's loss weights and replacement labels when it has any. */
    private Trained retrain(Setup s, String subset, Subsets.Training training) {
        Trained t = trainSeeds(s, subset, training, true);
        storeTrained(s, subset, t, training.indices().length);
        return t;
    }

    /** Stores the test metrics of one subset's models, per seed and as mean and sd. */
    private void storeTrained(Setup s, String subset, Trained t, int trainSize) {
        store(s, subset, t.outcomes().stream().map(o -> Protocol.measure(s.testSet(), o)).toList(), trainSize,
                t.seconds() / s.seeds());
    }

    /** One model per evaluation seed on {@code training}, measured on test; their weights stored when asked. */
    private Trained trainSeeds(Setup s, String label, Subsets.Training training, boolean keepWeights) {
        return trainSeeds(s, label, training.indices(), training.targets(inputs.targets(s.ctx())), keepWeights,
                null);
    }

    /** {@link #trainSeeds}; {@code labels}, when not null, are every sample's labels as the grades read them. */
    private Trained trainSeeds(Setup s, String label, int[] indices, Targets targets, boolean keepWeights,
            double[] labels) {
        RelevanceTrainer trainer = models.trainer(s.ctx());
        List<TestOutcome> outcomes = new ArrayList<>();
        List<String> shas = new ArrayList<>();
        List<String> scoring = null;
        RelevanceTrainer.TrainResult first = null;
        double seconds = 0;
        for (int seed = 0; seed < s.seeds(); seed++) {
            // the kept model of seed 0 scores the next iteration: it keeps the checkpoints score.checkpoint asks for
            ScoringCheckpoint capture = keepWeights && seed == 0 && label.equals("selected")
                    ? s.ctx().spec().score().checkpoint() : ScoringCheckpoint.BEST;
            RelevanceTrainer.TrainResult r = trainer.train(initial(s, seed), targets, indices,
                    s.validation(), s.train(seed), TrainingProgress.of(s.ctx(), label + seedLabel(s, seed)), capture);
            first = first == null ? r : first;
            if (keepWeights) {
                shas.add(weights.put(r.weights(), "djl-params"));
            }
            if (!r.checkpoints().isEmpty()) {
                scoring = r.checkpoints().stream().map(w -> weights.put(w, "djl-params")).toList();
            }
            outcomes.add(answers.of(s.ctx(), r.weights(), s.test(), s.testSet(), labels));
            if (label.equals("selected")) { // what the policy kept; random draws of the pool are the control
                rankCheck.check(s.ctx(), trainer, label, seed, r.weights(), s.validation());
            }
            seconds += r.millis() / 1000.0;
        }
        return new Trained(outcomes, first, shas, seconds, scoring);
    }

    /**
     * With {@code dataset.noise}: the full training split with its flipped labels put back, one model per seed,
     * measured on test as subset {@value #CLEAN}, so that the run shows what the noise cost the full model and how
     * much of it the kept subset wins back. Iteration 1 only, like the full model.
     */
    private void cleanReference(Setup s, List<Sample> samples, Map<String, List<TestOutcome>> outcomes) {
        Optional<LabelNoise.Flips> flips = inputs.flips(s.ctx());
        if (flips.isEmpty() || flips.get().indices().length == 0) {
            return;
        }
        double[] labels = flips.get().restore(samples.stream().mapToDouble(Sample::label).toArray());
        Targets clean = Targets.of(s.ctx().spec().task(), labels);
        int[] train = Subsets.ofSplit(samples, Split.TRAIN);
        Trained t = trainSeeds(s, CLEAN, train, clean, false, labels);
        storeTrained(s, CLEAN, t, train.length);
        outcomes.put(CLEAN, t.outcomes());
    }

    /** Seed 0 starts from the fine-tune's stored initial weights; seed j from the seed fine_tune.seed + j. */
    private byte[] initial(Setup s, int seed) {
        return models.initialWeights(s.ctx(), seed);
    }

    private static String seedLabel(Setup s, int seed) {
        return s.seeds() == 1 ? "" : " seed " + (seed + 1) + "/" + s.seeds();
    }

    /**
     * The full-set models: in iteration 1 the fine-tuned model is seed 0's, and the other seeds train on the whole
     * training split; later iterations measure the stored ones again.
     */
    private List<String> full(Setup s, Map<String, List<TestOutcome>> outcomes) {
        StageContext ctx = s.ctx();
        List<String> shas;
        double millis = s.fineTune().trainMs(); // seed 0's training is the fine-tune's
        if (ctx.iteration() == 1) {
            shas = new ArrayList<>(List.of(s.fineTune().weights()));
            int[] train = Subsets.ofSplit(inputs.samples(ctx), Split.TRAIN);
            for (int seed = 1; seed < s.seeds(); seed++) {
                RelevanceTrainer.TrainResult r = models.trainer(ctx).train(initial(s, seed), inputs.targets(ctx),
                        train, s.validation(), s.train(seed), TrainingProgress.of(ctx, "full" + seedLabel(s, seed)));
                shas.add(weights.put(r.weights(), "djl-params"));
                millis += r.millis();
            }
        } else {
            List<String> stored = ctx.output(EvaluateOutput.class, 1).fullWeights();
            shas = stored == null ? List.of(s.fineTune().weights()) : stored;
        }
        List<TestOutcome> o = new ArrayList<>();
        List<Map<String, Double>> perSeed = new ArrayList<>();
        for (String sha : shas) {
            TestOutcome t = answers.of(ctx, weights.get(sha), s.test(), s.testSet());
            o.add(t);
            perSeed.add(Protocol.measure(s.testSet(), t));
        }
        outcomes.put("full", o);
        if (ctx.iteration() == 1) {
            // the mean training time over the seeds, as for every other subset
            store(s, "full", perSeed, s.fineTune().trainSamples(), millis / 1000.0 / shas.size());
            storeStopMetrics(s, "full", shas);
        }
        return shas;
    }

    /** With a stop rule, the models' mean metrics on the validation split, which the rule reads. */
    private void storeStopMetrics(Setup s, String subset, List<String> shas) {
        if (s.stopSet() == null) {
            return;
        }
        List<Map<String, Double>> perSeed = shas.stream().map(sha -> Protocol.measure(s.stopSet(),
                answers.of(s.ctx(), weights.get(sha), s.validation(), s.stopSet()))).toList();
        runs.replaceMetrics(s.ctx().runId(), s.ctx().iteration(), Split.VALIDATION.key(), subset,
                Baselines.ofSeeds(perSeed));
    }

    private void store(Setup s, String subset, List<Map<String, Double>> perSeed, int trainSize, double seconds) {
        Map<String, Double> m = Baselines.summary(perSeed, trainSize, seconds);
        runs.replaceMetrics(s.ctx().runId(), s.ctx().iteration(), "test", subset, m);
        metrics.replaceSeeds(s.ctx().runId(), s.ctx().iteration(), "test", subset, perSeed);
        Baselines.print(s.ctx(), subset, m);
    }

    /**
     * The kept subset against every other model of the iteration, metric by metric, and the random subset {@code
     * room} (null: none) of {@code roomSize} samples against the full set.
     */
    private void compare(Setup s, Map<String, List<TestOutcome>> outcomes, List<MetricStore.Comparison> curveRows,
            String room, int roomSize) {
        List<MetricStore.Comparison> rows = new ArrayList<>(curveRows);
        int resamples = s.ctx().spec().evaluate().bootstrap();
        for (String other : outcomes.keySet()) {
            if (!other.equals("selected")) {
                compare(s, outcomes, "selected", other, resamples, rows);
            }
        }
        if (room != null) {
            List<MetricStore.Comparison> r = new ArrayList<>();
            compare(s, outcomes, room, "full", resamples, r);
            rows.addAll(r);
            Headroom.lines(r, Map.of(s.ctx().iteration(), new long[] {roomSize, s.fineTune().trainSamples()}))
                    .forEach(s.ctx().console()::info);
        }
        if (outcomes.containsKey("zero-shot")) {
            // is the trained model worth pruning for at all?
            compare(s, outcomes, "full", "zero-shot", resamples, rows);
        }
        if (outcomes.containsKey(CLEAN)) {
            compare(s, outcomes, "full", CLEAN, resamples, rows);
            NoiseRecovery.lines(rows).forEach(s.ctx().console()::info);
        }
        metrics.replaceComparisons(s.ctx().runId(), s.ctx().iteration(), rows);
    }

    /**
     * The bootstrap's seed: from the workflow (filter.seed, the seed of the random subsets) and the iteration, not
     * the run, so that running the same workflow again gives the same intervals, not ones a little apart.
     */
    static long bootstrapSeed(StageContext ctx) {
        return ctx.spec().filter().seed() * 31 + ctx.iteration();
    }

    private static void compare(Setup s, Map<String, List<TestOutcome>> outcomes, String subset, String baseline,
            int resamples, List<MetricStore.Comparison> rows) {
        Map<String, Protocol.Interval> c = Protocol.compare(s.testSet(), outcomes.get(subset), outcomes.get(baseline),
                resamples, bootstrapSeed(s.ctx()), s.ctx().spec().evaluate().bootstrapSeeds());
        c.forEach((metric, i) -> rows.add(new MetricStore.Comparison(s.ctx().iteration(), metric, subset,
                baseline, i.delta(), i.lo(), i.hi(), s.seeds(), i.queries(), i.resamples())));
        s.ctx().console().info(Baselines.describe(subset, baseline, c));
    }

    private void saveIteration(StageContext ctx, FilterOutput filter, Subsets.Training kept, String selectedSha) {
        runs.saveIteration(FilterStage.iterationRow(ctx, filter, kept, selectedSha));
    }
}
