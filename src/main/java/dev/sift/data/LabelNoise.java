package dev.sift.data;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * Injected label noise ({@code dataset.noise} in a workflow): flips a fraction of the TRAINING labels, after the
 * split, deterministically from a seed, and marks every flipped sample {@link Sample#noisy() noisy}. Validation,
 * utility and test samples are never touched. Pure: samples in, samples out.
 *
 * <p>The flipped rows are exactly {@code round(fraction * training rows)} for the row kinds; {@code query} adds
 * whole queries until that many rows are reached, so it may flip a few more. Graded tasks (grades min..max):
 * {@code adjacent} moves one grade up or down (staying in range), {@code far} moves to the farthest grade (min
 * when the label is above the middle, max when below, either on the middle), {@code uniform} to any other grade,
 * {@code query} flips every training label of randomly drawn queries with the {@code far} rule. Binary tasks:
 * 0 and 1 swap for every kind. Regression: {@code adjacent} adds or subtracts 1 (clipped to [min, max]), {@code far}
 * and {@code query} reflect ({@code min + max - y}; a label on the middle stays, though marked), {@code uniform}
 * draws uniformly from [min, max].
 */
public final class LabelNoise {
    private LabelNoise() {
    }

    /** How a flipped label changes. */
    public enum Kind {
        ADJACENT, FAR, QUERY, UNIFORM;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> byKey(String key) {
            for (Kind k : values()) {
                if (k.key().equals(key)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * What to inject.
     *
     * @param fraction share of training rows flipped, in [0, 1)
     */
    public record Spec(double fraction, Kind kind, long seed) {
        public Spec {
            requireNonNull(kind, "kind is null");
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("noise fraction must be in [0, 1), got " + fraction);
            }
        }

        /** The same noise with another seed (benchmarks repeat it over seeds). */
        public Spec withSeed(long newSeed) {
            return new Spec(fraction, kind, newSeed);
        }

        public String describe() {
            return String.format(Locale.ROOT, "%s %.3g (seed %d)", kind.key(), fraction, seed);
        }
    }

    /** The samples with the flipped labels, and the indices flipped, ascending. */
    public record Result(List<Sample> samples, int[] flipped, double[] original) {
        public int count() {
            return flipped.length;
        }

        /** Which labels changed and what they were before. */
        public Flips flips() {
            return new Flips(flipped, original);
        }
    }

    /**
     * The flipped samples' indices, ascending, and their labels before the flip (same order): what a model trained
     * on the clean labels needs, to measure what the noise cost.
     */
    public record Flips(int[] indices, double[] original) {
        public Flips {
            if (indices.length != original.length) {
                throw new IllegalArgumentException(indices.length + " flipped indices, " + original.length
                        + " original labels");
            }
        }

        /** {@code labels} (indexed by sample) with every flipped label put back. */
        public double[] restore(double[] labels) {
            double[] out = labels.clone();
            for (int k = 0; k < indices.length; k++) {
                if (indices[k] < 0 || indices[k] >= out.length) {
                    throw new IllegalArgumentException("flipped sample " + indices[k] + " is not among the "
                            + out.length + " samples");
                }
                out[indices[k]] = original[k];
            }
            return out;
        }
    }

    /**
     * Mixed into the seed so that the draw of flipped labels is not the trainer's sample order: both shuffle the
     * training indices with a {@link Random}, and with one seed for both (the noise benchmark's default was seed 1
     * for each) the flipped labels were exactly the first fifth the model saw in its first epoch, which made them
     * easier to find than labels flipped at random.
     */
    static final long STREAM = 0x6E6F697365L; // "noise"

    /** Flips training labels of {@code samples} (indexed 0..n-1, split assigned). */
    public static Result apply(List<Sample> samples, TaskSpec task, Spec spec) {
        List<Integer> train = new ArrayList<>();
        for (Sample s : samples) {
            if (s.split() == Split.TRAIN) {
                train.add(s.index());
            }
        }
        Random r = new Random(spec.seed() ^ STREAM);
        int target = (int) Math.round(spec.fraction() * train.size());
        List<Integer> chosen = spec.kind() == Kind.QUERY ? byQuery(samples, train, target, r) : byRow(train, target, r);
        Collections.sort(chosen);
        List<Sample> out = new ArrayList<>(samples);
        int[] flipped = new int[chosen.size()];
        double[] original = new double[flipped.length];
        for (int k = 0; k < flipped.length; k++) {
            Sample s = samples.get(chosen.get(k));
            original[k] = s.label();
            double y = flip(s.label(), task, spec.kind(), r);
            out.set(s.index(), new Sample(s.index(), s.query(), s.title(), s.description(), y, s.group(), s.user(),
                    true, s.split(), s.sourceLine()));
            flipped[k] = s.index();
        }
        return new Result(out, flipped, original);
    }

    private static List<Integer> byRow(List<Integer> train, int target, Random r) {
        List<Integer> shuffled = new ArrayList<>(train);
        Collections.shuffle(shuffled, r);
        return new ArrayList<>(shuffled.subList(0, target));
    }

    /** Whole queries (normalised query text) in random order until {@code target} rows are reached. */
    private static List<Integer> byQuery(List<Sample> samples, List<Integer> train, int target, Random r) {
        Map<String, List<Integer>> byQuery = new TreeMap<>();
        for (int i : train) {
            byQuery.computeIfAbsent(Ingestor.normalise(samples.get(i).query()), q -> new ArrayList<>()).add(i);
        }
        List<String> queries = new ArrayList<>(byQuery.keySet());
        Collections.shuffle(queries, r);
        List<Integer> out = new ArrayList<>();
        for (int q = 0; q < queries.size() && out.size() < target; q++) {
            out.addAll(byQuery.get(queries.get(q)));
        }
        return out;
    }

    /**
     * Why {@code spec} cannot make meaningful noise for {@code task}, or null: {@code adjacent} moves a regression label
     * by 1 (a grade), which on a range narrower than 2 is more than half of it, so every flip lands on a bound and the
     * label alone gives it away (a probe's scores in [0, 1]: 296 flips, all to 0 or 1, the label-only baseline's AUROC
     * 0.97).
     */
    public static String problem(TaskSpec task, Spec spec) {
        double range = task.maxLabel() - task.minLabel();
        return task.type() == TaskType.REGRESSION && spec.kind() == Kind.ADJACENT && range < 2
                ? "adjacent moves a regression label by 1 (a grade), more than half of the task's range ["
                        + Text.number(task.minLabel()) + ", " + Text.number(task.maxLabel()) + "]: every flip would "
                        + "land on a bound, where the label alone gives it away; use kind uniform, far or query"
                : null;
    }

    /** The noisy label for {@code y}. */
    static double flip(double y, TaskSpec task, Kind kind, Random r) {
        double min = task.minLabel();
        double max = task.maxLabel();
        if (task.type() == TaskType.BINARY) {
            return y == min ? max : min;
        }
        boolean regression = task.type() == TaskType.REGRESSION;
        return switch (kind) {
            case ADJACENT -> {
                boolean up = y + 1 <= max && (y - 1 < min || r.nextBoolean());
                yield regression ? Math.max(min, Math.min(max, up ? y + 1 : y - 1)) : up ? y + 1 : y - 1;
            }
            case FAR, QUERY -> regression ? min + max - y
                    : y - min > max - y ? min : y - min < max - y ? max : r.nextBoolean() ? min : max;
            case UNIFORM -> {
                if (regression) {
                    yield min + r.nextDouble() * (max - min);
                }
                int grades = (int) Math.round(max - min) + 1;
                double other = min + r.nextInt(grades - 1);
                yield other >= y ? other + 1 : other;
            }
        };
    }
}
