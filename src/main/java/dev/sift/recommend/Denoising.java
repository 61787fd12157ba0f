package dev.sift.recommend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Denoising policies for interactions, with per-user budgets: a user's last {@code keepLast} interactions of the
 * pool (in time order) are never dropped, so no user loses their most recent behaviour, and a random subset of the
 * same size draws from the same droppable rows. {@code truncated} drops the highest-valued rows (ADT's truncated
 * loss, Wang et al., WSDM 2021, drops the largest losses); {@code reweighted} keeps every row with weight
 * exp(-beta * z), z the score standardised over the pool, scaled to mean 1 (ADT's reweighted loss weighs by
 * p^beta = exp(-beta * loss)), and its random control is the same weights shuffled over the rows.
 */
public final class Denoising {
    private Denoising() {
    }

    /**
     * One policy to try: {@code truncated} or {@code reweighted}, by a method, keeping a fraction (truncated); or
     * {@code adt}, ADT's truncated loss during training, its maximum drop rate {@code 1 - keep} (the training loss is
     * its method).
     */
    public record Candidate(String policy, String method, double keep) {
        /**
         * {@code POLICY[/METHOD[/KEEP]]}, missing parts from the filter's {@code by} and {@code keep}; or
         * {@code adt[/MAX_DROP_RATE]}.
         */
        public static Candidate parse(String text, String by, double keep) {
            String[] p = text.split("/");
            if (p[0].equals("adt")) {
                return new Candidate("adt", "loss", p.length > 1 ? 1 - Double.parseDouble(p[1]) : keep);
            }
            return new Candidate(p[0], p.length > 1 ? p[1] : by, p.length > 2 ? Double.parseDouble(p[2]) : keep);
        }

        public boolean truncated() {
            return policy.equals("truncated");
        }

        public boolean adt() {
            return policy.equals("adt");
        }

        /** How tables name it, e.g. {@code truncated/loss/0.9}, {@code adt/0.1}. */
        public String label() {
            return adt() ? "adt/" + fraction(1 - keep) : truncated() ? policy + "/" + method + "/" + fraction(keep)
                    : policy + "/" + method;
        }

        private static String fraction(double f) {
            return String.format(Locale.ROOT, "%.2f", f).replaceAll("0+$", "").replaceAll("\\.$", "");
        }
    }

    /** The rows of {@code pool} (ascending sample indexes) that no policy drops: each user's last {@code keepLast}. */
    static boolean[] protectedRows(Interactions data, int[] pool, int keepLast) {
        boolean[] out = new boolean[pool.length];
        int[] seen = new int[data.users()];
        for (int i = pool.length - 1; i >= 0; i--) {
            int u = data.user(pool[i]);
            if (seen[u] < keepLast) {
                out[i] = true;
                seen[u]++;
            }
        }
        return out;
    }

    /**
     * Keeps {@code keep} of the pool (rounded; never fewer than the protected rows): drops the droppable rows from
     * the far end of {@code score} (by pool position): the highest when {@code keepLowest}, else the lowest; ties
     * by position. Returns the kept sample indexes, ascending.
     */
    public static int[] truncated(Interactions data, int[] pool, double[] score, double keep, boolean keepLowest,
            int keepLast) {
        boolean[] prot = protectedRows(data, pool, keepLast);
        List<Integer> droppable = new ArrayList<>();
        for (int i = 0; i < pool.length; i++) {
            if (!prot[i]) {
                droppable.add(i);
            }
        }
        int drop = dropCount(pool.length, keep, droppable.size());
        droppable.sort((a, b) -> {
            int c = keepLowest ? Double.compare(score[b], score[a]) : Double.compare(score[a], score[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        boolean[] dropped = new boolean[pool.length];
        for (int i = 0; i < drop; i++) {
            dropped[droppable.get(i)] = true;
        }
        return kept(pool, dropped);
    }

    /** A uniform draw of the same size as {@link #truncated} from the same droppable rows. */
    public static int[] randomAtSize(Interactions data, int[] pool, int size, int keepLast, long seed) {
        boolean[] prot = protectedRows(data, pool, keepLast);
        List<Integer> droppable = new ArrayList<>();
        for (int i = 0; i < pool.length; i++) {
            if (!prot[i]) {
                droppable.add(i);
            }
        }
        int drop = Math.min(droppable.size(), Math.max(0, pool.length - size));
        java.util.Collections.shuffle(droppable, new Random(seed));
        boolean[] dropped = new boolean[pool.length];
        for (int i = 0; i < drop; i++) {
            dropped[droppable.get(i)] = true;
        }
        return kept(pool, dropped);
    }

    private static int dropCount(int n, double keep, int droppable) {
        return Math.min(droppable, Math.max(0, n - (int) Math.round(keep * n)));
    }

    private static int[] kept(int[] pool, boolean[] dropped) {
        int[] out = new int[pool.length];
        int k = 0;
        for (int i = 0; i < pool.length; i++) {
            if (!dropped[i]) {
                out[k++] = pool[i];
            }
        }
        int[] r = Arrays.copyOf(out, k);
        Arrays.sort(r);
        return r;
    }

    /**
     * Weights exp(-beta * z) (z the standardised score; -z when {@code keepLowest} is false, so the kept end weighs
     * more either way), scaled to mean 1.
     */
    public static float[] reweighted(double[] score, double beta, boolean keepLowest) {
        double mean = Arrays.stream(score).average().orElse(0);
        double var = Arrays.stream(score).map(s -> (s - mean) * (s - mean)).average().orElse(0);
        double sd = var > 0 ? Math.sqrt(var) : 1;
        double[] w = new double[score.length];
        double sum = 0;
        for (int i = 0; i < score.length; i++) {
            double z = (score[i] - mean) / sd;
            w[i] = Math.exp(-beta * (keepLowest ? z : -z));
            sum += w[i];
        }
        float[] out = new float[score.length];
        for (int i = 0; i < score.length; i++) {
            out[i] = (float) (w[i] * score.length / sum);
        }
        return out;
    }

    /** The same weights over the rows in a random order: the reweighted policy's random control. */
    public static float[] shuffled(float[] weights, long seed) {
        float[] out = weights.clone();
        Random r = new Random(seed);
        for (int i = out.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }
}
