package dev.sift.stage;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.evaluation.Evaluator;
import dev.sift.evaluation.ZeroShot;
import dev.sift.model.Predictions;
import dev.sift.model.RelevanceTrainer;
import dev.sift.model.SentenceEmbedder;
import dev.sift.stage.StageOutputs.EvaluateOutput;
import dev.sift.stage.StageOutputs.FilterOutput;
import dev.sift.stage.StageOutputs.FineTuneOutput;
import dev.sift.store.DynamicsStore;
import dev.sift.store.IterationEntity;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.RunStore;
import dev.sift.store.WeightStore;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retrains from the same initial weights on the kept subset and on the random subset of the same size, and
 * measures both (and, in the first iteration, the model trained on the full training split) on the test split.
 */
@ApplicationScoped
public class EvaluateStage implements Stage<EvaluateOutput> {
    @Inject
    ObjectStore objects;
    @Inject
    WeightStore weights;
    @Inject
    RunStore runs;
    @Inject
    ModelFactory models;
    @Inject
    RunInputs inputs;
    @Inject
    DynamicsStore dynamics;

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

    /** The test split, its samples and the validation split that early-stops retraining. */
    private record Held(int[] test, List<Sample> testSamples, int[] validation) {
    }

    @Override
    public EvaluateOutput run(StageContext ctx) {
        FineTuneOutput ft = ctx.output(FineTuneOutput.class);
        FilterOutput filter = ctx.output(FilterOutput.class, ctx.iteration());
        byte[] init = weights.get(ft.initWeights());
        List<Sample> samples = inputs.samples(ctx);
        int[] test = Subsets.ofSplit(samples, Split.TEST);
        Held held = new Held(test, Arrays.stream(test).mapToObj(samples::get).toList(),
                Subsets.ofSplit(samples, Split.VALIDATION));
        RelevanceTrainer.TrainResult selected = retrain(ctx, init, held, "selected", filter.selectedKey());
        // the next iteration scores this subset with this model: keep how it learned each sample
        dynamics.replace(ctx.runId(), name(), ctx.iteration(), selected.dynamics());
        String selectedSha = weights.put(selected.weights(), "djl-params");
        String randomSha = weights.put(retrain(ctx, init, held, "random", filter.randomKey()).weights(),
                "djl-params");
        if (ctx.iteration() == 1) {
            measureFull(ctx, ft, held);
            if (ctx.spec().evaluate().zeroShot()) {
                Map<String, Double> z = zeroShot(ctx, samples, held);
                runs.replaceMetrics(ctx.runId(), 1, "test", "zero-shot", z);
                print(ctx, "zero-shot", z);
            }
        }
        saveIteration(ctx, filter, selectedSha);
        return new EvaluateOutput(selectedSha, randomSha);
    }

    private RelevanceTrainer.TrainResult retrain(StageContext ctx, byte[] init, Held held, String subset,
            String subsetKey) {
        RelevanceTrainer trainer = models.trainer(ctx);
        int[] idx = Subsets.read(objects, subsetKey);
        RelevanceTrainer.TrainResult r = trainer.train(init, inputs.targets(ctx), idx, held.validation(),
                ctx.spec().fineTune(), TrainingProgress.of(ctx, subset));
        Map<String, Double> m = measure(ctx, trainer.predict(r.weights(), held.test()), held);
        m.put("train_size", (double) idx.length);
        m.put("train_seconds", r.millis() / 1000.0);
        runs.replaceMetrics(ctx.runId(), ctx.iteration(), "test", subset, m);
        print(ctx, subset, m);
        return r;
    }

    /** The fine-tuned model is the full-set model: same initial weights, same settings, all of train. */
    private void measureFull(StageContext ctx, FineTuneOutput ft, Held held) {
        Predictions p = models.trainer(ctx).predict(weights.get(ft.weights()), held.test());
        Map<String, Double> m = measure(ctx, p, held);
        m.put("train_size", (double) ft.trainSamples());
        m.put("train_seconds", ft.trainMs() / 1000.0);
        runs.replaceMetrics(ctx.runId(), 1, "test", "full", m);
        print(ctx, "full", m);
    }

    private static Map<String, Double> measure(StageContext ctx, Predictions p, Held held) {
        return new LinkedHashMap<>(Evaluator.evaluate(ctx.spec().task(), held.testSamples(), p,
                ctx.spec().evaluate().k()));
    }

    private void saveIteration(StageContext ctx, FilterOutput filter, String selectedSha) {
        IterationEntity it = new IterationEntity();
        it.runId = ctx.runId();
        it.k = ctx.iteration();
        it.poolSize = filter.pool();
        it.keptSize = filter.kept();
        it.method = filter.by();
        it.selectedUri = filter.selectedUri();
        it.randomUri = filter.randomUri();
        it.selectedWeights = selectedSha;
        runs.saveIteration(it);
    }

    /**
     * The pretrained encoder with no training: test pairs ranked by the cosine of query and title embeddings.
     * Grades come from cosine cut points that reproduce the training split's label distribution.
     */
    private Map<String, Double> zeroShot(StageContext ctx, List<Sample> samples, Held held) {
        float[][][] e = models.embeddings(ctx);
        int[] train = Subsets.ofSplit(samples, Split.TRAIN);
        double[] trainCos = new double[train.length];
        double[] trainLabels = new double[train.length];
        for (int i = 0; i < train.length; i++) {
            trainCos[i] = SentenceEmbedder.cosine(e[0][train[i]], e[1][train[i]]);
            trainLabels[i] = samples.get(train[i]).label() - ctx.spec().task().minLabel();
        }
        int[] test = held.test();
        double[] testCos = new double[test.length];
        for (int i = 0; i < test.length; i++) {
            testCos[i] = SentenceEmbedder.cosine(e[0][test[i]], e[1][test[i]]);
        }
        Map<String, Double> m = new LinkedHashMap<>(ZeroShot.evaluate(ctx.spec().task(), held.testSamples(),
                testCos, trainCos, trainLabels, ctx.spec().evaluate().k()));
        m.put("train_size", 0.0);
        m.put("train_seconds", 0.0);
        return m;
    }

    private static void print(StageContext ctx, String subset, Map<String, Double> m) {
        StringBuilder sb = new StringBuilder("  " + subset + ":");
        m.forEach((name, v) -> sb.append(String.format(" %s=%.4f", name, v)));
        ctx.console().info(sb.toString());
    }
}
