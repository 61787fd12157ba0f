package dev.sift.recommend;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A prepared recommendation dataset as indexes: users and items numbered in order of first appearance among the
 * samples (every item that occurs in any split is ranked: the item universe of full-ranking evaluation), each
 * sample's user and item, each user's validation and test target, and the items a user is known to have interacted
 * with before a target (never ranked for it). Samples come user by user in time order ({@code InteractionIngestor}),
 * so a user's training rows in index order are in time order.
 */
public final class Interactions {
    private final List<Sample> samples;
    private final int[] userOf;
    private final int[] itemOf;
    private final List<String> itemKeys = new ArrayList<>();
    private final List<String> itemTexts = new ArrayList<>();
    private final int users;
    private final int[] validationTarget;
    private final int[] testTarget;
    private final int[] trainRows;

    private Interactions(List<Sample> samples) {
        this.samples = samples;
        int n = samples.size();
        userOf = new int[n];
        itemOf = new int[n];
        Map<String, Integer> userIds = new HashMap<>();
        Map<String, Integer> itemIds = new LinkedHashMap<>();
        for (int s = 0; s < n; s++) {
            Sample x = samples.get(s);
            if (x.index() != s) {
                throw new IllegalArgumentException("sample " + s + " has index " + x.index());
            }
            String key = x.item() == null ? x.title() : x.item();
            userOf[s] = userIds.computeIfAbsent(x.group(), g -> userIds.size());
            Integer item = itemIds.get(key);
            if (item == null) {
                item = itemIds.size();
                itemIds.put(key, item);
                itemKeys.add(key);
                itemTexts.add(x.title());
            }
            itemOf[s] = item;
        }
        users = userIds.size();
        validationTarget = new int[users];
        testTarget = new int[users];
        Arrays.fill(validationTarget, -1);
        Arrays.fill(testTarget, -1);
        List<Integer> train = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            switch (samples.get(s).split()) {
                case VALIDATION -> validationTarget[userOf[s]] = s;
                case TEST -> testTarget[userOf[s]] = s;
                default -> train.add(s);
            }
        }
        trainRows = train.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Indexes a recommendation dataset's samples (indexed 0..n-1). */
    public static Interactions of(List<Sample> samples) {
        return new Interactions(samples);
    }

    public int users() {
        return users;
    }

    public int items() {
        return itemKeys.size();
    }

    public int size() {
        return samples.size();
    }

    public String itemKey(int item) {
        return itemKeys.get(item);
    }

    /** Every item's text, by item index: what the item tower embeds. */
    public List<String> itemTexts() {
        return List.copyOf(itemTexts);
    }

    public int user(int sample) {
        return userOf[sample];
    }

    public int item(int sample) {
        return itemOf[sample];
    }

    public Sample sample(int index) {
        return samples.get(index);
    }

    /** The training split's sample indexes, ascending. */
    public int[] trainRows() {
        return trainRows.clone();
    }

    /** The sample a user's {@code split} target is (validation or test), or -1 when the user has none. */
    public int target(int user, Split split) {
        return switch (split) {
            case VALIDATION -> validationTarget[user];
            case TEST -> testTarget[user];
            default -> throw new IllegalArgumentException("targets are validation or test, not " + split);
        };
    }

    /** Users with a target in {@code split}, ascending. */
    public int[] usersWith(Split split) {
        return java.util.stream.IntStream.range(0, users).filter(u -> target(u, split) >= 0).toArray();
    }

    /**
     * Each user's history from {@code rows} (sample indexes; the rows a model trains on), plus the validation target
     * when {@code withValidation} (what a model knows at test time): item indexes in time order.
     */
    public int[][] histories(int[] rows, boolean withValidation) {
        List<List<Integer>> h = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            h.add(new ArrayList<>());
        }
        int[] sorted = rows.clone();
        Arrays.sort(sorted);
        for (int s : sorted) {
            h.get(userOf[s]).add(itemOf[s]);
        }
        int[][] out = new int[users][];
        for (int u = 0; u < users; u++) {
            if (withValidation && validationTarget[u] >= 0) {
                h.get(u).add(itemOf[validationTarget[u]]);
            }
            out[u] = h.get(u).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /**
     * The items never ranked for each user's {@code split} target: every training interaction of the user (whatever
     * subset a model trained on, so all models rank the same candidates), and for test also the validation target.
     */
    public BitSet[] known(Split split) {
        BitSet[] out = new BitSet[users];
        for (int u = 0; u < users; u++) {
            out[u] = new BitSet(items());
        }
        for (int s : trainRows) {
            out[userOf[s]].set(itemOf[s]);
        }
        if (split == Split.TEST) {
            for (int u = 0; u < users; u++) {
                if (validationTarget[u] >= 0) {
                    out[u].set(itemOf[validationTarget[u]]);
                }
            }
        }
        return out;
    }
}
