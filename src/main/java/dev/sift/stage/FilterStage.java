package dev.sift.stage;

import dev.sift.store.RunCopy;
import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.selection.Pool;
import dev.sift.selection.RandomSubset;
import dev.sift.selection.Selection;
import dev.sift.selection.SelectionPolicies;
import dev.sift.selection.SelectionPolicy;
import dev.sift.stage.StageOutputs.CandidateScore;
import dev.sift.stage.StageOutputs.FilterOutput;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunLayout;
import dev.sift.store.ScoreStore;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec;
import dev.sift.workflow.WorkflowSpec.FilterSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps the top fraction of the pool by one method's scores, and draws a random subset of the same size. */
@ApplicationScoped
public class FilterStage implements Stage<FilterOutput> {
    @Inject
    RunCopy copy;
    @Inject
    dev.sift.store.RunStore runs;
    @Inject
    ObjectStore objects;
    @Inject
    ScoreStore scores;
    @Inject
    RunInputs inputs;
    @Inject
    PolicyChoice choice;

    /** Relevance tasks; recommendation has its own stages ({@code Rec*Stage}). */
    @Override
    public boolean enabled(WorkflowSpec spec) {
        return !spec.task().recommendation();
    }

    @Override
    public String name() {
        return RunLayout.FILTER;
    }

