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
 * the rounding up, at most one sample per stratum.
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
            strata.computeIfAbsent(pool.groups()[p] + "\u0000" + pool.grades()[p], s -> new ArrayList<>()).add(p);
        }
        List<Integer> kept = new ArrayList<>();
        for (List<Integer> s : strata.values()) {
            kept.addAll(s.subList(0, TopFraction.keptCount(s.size(), keep)));
        }
        int[] out = kept.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(out);
        return out;
    }
}
