package dev.sift.selection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Small pools where the groups to drop are known. */
class DropGroupsTest {
    /** {@code groups} groups of {@code size}; the first {@code bad} groups' scores sit near -3, the rest near 0. */
    private static Pool pool(int groups, int size, int bad, long seed) {
        Random r = new Random(seed);
        double[] s = new double[groups * size];
        String[] g = new String[s.length];
        for (int i = 0; i < s.length; i++) {
            int q = i % groups; // interleaved, as a file need not be sorted by query
            g[i] = "q" + q;
            s[i] = (q < bad ? -3 : 0) + r.nextGaussian();
        }
        return new Pool(s, g, new int[s.length], null);
    }

    private static boolean inBadGroup(Pool p, int position, int bad) {
        return Integer.parseInt(p.groups()[position].substring(1)) < bad;
    }

    @Test
    void dropsTheGroupsWhoseMeanScoreSitsAtTheRemovedEnd() {
        Pool p = pool(40, 10, 6, 1);
        int[] kept = new DropGroups().select(p, 0.5, Order.HIGHEST, 0);
        assertEquals(340, kept.length);
        assertTrue(Arrays.stream(kept).noneMatch(i -> inBadGroup(p, i, 6)));
        // single samples as low as the bad groups' do not take a good group with them: the group's mean decides
        int lowGood = IntStream.range(0, p.size()).filter(i -> !inBadGroup(p, i, 6) && p.scores()[i] < -2)
                .findFirst().orElseThrow();
        assertTrue(Arrays.stream(kept).anyMatch(i -> i == lowGood));
        // the other orientation: keeping the lowest, the good groups (the majority) would be the removed end
        assertEquals(p.size(), new DropGroups().select(p, 0.5, Order.LOWEST, 0).length);
    }

    @Test
    void keepsEverythingWithTooFewGroupsOrWhenMostGroupsAreAtTheRemovedEnd() {
        Pool few = pool(DropGroups.MIN_GROUPS - 1, 10, 4, 2);
        assertEquals(few.size(), new DropGroups().select(few, 0.5, Order.HIGHEST, 0).length);
        Pool enough = pool(DropGroups.MIN_GROUPS, 10, 4, 2);
        assertEquals(enough.size() - 40, new DropGroups().select(enough, 0.5, Order.HIGHEST, 0).length);
        // 30 of 40 groups low: noise is taken to be the minority, nothing is dropped
        Pool most = pool(40, 10, 30, 3);
        assertEquals(most.size(), new DropGroups().select(most, 0.5, Order.HIGHEST, 0).length);
    }

    /**
     * Group means at the quantiles of one Gaussian (no group wrong, only some harder), its last few cut off: the
     * mixture still splits off a removed-end tail (about a quarter) and would drop it; one Gaussian fits as well by
     * BIC, so nothing is dropped. Two separated clusters of groups pass the test and lose the minority one.
     */
    @Test
    void aPoolWhoseGroupMeansOneGaussianFitsLosesNoGroup() {
        int groups = 80;
        double[] s = new double[groups * 5];
        String[] g = new String[s.length];
        for (int i = 0; i < s.length; i++) {
            g[i] = "q" + i % groups;
            s[i] = -normalQuantile((i % groups + 0.5) / 84); // kept at the highest: the removed end is -s
        }
        Pool p = new Pool(s, g, new int[s.length], null);
        double[] means = IntStream.range(0, groups).mapToDouble(q -> normalQuantile((q + 0.5) / 84)).toArray();
        DropMixture.Fit f = DropMixture.fit(means);
        assertTrue(f.minority() && Arrays.stream(means).filter(f::removes).count() > 10,
                "the mixture alone would drop a tail: " + f);
        assertTrue(f.bicGain(means) < 0, "one Gaussian fits: " + f.bicGain(means));
        assertEquals(p.size(), new DropGroups().select(p, 0.5, Order.HIGHEST, 0).length);
        assertTrue(new DropGroups().verdict(p, Order.HIGHEST).matches("drop_groups: 80 group means: the removed-end "
                + "component weighs 0\\.\\d\\d, two components fit them no better than one by BIC "
                + "\\(gain -\\d+\\.\\d\\); no group dropped"), new DropGroups().verdict(p, Order.HIGHEST));
        Pool twoClusters = pool(80, 20, 10, 9);
        assertEquals(70 * 20, new DropGroups().select(twoClusters, 0.5, Order.HIGHEST, 0).length);
        assertTrue(new DropGroups().verdict(twoClusters, Order.HIGHEST).matches(".*better than one by BIC \\(gain "
                + "\\+\\d+\\.\\d\\); 10 groups dropped"), new DropGroups().verdict(twoClusters, Order.HIGHEST));
        Pool most = pool(40, 10, 30, 3);
        assertTrue(new DropGroups().verdict(most, Order.HIGHEST).endsWith("more than half at the removed end is not "
                + "taken for errors: no group dropped"), new DropGroups().verdict(most, Order.HIGHEST));
        Pool few = pool(DropGroups.MIN_GROUPS - 1, 10, 4, 2);
        assertEquals("drop_groups: 19 scored groups, too few to fit two components to (at least 20); no group "
                + "dropped", new DropGroups().verdict(few, Order.HIGHEST));
    }