    @Override
    public Scope scope() {
        return Scope.EACH_ITERATION;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public Class<FilterOutput> outputType() {
        return FilterOutput.class;
    }

    @Override
    public List<String> specSections() {
        return List.of("task", "split", "model", "fine_tune", "score", "filter", "evaluate");
    }

    @Override
    public boolean cacheable() {
        return true;
    }

    /** The reason stored by {@link #stop}: read back on resume, so a resumed run ends where the first one did. */
    @Override
    public java.util.Optional<String> endsIterations(FilterOutput o) {
        return java.util.Optional.ofNullable(o.stop());
    }

    /**
     * Why the iterations end after this one: the policy kept the whole pool and changed no weight or label, so a next
     * iteration would filter the same samples with the same labels (stop 61: the quickstart's second iteration kept
     * its whole pool on 11 of 13 noise seeds and trained kept and random models on the same samples; each further
     * iteration would have repeated it). Not with {@code filter.candidates}, whose next choice may differ. This
     * iteration is still evaluated. Null to go on.
     */
    static String stop(String policy, int pool, Selection chosen, boolean chooses) {
        boolean changed = chosen.relabelled() > 0 || chosen.weights() != null; // a relabelling that replaced none: not
        return chooses || pool == 0 || chosen.positions().length < pool || changed ? null : String.format(
                "nothing left to filter: %s kept the whole pool (%d samples) and changed no label or weight, so a next "
                        + "iteration would filter the same samples with the same labels", policy, pool);
    }

    /**
     * The subsets it wrote are still in S3: a probe moved every run's objects away and a later run reused this step
     * with nothing to copy, so the run succeeded with no kept or random subset behind it.
     */
    @Override
    public boolean intact(StageContext ctx, FilterOutput output) {
        return stored(objects, output.selectedKey(), output.randomKey(), output.randomTrainKey());
    }

    /** Whether each of a filter's subset {@code keys} (null: none written) is in S3; the recommendation filter's too. */
    static boolean stored(ObjectStore objects, String... keys) {
        return java.util.Arrays.stream(keys).filter(java.util.Objects::nonNull).allMatch(objects::exists);
    }

    /** The kept, random and random-from-train subsets. */
    @Override
    public void adopt(StageContext ctx, long from) {
        int k = ctx.iteration();
        copy.objects(from, ctx.runId(), List.of(RunLayout.selected(from, k), RunLayout.random(from, k),
                RunLayout.iteration(from, k, "random-train.json")));
        // the lineage row (its kept model's weights too: the cache key holds the evaluate section, so the same)
        copy.rows(from, ctx.runId(), List.of(new RunCopy.Rows("iteration", "k = ?", k)));
        runs.notePicks(ctx.runId());
    }

    /**
     * The lineage row of an iteration: filter writes it when it has kept its subset ({@code weights} null), so a
     * run stopped in evaluate still shows what was kept; evaluate writes it again with the kept model's weights.
     */
    static dev.sift.store.IterationEntity iterationRow(StageContext ctx, FilterOutput filter, Subsets.Training kept,
            String weights) {
        return iterationRow(ctx, filter.pool(), filter.kept(), filter.by(), filter.selectedUri(), filter.randomUri(),
                filter.policy(), filter.candidates() == null ? null : filter.candidates().size(), filter.order(), kept,
                weights);
    }

    /**
     * The lineage row of an iteration, for search and recommendation filters alike: the policy is written as
     * validation's pick when it was chosen among {@code candidates} of them (null: no candidates).
     */
    static dev.sift.store.IterationEntity iterationRow(StageContext ctx, int pool, int keptSize, String by,
            String selectedUri, String randomUri, String policy, Integer candidates, String order,
            Subsets.Training kept, String weights) {
        dev.sift.store.IterationEntity it = new dev.sift.store.IterationEntity();
        it.runId = ctx.runId();
        it.k = ctx.iteration();
        it.poolSize = pool;
        it.keptSize = keptSize;
        it.method = by;
        it.selectedUri = selectedUri;
        it.randomUri = randomUri;
        it.selectedWeights = weights;
        it.parent = ctx.iteration() - 1;
        it.subsetDigest = Subsets.digest(kept);
        it.policy = candidates == null ? policy : dev.sift.store.RunStore.pick(policy, candidates);
        it.order = order;
        return it;
    }

    @Override
    public FilterOutput run(StageContext ctx) {
        FilterSpec f = ctx.spec().filter();
        List<ScoreStore.Row> rows = scores.read(ctx.runId(), ctx.iteration(), f.by());
        int[] pool = rows.stream().mapToInt(ScoreStore.Row::sampleIndex).toArray();
        double[] s = rows.stream().mapToDouble(ScoreStore.Row::score).toArray();
        List<String> names = f.chooses() ? f.candidates() : List.of(f.policy());
        Pool view = pool(ctx, pool, s, names.stream().anyMatch(n -> policy(n).needsFlags()));
        List<CandidateScore> candidates = f.chooses() ? candidates(ctx, pool, view) : null;
        SelectionPolicy policy = policy(candidates == null ? f.policy() : PolicyChoice.best(candidates).policy());
        Selection chosen = policy.build(view, f.keep(), f.order(), f.seed() + ctx.iteration());
        Selection control = policy.control(view, chosen, f.seed() + ctx.iteration());
        int[] kept = map(pool, chosen.positions());
        int[] random = map(pool, control.positions());
        String selectedKey = RunLayout.selected(ctx.runId(), ctx.iteration());
        String randomKey = RunLayout.random(ctx.runId(), ctx.iteration());
        Subsets.write(objects, selectedKey, new Subsets.Training(kept, chosen.weights(), chosen.labels()));
        Subsets.write(objects, randomKey, new Subsets.Training(random, control.weights(), control.labels()));
        describeAdjustments(ctx, chosen, control);
        List<Sample> samples = inputs.samples(ctx);
        String randomTrainKey = null;
        if (ctx.iteration() > 1) {
            // from iteration 2 the pool is the previous kept set: also draw the same size from the whole training
            // split, so the kept subset is compared with what chance gives at its cumulative size
            int[] train = Subsets.ofSplit(samples, Split.TRAIN);
            int[] drawn = map(train, new RandomSubset(kept.length, f.seed() + 1000L * ctx.iteration())
                    .select(train.length));
            randomTrainKey = RunLayout.iteration(ctx.runId(), ctx.iteration(), "random-train.json");
            Subsets.write(objects, randomTrainKey, drawn);
        }

        long noisyPool = countNoisy(samples, pool);
        boolean known = noisyPool > 0;
        FilterOutput out = new FilterOutput(f.by(), f.order().key(), pool.length, kept.length, selectedKey, randomKey,
                objects.uri(selectedKey), objects.uri(randomKey), known ? noisyPool : null,
                known ? countNoisy(samples, kept) : null, known ? countNoisy(samples, random) : null, randomTrainKey,
                policy.name(), candidates, stop(policy.name(), pool.length, chosen, f.chooses()));
        runs.saveIteration(iterationRow(ctx, out, new Subsets.Training(kept, chosen.weights(), chosen.labels()),
                null));
        ctx.console().info(String.format("  kept %d of %d by %s (%s, %s)%s", kept.length, pool.length, f.by(),
                f.order().key(), policy.name(), known ? String.format("; known-noisy labels: pool %d, kept %d, random %d", noisyPool,
                        out.selectedNoisy(), out.randomNoisy()) : ""));
        java.util.Optional.ofNullable(policy.verdict(view, f.order())).ifPresent(v -> ctx.console().info("  " + v));
        subsetWarnings(ctx.spec().task(), f.keep(), view, chosen, policy.name())
                .forEach(w -> ctx.console().info("  warning: " + w));
        if (ctx.iteration() == 1) {
            orderWarning(f.by(), f.order(), names.stream().map(FilterStage::policy).toList())
                    .ifPresent(w -> ctx.console().info("  warning: " + w));
        }
        return out;
    }

    /**
     * A kept end opposite to the method's own: right when meant (keeping what the method ranks last, hard samples, a
     * check), wrong for cleaning labels, and easy to get by accident (a workflow's explicit {@code filter.order} for
     * EL2N stays when {@code --set filter.by=label_quality} changes the method: stop 60's CrowdFlower run kept the
     * noisy end so). Said in the first iteration only; policies that act on confident learning's flags read no order,
     * so it is said when any policy of the run (the candidates too) reads one.
     */
    static java.util.Optional<String> orderWarning(String by, dev.sift.selection.Order order,
            List<SelectionPolicy> policies) {
        if (by == null || policies.stream().allMatch(SelectionPolicy::needsFlags)) {
            return java.util.Optional.empty();
        }
        return dev.sift.importance.ImportanceMethods.find(by)
                .filter(m -> !m.orientation().keepEnd().equals(order.key()))
                .map(m -> "filter.order " + order.key() + " is the opposite of " + by + "'s own keep end ("
                        + m.orientation().keepEnd() + "; " + m.meaning()
                        + "): it favours what the method ranks last, as meant for keeping hard samples or a check, not "
                        + "for cleaning labels; a filter.order written for another method stays when filter.by changes");
    }

    /** The fewest samples a kept subset trains on before it is warned about (as a curve point refuses below it). */
    static final int FEW = 10;

    /**
     * Warns about a kept subset whose comparison cannot say much (a probe's): the whole pool (nothing removed, so
     * kept, random and the pool train alike), a handful of samples, or a label of the pool that no kept sample has (a
     * binary pool kept with positives only, where the kept model can only answer yes).
     */
    static List<String> subsetWarnings(dev.sift.data.TaskSpec task, double keep, Pool view, Selection chosen,
            String policy) {
        List<String> out = new java.util.ArrayList<>();
        int kept = chosen.positions().length;
        if (kept == view.size() && !chosen.adjusted()) {
            out.add(policy + " kept the whole pool: the kept and random subsets are the same samples, so comparing "
                    + "them says nothing" + (policy.equals("stratified") ? " (keep " + keep + " of every (query, "
                    + "grade) stratum rounds up to all of a small one: here every stratum)" : ""));
        } else if (kept < FEW) {
            out.add("the kept subset has " + kept + " samples: a model of a handful of samples says nothing about the "
                    + "method, and its intervals (over test queries, not training draws) can still look decisive");
        }
        if (kept >= FEW && 2 * kept < view.size() && SelectionPolicies.find(policy).map(p -> !p.takesFraction())
                .orElse(false)) { // a probe's drop_mixture on a regression task kept 241 of 1,806, silently
            out.add(String.format(java.util.Locale.ROOT, "%s kept %d of %d (%.0f%%): it removed more than half the "
                    + "pool; unless most labels are wrong, most of what it removed is hard, rare or ambiguous "
                    + "samples, not noise; see the scores' histogram in sift report", policy, kept, view.size(),
                    100.0 * kept / view.size()));
        }
        if (!task.classification() || kept == 0) {
            return out;
        }
        java.util.TreeSet<Integer> missing = new java.util.TreeSet<>();
        java.util.TreeSet<Integer> inKept = new java.util.TreeSet<>();
        java.util.Arrays.stream(view.grades()).forEach(missing::add);
        java.util.Arrays.stream(chosen.positions()).forEach(p -> inKept.add(view.grades()[p]));
        missing.removeAll(inKept);
        if (!missing.isEmpty()) {
            java.util.function.Function<java.util.Set<Integer>, List<String>> labels = cs -> cs.stream()
                    .map(c -> dev.sift.data.Text.number(task.minLabel() + c)).toList();
            out.add("no kept sample has label " + String.join(" or ", labels.apply(missing)) + ", which the pool has: "
                    + "the kept model cannot predict " + (missing.size() == 1 ? "it" : "them") + " (kept labels: "
                    + String.join(", ", labels.apply(inKept)) + ")");
        }
        starved(task, view, chosen).ifPresent(out::add);
        return out;
    }

    /**
     * A label whose share of a weighted subset's total weight is under a quarter of its share of the samples (a
     * probe's click log: the 2.9% clicks held 0.12% of the weight under weights by lowest EL2N, said nowhere).
     */
    static java.util.Optional<String> starved(dev.sift.data.TaskSpec task, Pool view, Selection chosen) {
        double[] w = chosen.weights();
        int[] pos = chosen.positions();
        if (w == null || pos.length == 0) {
            return java.util.Optional.empty();
        }
        java.util.TreeMap<Integer, double[]> by = new java.util.TreeMap<>(); // label: samples, weight
        double total = 0;
        for (int i = 0; i < pos.length; i++) {
            double[] a = by.computeIfAbsent(view.grades()[pos[i]], k -> new double[2]);
            a[0]++;
            a[1] += w[i];
            total += w[i];
        }
        List<String> said = new java.util.ArrayList<>();
        for (var e : total > 0 ? by.entrySet() : java.util.Set.<java.util.Map.Entry<Integer, double[]>>of()) {
            double samples = e.getValue()[0] / pos.length;
            double weight = e.getValue()[1] / total;
            if (weight < samples / 4) {
                said.add(String.format(java.util.Locale.ROOT, "label %s %.2f%% of the weight (%.2f%% of the samples)",
                        dev.sift.data.Text.number(task.minLabel() + e.getKey()), 100 * weight, 100 * samples));
            }
        }
        return !task.classification() || said.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of("the "
                + "weights starve " + String.join(", ", said) + ": the weighted model learns little of "
                + (said.size() == 1 ? "it" : "them") + "; the method's scores may follow the label (order them the "
                + "other way, or choose another policy)");
    }

    private static SelectionPolicy policy(String name) {
        return SelectionPolicies.find(name).orElseThrow();
    }

    /** Each candidate's training set, trained and measured on the validation split; prints the choice. */
    private List<CandidateScore> candidates(StageContext ctx, int[] pool, Pool view) {
        FilterSpec f = ctx.spec().filter();
        Map<String, Subsets.Training> built = new LinkedHashMap<>();
        for (String name : f.candidates()) {
            Selection s = policy(name).build(view, f.keep(), f.order(), f.seed() + ctx.iteration());
            built.put(name, new Subsets.Training(map(pool, s.positions()), s.weights(), s.labels()));
        }
        List<CandidateScore> scores = choice.score(ctx, built);
        CandidateScore best = PolicyChoice.best(scores);
        StringBuilder sb = new StringBuilder();
        Map<String, Double> byPolicy = new LinkedHashMap<>();
        for (CandidateScore c : scores) {
            sb.append(String.format("%s %s %.4f (%d samples)", sb.length() == 0 ? "" : ",", c.policy(),
                    c.validation(), c.kept()));
            byPolicy.put(c.policy(), c.validation());
        }
        ctx.console().info(String.format("  validation picked %s by %s:%s%s", best.policy(), best.metric(), sb,
                PolicyChoice.tie(byPolicy, best.policy())));
        return scores;
    }

    /** The policy's view of the pool: scores, queries, grades and (when it needs them) the flags. */
    Pool pool(StageContext ctx, int[] pool, double[] scores, boolean withFlags) {
        List<Sample> samples = inputs.samples(ctx);
        int[] classes = inputs.targets(ctx).classes();
        String[] groups = new String[pool.length];
        int[] grades = new int[pool.length];
        for (int i = 0; i < pool.length; i++) {
            groups[i] = samples.get(pool[i]).group();
            grades[i] = classes[pool[i]];
        }
        boolean[] flagged = null;
        int[] suggested = null;
        if (withFlags) {
            Map<Integer, Integer> f = this.scores.suggestions(ctx.runId(), ctx.iteration());
            flagged = new boolean[pool.length];
            suggested = new int[pool.length];
            for (int i = 0; i < pool.length; i++) {
                flagged[i] = f.containsKey(pool[i]);
                suggested[i] = f.getOrDefault(pool[i], -1);
            }
        }
        return new Pool(scores, groups, grades, flagged, suggested);
    }

    /** What a weighting or relabelling policy changed, beside what its control changed. */
    private static void describeAdjustments(StageContext ctx, Selection chosen, Selection control) {
        if (chosen.weights() != null) {
            double[] w = chosen.weights().clone();
            java.util.Arrays.sort(w);
            ctx.console().info(String.format("  loss weights (mean 1): min %.3f, median %.3f, max %.3f; %d at 0; "
                    + "the random control trains the same weights shuffled", w[0], w[w.length / 2], w[w.length - 1],
                    java.util.Arrays.stream(w).filter(v -> v == 0).count()));
        }
        if (chosen.labels() != null) {
            ctx.console().info(String.format("  relabelled %d samples to the suggested grade; the random control "
                    + "relabels %d random samples", chosen.relabelled(), control.relabelled()));
        }
    }

    static int[] map(int[] pool, int[] positions) {
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
