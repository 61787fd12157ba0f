package dev.sift.selection;

import com.google.auto.service.AutoService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Budgets per query and grade: within every (query, grade) stratum, keeps ceil(keep * size) from the kept end,
 * so no query loses all its pairs and every query keeps its mix of grades. The total can exceed keep * n by
 * the rounding up, at most one sample per stratum. Its control draws as many samples of every stratum at random, so
 * that kept against random measures the scores, not the balancing (a review's: against a uniform random subset a
 * win could come from keeping every query's mix of grades alone).
 */
@AutoService(SelectionPolicy.class)
public final class Stratified implements SelectionPolicy {
    @Override
    public String name() {
        return "stratified";
    }

    @Override
    public String describe() {
        return "filter.keep of every (query, grade) stratum from its kept end";
    }

    @Override
    public int[] select(Pool pool, double keep, Order order, long seed) {
        Map<String, List<Integer>> strata = new LinkedHashMap<>();
        for (int p : pool.ranked(order, seed)) {
            strata.computeIfAbsent(key(pool, p), s -> new ArrayList<>()).add(p);
        }
        List<Integer> kept = new ArrayList<>();
        for (List<Integer> s : strata.values()) {
            kept.addAll(s.subList(0, TopFraction.keptCount(s.size(), keep)));
        }
        int[] out = kept.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }

    @Override
    public Selection control(Pool pool, Selection chosen, long seed) {
        Map<String, List<Integer>> strata = new LinkedHashMap<>();
        for (int p = 0; p < pool.size(); p++) {
            strata.computeIfAbsent(key(pool, p), s -> new ArrayList<>()).add(p);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int p : chosen.positions()) {
            counts.merge(key(pool, p), 1, Integer::sum);
        }
        java.util.Random r = new java.util.Random(seed);
        List<Integer> drawn = new ArrayList<>();
        for (var e : strata.entrySet()) {
            List<Integer> members = new ArrayList<>(e.getValue());
            java.util.Collections.shuffle(members, r);
            drawn.addAll(members.subList(0, counts.getOrDefault(e.getKey(), 0)));
        }
        return Selection.subset(drawn.stream().mapToInt(Integer::intValue).sorted().toArray());
    }

    private static String key(Pool pool, int p) {
        return pool.groups()[p] + "\u0000" + pool.grades()[p];
    }
}
