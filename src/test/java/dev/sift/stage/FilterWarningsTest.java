package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sift.data.TaskSpec;
import dev.sift.data.TaskType;
import dev.sift.selection.Pool;
import dev.sift.selection.Selection;
import dev.sift.selection.Stratified;
import dev.sift.selection.Order;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A probe's kept subsets that could say nothing, and said nothing about it. */
class FilterWarningsTest {
    private static final TaskSpec BINARY = new TaskSpec(TaskType.BINARY, 0, 1);
    private static final TaskSpec STARS = new TaskSpec(TaskType.GRADED, 1, 5);

    private static Pool pool(int[] grades, String... groups) {
        String[] g = groups.length == grades.length ? groups : IntStream.range(0, grades.length).mapToObj(i -> "q" + i)
                .toArray(String[]::new);
        return new Pool(new double[grades.length], g, grades, null);
    }

    private static Selection keep(int... positions) {
        return new Selection(positions, null, null);
    }

    @Test
    void aStratifiedSelectionOfOneSampleStrataKeepsTheWholePoolAndSaysSo() {
        Pool p = pool(new int[] {0, 1, 0, 1, 1});
        Selection s = new Stratified().build(p, 0.8, Order.LOWEST, 1);
        assertEquals(5, s.positions().length, "every stratum of one rounds up to itself");
        assertEquals(List.of("stratified kept the whole pool: the kept and random subsets are the same samples, so "
                + "comparing them says nothing (keep 0.8 of every (query, grade) stratum rounds up to all of a small "
                + "one: here every stratum)"), FilterStage.subsetWarnings(BINARY, 0.8, p, s, "stratified"));
    }

    @Test
    void aKeptSetWithoutALabelOfThePoolOrWithAHandfulOfSamplesIsWarnedAbout() {
        int[] clicks = new int[40];
        Arrays.fill(clicks, 0, 12, 0);
        Arrays.fill(clicks, 12, 40, 1);
        Pool p = pool(clicks);
        int[] positives = IntStream.range(12, 40).toArray();
        assertEquals(List.of("no kept sample has label 0, which the pool has: the kept model cannot predict it (kept "
                + "labels: 1)"), FilterStage.subsetWarnings(BINARY, 0.7, p, keep(positives), "top_fraction"));
        List<String> tiny = FilterStage.subsetWarnings(BINARY, 0.01, p, keep(0, 20), "top_fraction");
        assertEquals(List.of("the kept subset has 2 samples: a model of a handful of samples says nothing about the "
                + "method, and its intervals (over test queries, not training draws) can still look decisive"), tiny);
        // labels shown in the task's units: stars 1-5 are classes 0-4
        Pool stars = pool(new int[] {0, 1, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4});
        assertEquals(List.of("no kept sample has label 1 or 2, which the pool has: the kept model cannot predict them "
                + "(kept labels: 3, 4, 5)"), FilterStage.subsetWarnings(STARS, 0.9, stars,
                        keep(2, 3, 4, 5, 6, 7, 8, 9, 10, 11), "top_fraction"));
        // nothing to say about a kept set that removed something and holds every label
        assertEquals(List.of(), FilterStage.subsetWarnings(BINARY, 0.5, p, keep(IntStream.range(5, 40).toArray()),
                "top_fraction"));
        // a weighting policy keeps the whole pool by design
        assertEquals(List.of(), FilterStage.subsetWarnings(BINARY, 0.5, p, new Selection(IntStream.range(0, 40)
                .toArray(), new double[40], null), "weighted"));
    }

    /** A probe's click log: weights by lowest EL2N gave the few clicks almost no weight, and nothing said so. */
    @Test
    void weightsThatStarveALabelAreWarnedAbout() {
        int[] clicks = new int[100];
        Arrays.fill(clicks, 97, 100, 1); // 3% positives
        Pool p = pool(clicks);
        int[] all = IntStream.range(0, 100).toArray();
        double[] w = new double[100];
        Arrays.fill(w, 0, 97, 100.0 / 97.04);
        Arrays.fill(w, 97, 100, 0.01); // 0.03 of 100: 0.03% of the weight
        assertEquals(List.of("the weights starve label 1 0.03% of the weight (3.00% of the samples): the weighted "
                + "model learns little of it; the method's scores may follow the label (order them the other way, or "
                + "choose another policy)"), FilterStage.subsetWarnings(BINARY, 0.5, p, new Selection(all, w, null),
                        "weighted"));
        // at a third of its share (above a quarter) nothing is said; nor for regression, which has no labels to starve
        Arrays.fill(w, 97, 100, 0.34);
        assertEquals(List.of(), FilterStage.subsetWarnings(BINARY, 0.5, p, new Selection(all, w, null), "weighted"));
        Arrays.fill(w, 97, 100, 0.01);
        assertEquals(List.of(), FilterStage.subsetWarnings(new TaskSpec(TaskType.REGRESSION, 0, 1), 0.5, p,
                new Selection(all, w, null), "weighted"));
    }

