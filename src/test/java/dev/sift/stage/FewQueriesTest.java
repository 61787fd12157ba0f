package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A held-out split of fewer than ten queries is warned of, one line per split, naming what rests on it. */
class FewQueriesTest {
    private static void add(List<Sample> out, Split split, int queries, int rowsEach) {
        for (int q = 0; q < queries; q++) {
            for (int i = 0; i < rowsEach; i++) {
                String query = split + " query " + q;
                out.add(new Sample(out.size(), query, "title " + i, "", i % 2, query, null, false, split, out.size() + 2,
                        null));
            }
        }
    }

    @Test
    void aSplitOfFewQueriesIsNamedWithItsCountsAndTheSettingThatWidensIt() {
        List<Sample> samples = new ArrayList<>();
        add(samples, Split.TRAIN, 3, 5); // the training split is not held out: no line for it
        add(samples, Split.VALIDATION, 10, 2);
        add(samples, Split.UTILITY, 1, 7);
        add(samples, Split.TEST, 9, 3);
        assertEquals(List.of("warning: the utility split holds 1 query (7 pairs): knn_shapley and tracin value every "
                + "training sample against it alone; raise split.utility",
                "warning: the test split holds 9 queries (27 pairs): every test metric and its bootstrap interval rest "
                        + "on them alone; raise split.test"),
                FewQueries.warnings(samples, null, false));
    }

    @Test
    void splitsOfTenQueriesOrNoneAreNotWarned() {
        List<Sample> samples = new ArrayList<>();
        add(samples, Split.TRAIN, 30, 5);
        add(samples, Split.VALIDATION, 2, 1);
        add(samples, Split.TEST, 10, 1);
        assertEquals(List.of("warning: the validation split holds 2 queries (2 pairs): what is chosen on it (early "
                + "stopping, grade cuts, thresholds) rests on them alone; raise split.validation"),
                FewQueries.warnings(samples, null, false), "no utility split: no line");
        // a split from a given file is widened by a file with more, not by split.validation (which is then refused);
        // with a group column mapped, the unit is named a group
        assertEquals(List.of("warning: the validation split holds 2 groups (2 pairs): what is chosen on it (early "
                + "stopping, grade cuts, thresholds) rests on them alone; give a dataset.validation file with more "
                + "groups"), FewQueries.warnings(samples, new dev.sift.data.DatasetSpec.Given("valid.csv", "test.csv"),
                        true));
        samples.removeIf(s -> s.split() == Split.VALIDATION);
        assertEquals(List.of(), FewQueries.warnings(samples, null, false));
    }
}