    /** The standard normal's quantile, by bisection on its distribution function (erf to 1.5e-7, A&S 7.1.26). */
    private static double normalQuantile(double q) {
        double lo = -10;
        double hi = 10;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            double z = Math.abs(mid) / Math.sqrt(2);
            double t = 1 / (1 + 0.3275911 * z);
            double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                    + t * 1.061405429)))) * Math.exp(-z * z);
            double cdf = 0.5 * (1 + Math.signum(mid) * erf);
            if (cdf < q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    @Test
    void unscoredSamplesAreDroppedAndAGroupWithoutScoresWhole() {
        Pool p = pool(40, 10, 6, 4);
        double[] s = p.scores().clone();
        s[6] = Double.NaN; // one sample of good group q6
        for (int i = 7; i < s.length; i += 40) {
            s[i] = Double.NaN; // every sample of good group q7
        }
        Pool withNan = new Pool(s, p.groups(), p.grades(), null);
        int[] kept = new DropGroups().select(withNan, 0.5, Order.HIGHEST, 0);
        assertEquals(340 - 1 - 10, kept.length);
        assertFalse(Arrays.stream(kept).anyMatch(i -> Double.isNaN(s[i])));
        assertTrue(Arrays.stream(kept).anyMatch(i -> i == 46), "the rest of q6 stays");
        assertTrue(new DropGroups().verdict(withNan, Order.HIGHEST).endsWith("; 6 groups dropped; 11 samples without "
                + "a score dropped"), new DropGroups().verdict(withNan, Order.HIGHEST));
    }

    @Test
    void theRandomControlDrawsWholeGroupsToTheSameSize() {
        Pool p = pool(40, 10, 6, 5);
        DropGroups policy = new DropGroups();
        Selection chosen = Selection.subset(IntStream.range(0, 335).toArray()); // a size no whole groups make
        Selection control = policy.control(p, chosen, 9);
        assertEquals(335, control.positions().length);
        Map<String, Integer> perGroup = new HashMap<>();
        Arrays.stream(control.positions()).forEach(i -> perGroup.merge(p.groups()[i], 1, Integer::sum));
        assertEquals(34, perGroup.size(), "33 whole groups and one cut to size");
        assertEquals(1, perGroup.values().stream().filter(c -> c != 10).count());
        assertArrayEquals(control.positions(), policy.control(p, chosen, 9).positions(), "drawn from the seed");
        assertFalse(Arrays.equals(control.positions(), policy.control(p, chosen, 10).positions()));
    }

    /**
     * Positive scores kept at their lowest (losses) are read on their logarithm, as drop_mixture reads them, and a
     * group's mean is taken over its scored samples only.
     */
    @Test
    void positiveScoresAreReadOnTheirLogarithmAndMeansSkipUnscoredSamples() {
        Pool p = pool(40, 10, 6, 6);
        double[] losses = Arrays.stream(p.scores()).map(v -> Math.exp(-v)).toArray(); // bad groups: high losses
        int[] kept = new DropGroups().select(new Pool(losses, p.groups(), p.grades(), null), 0.5, Order.LOWEST, 0);
        assertEquals(340, kept.length);
        assertTrue(Arrays.stream(kept).noneMatch(i -> inBadGroup(p, i, 6)));
        // one good group with 9 of its 10 samples unscored and one high score: its mean is that score, so it goes;
        // counting the unscored as 0 would have kept it
        double[] s = p.scores().clone();
        for (int i = 8; i < s.length; i += 40) {
            s[i] = i == 8 ? -3 : Double.NaN;
        }
        int[] keptNan = new DropGroups().select(new Pool(s, p.groups(), p.grades(), null), 0.5, Order.HIGHEST, 0);
        assertFalse(Arrays.stream(keptNan).anyMatch(i -> p.groups()[i].equals("q8")));
    }

    @Test
    void theFloorCountsScoredGroupsAndEmptyPoolsKeepNothing() {
        Pool p = pool(DropGroups.MIN_GROUPS, 10, 4, 7);
        double[] s = p.scores().clone();
        for (int i = 19; i < s.length; i += DropGroups.MIN_GROUPS) {
            s[i] = Double.NaN; // group q19 unscored: 19 scored groups, too few to fit
        }
        int[] kept = new DropGroups().select(new Pool(s, p.groups(), p.grades(), null), 0.5, Order.HIGHEST, 0);
        assertEquals(p.size() - 10, kept.length);
        DropGroups policy = new DropGroups();
        Pool empty = new Pool(new double[0], new String[0], new int[0], null);
        assertEquals(0, policy.select(empty, 0.5, Order.HIGHEST, 0).length);
        Pool unscored = new Pool(new double[] {Double.NaN, Double.NaN}, new String[] {"a", "b"}, new int[2], null);
        assertEquals(0, policy.select(unscored, 0.5, Order.HIGHEST, 0).length);
        assertEquals("drop_groups: 0 scored groups, too few to fit two components to (at least 20); no group dropped; 2 "
                + "samples without a score dropped", policy.verdict(unscored, Order.HIGHEST));
        double[] equal = new double[p.size()];
        Arrays.fill(equal, 0.5);
        Pool flat = new Pool(equal, p.groups(), p.grades(), null);
        assertEquals(p.size(), policy.select(flat, 0.5, Order.HIGHEST, 0).length);
        assertTrue(policy.verdict(flat, Order.HIGHEST).startsWith("drop_groups: the 20 group means admit no "
                + "two-component fit"), policy.verdict(flat, Order.HIGHEST));
        double[] infinite = p.scores().clone();
        infinite[0] = Double.NEGATIVE_INFINITY; // a bad group's sample: its mean is infinite, nothing can be fitted
        Pool inf = new Pool(infinite, p.groups(), p.grades(), null);
        assertEquals(p.size(), policy.select(inf, 0.5, Order.HIGHEST, 0).length);
        assertEquals("drop_groups: a group's mean score is infinite, so no mixture can be fitted; no group dropped",
                policy.verdict(inf, Order.HIGHEST));
        assertEquals(0, policy.control(p, Selection.subset(new int[0]), 1).positions().length);
        int[] all = IntStream.range(0, p.size()).toArray();
        assertArrayEquals(all, policy.control(p, Selection.subset(all), 1).positions());
    }
}
