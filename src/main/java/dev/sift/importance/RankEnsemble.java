package dev.sift.importance;

import com.google.auto.service.AutoService;
import dev.sift.data.TaskType;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Rank average of several methods, each first turned to "higher = more likely noise" by its own
 * {@link ImportanceMethod#orientation()}, ranks scaled to [0, 1] with ties averaged. Its needs are its
 * members' needs, and it is defined for the tasks all of its members are defined for.
 */
@AutoService(ImportanceMethod.class)
public final class RankEnsemble implements ImportanceMethod, Combines {
    /** Members when the workflow names none ({@code score.ensemble}). */
    public static final List<String> DEFAULT_MEMBERS = List.of("tracin", "knn_shapley", "confidence");

    private final List<String> members;

    public RankEnsemble() {
        this(DEFAULT_MEMBERS);
    }

    public RankEnsemble(List<String> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one method");
        }
        if (members.contains("ensemble")) {
            throw new IllegalArgumentException("an ensemble cannot contain itself");
        }
        this.members = List.copyOf(members);
    }

    @Override
    public RankEnsemble over(List<String> members) {
        return new RankEnsemble(members);
    }

    public List<String> members() {
        return members;
    }

    @Override
    public String name() {
        return "ensemble";
    }

    @Override
    public String meaning() {
        return "higher = ranked more likely noisy on average by " + String.join(", ", members);
    }

    @Override
    public Orientation orientation() {
        return Orientation.HIGHER_IS_REMOVE;
    }

    @Override
    public Set<Need> needs() {
        Set<Need> out = EnumSet.noneOf(Need.class);
        for (String m : members) {
            out.addAll(ImportanceMethods.byName(m).needs());
        }
        return out;
    }

    @Override
    public Set<Need> uses() {
        Set<Need> out = EnumSet.noneOf(Need.class);
        for (String m : members) {
            out.addAll(ImportanceMethods.byName(m).uses());
        }
        return out;
    }

    @Override
    public Set<TaskType> tasks() {
        Set<TaskType> out = EnumSet.allOf(TaskType.class);
        for (String m : members) {
            out.retainAll(ImportanceMethods.byName(m).tasks());
        }
        return out;
    }

    @Override
    public String regressionNote() {
        for (String m : members) {
            ImportanceMethod member = ImportanceMethods.byName(m);
            if (member.regressionNote() != null) {
                return "its member " + m + " is not: " + member.regressionNote();
            }
        }
        return null;
    }

    @Override
    public double[] score(ScoringInput in) {
        double[] sum = new double[in.size()];
        for (String m : members) {
            ImportanceMethod member = ImportanceMethods.byName(m);
            double[] r = ranks(member.score(in), member.orientation() == Orientation.HIGHER_IS_KEEP);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += r[i] / members.size();
            }
        }
        return sum;
    }

    /** Ranks in [0, 1] (ties get their mean rank); {@code negate} ranks the lowest value highest. */
    static double[] ranks(double[] s, boolean negate) {
        int n = s.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Comparator<Integer> c = Comparator.comparingDouble(i -> negate ? -s[i] : s[i]);
        Arrays.sort(order, c);
        double[] r = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && c.compare(order[j + 1], order[i]) == 0) {
                j++;
            }
            double rank = n == 1 ? 0.5 : ((i + j) / 2.0) / (n - 1);
            for (int t = i; t <= j; t++) {
                r[order[t]] = rank;
            }
            i = j + 1;
        }
        return r;
    }
}
