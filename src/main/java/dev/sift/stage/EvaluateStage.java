package dev.sift.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.evaluation.Evaluator;
import dev.sift.model.Predictions;
import dev.sift.model.RelevanceTrainer;
import dev.sift.store.IterationEntity;
import dev.sift.store.ObjectStore;
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
public class EvaluateStage implements Stage {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore objects;
    @Inject
    WeightStore weights;
    @Inject
    RunStore runs;
    @Inject
    ModelFactory models;
    @Inject
    dev.sift.store.DynamicsStore dynamics;

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public ObjectNode run(StageContext ctx) {
        JsonNode ft = ctx.output("fine-tune", 0);
        JsonNode filter = ctx.output("filter", ctx.iteration());
        byte[] init = weights.get(ft.get("init_weights").asText());
        List<Sample> samples = ctx.samples();
        int[] test = Subsets.ofSplit(samples, Split.TEST);
        int[] validation = Subsets.ofSplit(samples, Split.VALIDATION);
        List<Sample> testSamples = Arrays.stream(test).mapToObj(samples::get).toList();
        RelevanceTrainer trainer = models.trainer(ctx);
        int k = ctx.spec().evaluate().k();
        ObjectNode out = JSON.createObjectNode();

        String selectedSha = null;
        for (String subset : List.of("selected", "random")) {
            int[] idx = Subsets.read(objects, filter.get(subset + "_key").asText());
            RelevanceTrainer.TrainResult r = trainer.train(init, ctx.targets(), idx, validation,
                    ctx.spec().fineTune(), TrainingProgress.of(ctx, subset));
            String sha = weights.put(r.weights(), "djl-params");
            Predictions p = trainer.predict(r.weights(), test);
            Map<String, Double> m = new LinkedHashMap<>(Evaluator.evaluate(ctx.spec().task(), testSamples, p, k));
            m.put("train_size", (double) idx.length);
            m.put("train_seconds", r.millis() / 1000.0);
            runs.replaceMetrics(ctx.runId(), ctx.iteration(), "test", subset, m);
            out.put(subset + "_weights", sha);
            print(ctx, subset, m);
            if (subset.equals("selected")) {
                selectedSha = sha;
                // the next iteration scores this subset with this model: keep how it learned each sample
                dynamics.replace(ctx.runId(), name(), ctx.iteration(), r.dynamics());
            }
        }
        if (ctx.iteration() == 1) {
            // the fine-tuned model is the full-set model: same initial weights, same settings, all of train
            String sha = ft.get("weights").asText();
            Predictions p = trainer.predict(weights.get(sha), test);
            Map<String, Double> m = new LinkedHashMap<>(Evaluator.evaluate(ctx.spec().task(), testSamples, p, k));
            m.put("train_size", ft.get("train_samples").asDouble());
            m.put("train_seconds", ft.get("train_ms").asDouble() / 1000.0);
            runs.replaceMetrics(ctx.runId(), 1, "test", "full", m);
            print(ctx, "full", m);
            if (ctx.spec().evaluate().zeroShot()) {
                Map<String, Double> z = zeroShot(ctx, samples, test, testSamples, k);
                runs.replaceMetrics(ctx.runId(), 1, "test", "zero-shot", z);
                print(ctx, "zero-shot", z);
            }
        }
        IterationEntity it = new IterationEntity();
        it.runId = ctx.runId();
        it.k = ctx.iteration();
        it.poolSize = filter.get("pool").asInt();
        it.keptSize = filter.get("kept").asInt();
        it.method = filter.get("by").asText();
        it.selectedUri = filter.get("selected_uri").asText();
        it.randomUri = filter.get("random_uri").asText();
        it.selectedWeights = selectedSha;
        runs.saveIteration(it);
        return out;
    }

    /**
     * The pretrained encoder with no training: test pairs ranked by the cosine of query and title embeddings.
     * Grades come from cosine cut points that reproduce the training split's label distribution.
     */
    private Map<String, Double> zeroShot(StageContext ctx, List<Sample> samples, int[] test, List<Sample> testSamples,
            int k) {
        float[][][] e = models.embeddings(ctx);
        int[] train = Subsets.ofSplit(samples, Split.TRAIN);
        double[] trainCos = new double[train.length];
        double[] trainLabels = new double[train.length];
        for (int i = 0; i < train.length; i++) {
            trainCos[i] = dev.sift.model.SentenceEmbedder.cosine(e[0][train[i]], e[1][train[i]]);
            trainLabels[i] = samples.get(train[i]).label() - ctx.spec().task().minLabel();
        }
        double[] testCos = new double[test.length];
        for (int i = 0; i < test.length; i++) {
            testCos[i] = dev.sift.model.SentenceEmbedder.cosine(e[0][test[i]], e[1][test[i]]);
        }
        Map<String, Double> m = new LinkedHashMap<>(dev.sift.evaluation.ZeroShot.evaluate(ctx.spec().task(),
                testSamples, testCos, trainCos, trainLabels, k));
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
