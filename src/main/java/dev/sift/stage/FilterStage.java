package dev.sift.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.data.Sample;
import dev.sift.selection.RandomSubset;
import dev.sift.selection.TopFraction;
import dev.sift.store.ObjectStore;
import dev.sift.store.ScoreStore;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec.FilterSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/** Keeps the top fraction of the pool by one method's scores, and draws a random subset of the same size. */
@ApplicationScoped
public class FilterStage implements Stage {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore objects;
    @Inject
    ScoreStore scores;

    @Override
    public String name() {
        return "filter";
    }

    @Override
    public ObjectNode run(StageContext ctx) {
        FilterSpec f = ctx.spec().filter();
        List<ScoreStore.Row> rows = scores.read(ctx.runId(), ctx.iteration(), f.by());
        int[] pool = rows.stream().mapToInt(ScoreStore.Row::sampleIndex).toArray();
        double[] s = rows.stream().mapToDouble(ScoreStore.Row::score).toArray();
        int[] keptPos = new TopFraction(f.keep(), f.order() == dev.sift.selection.Order.HIGHEST).select(s);
        int[] randomPos = new RandomSubset(keptPos.length, f.seed() + ctx.iteration()).select(pool.length);
        int[] kept = map(pool, keptPos);
        int[] random = map(pool, randomPos);
        String selectedKey = ctx.runKey("selected.json");
        String randomKey = ctx.runKey("random.json");
        Subsets.write(objects, selectedKey, kept);
        Subsets.write(objects, randomKey, random);

        List<Sample> samples = ctx.samples();
        ObjectNode out = JSON.createObjectNode();
        out.put("by", f.by());
        out.put("order", f.order().key());
        out.put("pool", pool.length);
        out.put("kept", kept.length);
        out.put("selected_key", selectedKey);
        out.put("random_key", randomKey);
        out.put("selected_uri", objects.uri(selectedKey));
        out.put("random_uri", objects.uri(randomKey));
        long noisyPool = countNoisy(samples, pool);
        if (noisyPool > 0) {
            out.put("pool_noisy", noisyPool);
            out.put("selected_noisy", countNoisy(samples, kept));
            out.put("random_noisy", countNoisy(samples, random));
        }
        ctx.console().info(String.format("  kept %d of %d by %s (%s)%s", kept.length, pool.length, f.by(), f.order().key(),
                noisyPool > 0 ? String.format("; known-noisy labels: pool %d, kept %d, random %d", noisyPool,
                        out.get("selected_noisy").asLong(), out.get("random_noisy").asLong()) : ""));
        return out;
    }

    private static int[] map(int[] pool, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = pool[positions[i]];
        }
        return out;
    }

    private static long countNoisy(List<Sample> samples, int[] indices) {
        long n = 0;
        for (int i : indices) {
            if (samples.get(i).noisy()) {
                n++;
            }
        }
        return n;
    }
}
