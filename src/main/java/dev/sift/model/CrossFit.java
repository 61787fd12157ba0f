package dev.sift.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cross-fitting: the pool is cut into K folds by group (query), every group in exactly one fold; K models are
 * trained, each on the pool without one fold, from the same initial weights with the same settings, and each
 * predicts the fold it did not see. Every pool sample thus gets exactly one out-of-sample prediction.
 */
public final class CrossFit {
    private CrossFit() {
    }

    /** One fold, as positions in the pool: what its model trains on and what it predicts. */
    public record Fold(int[] train, int[] heldOut, int groups) {
    }

    /** Hears when fold {@code fold} (1-based) of {@code folds} starts; returns the listener for its training. */
    public interface Listener {
        RelevanceTrainer.Listener fold(int fold, int folds, Fold plan);

        Listener NONE = (fold, folds, plan) -> RelevanceTrainer.Listener.NONE;
    }

    /**
     * Out-of-fold predictions in pool order, the fold of every pool position, the best epoch of each fold's
     * model and the wall time of all K trainings and predictions.
     */
    public record Result(Predictions outOfFold, int[] foldOf, int[] bestEpochs, long millis) {
    }

    /**
     * The fold of every pool position. The distinct groups are sorted (so the pool's order does not matter),
     * shuffled with {@code seed}, and each is given to the fold with the fewest samples so far (ties: the lowest
     * fold), which keeps folds near equal in samples even when groups differ in size.
     *
     * @throws IllegalArgumentException when k < 2 or the pool has fewer than k groups
     */
    public static int[] assign(String[] groups, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("cross-fitting needs at least 2 folds, got " + k);
        }
        Map<String, Integer> sizes = new TreeMap<>();
        for (String g : groups) {
            sizes.merge(requireNonNull(g, "group is null"), 1, Integer::sum);
        }
        if (sizes.size() < k) {
            throw new IllegalArgumentException("cross-fitting with " + k + " folds needs at least " + k
                    + " queries in the pool, it has " + sizes.size());
        }
        List<String> order = new ArrayList<>(sizes.keySet());
        Collections.shuffle(order, new Random(seed));
        long[] load = new long[k];
        Map<String, Integer> foldOf = new HashMap<>();
        for (String g : order) {
            int lightest = 0;
            for (int f = 1; f < k; f++) {
                if (load[f] < load[lightest]) {
                    lightest = f;
                }
            }
            foldOf.put(g, lightest);
            load[lightest] += sizes.get(g);
        }
        int[] out = new int[groups.length];
        for (int i = 0; i < groups.length; i++) {
            out[i] = foldOf.get(groups[i]);
        }
        return out;
    }

    /** The K folds as positions: fold f trains on every position not in f and holds out those in f. */
    public static List<Fold> plan(String[] groups, int k, long seed) {
        int[] fold = assign(groups, k, seed);
        List<Fold> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            int held = 0;
            for (int x : fold) {
                held += x == f ? 1 : 0;
            }
            int[] train = new int[fold.length - held];
            int[] heldOut = new int[held];
            Set<String> heldGroups = new HashSet<>();
            for (int i = 0, a = 0, b = 0; i < fold.length; i++) {
                if (fold[i] == f) {
                    heldOut[b++] = i;
                    heldGroups.add(groups[i]);
                } else {
                    train[a++] = i;
                }
            }
            out.add(new Fold(train, heldOut, heldGroups.size()));
        }
        return out;
    }

    /**
     * Trains the K models and collects their out-of-fold predictions.
     *
     * @param trainer the model to train (best without an epoch scorer: the folds' dynamics are not kept)
     * @param initial the initial weights every fold starts from
     * @param pool sample indices of the scoring pool
     * @param groups the group (query) of every pool position
     * @param validation sample indices that pick the epoch (early stopping as {@code spec} says)
     * @param spec training settings; its seed also draws the folds
     */
    public static Result run(RelevanceTrainer trainer, byte[] initial, Targets targets, int[] pool, String[] groups,
            int[] validation, TrainSpec spec, int k, Listener listener) {
        if (groups.length != pool.length) {
            throw new IllegalArgumentException("groups and pool differ in length");
        }
        long t0 = System.nanoTime();
        List<Fold> folds = plan(groups, k, spec.seed());
        float[][] probs = new float[pool.length][];
        float[][] hidden = new float[pool.length][];
        int[] bestEpochs = new int[k];
        boolean regression = false;
        for (int f = 0; f < k; f++) {
            Fold fold = folds.get(f);
            RelevanceTrainer.TrainResult r = trainer.train(initial, targets, pick(pool, fold.train()), validation,
                    spec, listener.fold(f + 1, k, fold));
            bestEpochs[f] = r.bestEpoch();
            Predictions p = trainer.predict(r.weights(), pick(pool, fold.heldOut()));
            regression = p.regression();
            for (int j = 0; j < fold.heldOut().length; j++) {
                probs[fold.heldOut()[j]] = p.probs()[j];
                hidden[fold.heldOut()[j]] = p.hidden()[j];
            }
        }
        return new Result(new Predictions(probs, hidden, regression), assign(groups, k, spec.seed()), bestEpochs,
                (System.nanoTime() - t0) / 1_000_000);
    }

    private static int[] pick(int[] pool, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = pool[positions[i]];
        }
        return out;
    }
}