    /** A probe's drop_mixture on a regression task kept 13% of the pool and said nothing. */
    @Test
    void aPolicyThatSizesItselfAndRemovesMoreThanHalfThePoolIsWarnedAbout() {
        Pool p = pool(new int[100]);
        assertEquals(List.of("drop_mixture kept 13 of 100 (13%): it removed more than half the pool; unless most labels "
                + "are wrong, most of what it removed is hard, rare or ambiguous samples, not noise; see the scores' "
                + "histogram in sift report"), FilterStage.subsetWarnings(
                        new TaskSpec(TaskType.REGRESSION, 0, 1), 0.5, p, keep(IntStream.range(0, 13).toArray()),
                        "drop_mixture"));
        assertEquals(List.of(), FilterStage.subsetWarnings(BINARY, 0.5, p, keep(IntStream.range(0, 50).toArray()),
                "drop_flagged"), "half kept: nothing to say");
        assertEquals(List.of(), FilterStage.subsetWarnings(BINARY, 0.3, p, keep(IntStream.range(0, 30).toArray()),
                "top_fraction"), "a fraction policy keeps what it was asked to");
    }

    /**
     * A kept end opposite to the method's own is said; flag policies, which read no order, are not warned, unless a
     * candidate beside them reads one.
     */
    @Test
    void aKeptEndOppositeToTheMethodsOwnIsSaid() {
        var dropGroups = List.of(dev.sift.selection.SelectionPolicies.find("drop_groups").orElseThrow());
        var w = FilterStage.orderWarning("label_quality", Order.LOWEST, dropGroups);
        assertEquals(true, w.isPresent());
        assertEquals(true, w.get().startsWith("filter.order lowest is the opposite of label_quality's own keep end "
                + "(highest; higher = predictions agree with the given grade (clean)"), w.get());
        assertEquals(true, w.get().endsWith("it favours what the method ranks last, as meant for keeping hard samples "
                + "or a check, not for cleaning labels; a filter.order written for another method stays when "
                + "filter.by changes"), w.get());
        assertEquals(java.util.Optional.empty(), FilterStage.orderWarning("label_quality", Order.HIGHEST, dropGroups));
        var top = List.of(dev.sift.selection.SelectionPolicies.find("top_fraction").orElseThrow());
        assertEquals(true, FilterStage.orderWarning("el2n", Order.HIGHEST, top).orElseThrow()
                .startsWith("filter.order highest is the opposite of el2n's own keep end (lowest; "));
        assertEquals(java.util.Optional.empty(), FilterStage.orderWarning("el2n", Order.LOWEST, top));
        var flags = dev.sift.selection.SelectionPolicies.find("drop_flagged").orElseThrow();
        assertEquals(java.util.Optional.empty(), FilterStage.orderWarning("label_quality", Order.LOWEST,
                List.of(flags)));
        assertEquals(true, FilterStage.orderWarning("label_quality", Order.LOWEST, List.of(flags, top.get(0)))
                .isPresent(), "a candidate that reads the order");
        assertEquals(java.util.Optional.empty(), FilterStage.orderWarning(null, Order.LOWEST, top));
    }

    /**
     * A pool kept whole and unchanged ends the iterations; one kept whole with weights or labels changed does not, nor a
     * choice among candidates (the next iteration may choose another), nor a stored output without a reason (a run
     * stored before the rule resumes as it began).
     */
    @Test
    void aPoolKeptWholeAndUnchangedEndsTheIterations() {
        int[] all = IntStream.range(0, 1680).toArray();
        String reason = FilterStage.stop("drop_groups", 1680, keep(all), false);
        assertEquals("nothing left to filter: drop_groups kept the whole pool (1680 samples) and changed no label or "
                + "weight, so a next iteration would filter the same samples with the same labels", reason);
        assertEquals(null, FilterStage.stop("drop_groups", 1680, keep(Arrays.copyOf(all, 1640)), false));
        double[] w = new double[1680];
        Arrays.fill(w, 1);
        assertEquals(null, FilterStage.stop("weighted", 1680, new Selection(all, w, null), false));
        assertEquals(null, FilterStage.stop("relabel", 1680, new Selection(all, null, new int[1680]), false));
        int[] none = new int[1680];
        Arrays.fill(none, -1); // a relabelling that replaced no label: the same samples and labels again
        assertEquals(reason.replace("drop_groups", "relabel"), FilterStage.stop("relabel", 1680, new Selection(all,
                null, none), false));
        assertEquals(null, FilterStage.stop("drop_groups", 1680, keep(all), true), "chosen among candidates");
        assertEquals(null, FilterStage.stop("top_fraction", 0, keep(), false));
        FilterStage stage = new FilterStage();
        StageOutputs.FilterOutput stored = new StageOutputs.FilterOutput("label_quality", "highest", 1680, 1680, "s",
                "r", "s3://s", "s3://r", null, null, null, null, "drop_groups", null);
        assertEquals(java.util.Optional.empty(), stage.endsIterations(stored), "stored before the rule");
        StageOutputs.FilterOutput withReason = new StageOutputs.FilterOutput("label_quality", "highest", 1680, 1680,
                "s", "r", "s3://s", "s3://r", null, null, null, null, "drop_groups", null, reason);
        assertEquals(java.util.Optional.of(reason), stage.endsIterations(withReason));
    }
}
