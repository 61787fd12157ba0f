package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.recommend.Interactions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A probe's two-user slice scored BPR hr@10 1.0 on test targets no model had learnt: now said, not left to guess. */
class RecColdTargetsTest {
    /** Users u0..u{n-1}: two training items each (x, y), then a test target; the first {@code cold} targets unseen. */
    private static Interactions data(int users, int cold) {
        List<Sample> s = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = "u" + u;
            s.add(sample(s.size(), user, "x", Split.TRAIN));
            s.add(sample(s.size(), user, "y", Split.TRAIN));
            s.add(sample(s.size(), user, u < cold ? "new" + u : "x", Split.TEST));
        }
        return Interactions.of(s);
    }

    private static Sample sample(int i, String user, String item, Split split) {
        return new Sample(i, user, item, "", 1, user, user, false, split, i + 1, item);
    }

    @Test
    void aTenthOrMoreOfColdTestTargetsIsWarnedAbout() {
        Interactions two = data(2, 2);
        assertEquals("  warning: 2 of 2 test targets are items with no training or validation interaction: every "
                + "model ranks them without having learnt them (BPR by factors only ever used as negatives), so hits"
                + " on them say little about the models", RecEvaluateStage.coldTargets(two, two.trainRows()));
        Interactions some = data(20, 2);
        assertEquals("  warning: 2 of 20", RecEvaluateStage.coldTargets(some, some.trainRows()).substring(0, 18));
        Interactions few = data(21, 2);
        assertNull(RecEvaluateStage.coldTargets(few, few.trainRows()));
        Interactions none = data(5, 0);
        assertNull(RecEvaluateStage.coldTargets(none, none.trainRows()));
    }
}
