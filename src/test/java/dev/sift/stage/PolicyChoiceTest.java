package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sift.stage.StageOutputs.CandidateScore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyChoiceTest {
    private static Map<String, Double> scores(Object... kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Double) kv[i + 1]);
        }
        return m;
    }

    @Test
    void aWonPickSaysNothingMore() {
        assertEquals("", PolicyChoice.tie(scores("ccs", 0.41, "stratified", 0.44, "relabel", 0.16), "stratified"));
    }

    @Test
    void aTieNamesTheOthersAndSaysTheFirstListedIsTaken() {
        // a probe's recommendation run: every candidate scored 0 and the first was "picked" without a word
        assertEquals(" (a tie with adt, reweight at 0.0000: the first listed is taken)",
                PolicyChoice.tie(scores("truncate", 0.0, "adt", 0.0, "reweight", 0.0), "truncate"));
        assertEquals(" (a tie with weighted at 0.4000: the first listed is taken)",
                PolicyChoice.tie(scores("ccs", 0.4, "weighted", 0.4, "relabel", 0.1), "ccs"));
        assertEquals(" (no candidate has a validation score: the first listed is taken)",
                PolicyChoice.tie(scores("ccs", Double.NaN, "weighted", Double.NaN), "ccs"));
    }

    @Test
    void theFirstOfTheHighestWinsAndNaNNeverWinsOverANumber() {
        List<CandidateScore> s = List.of(new CandidateScore("ccs", 10, "kappa", Double.NaN),
                new CandidateScore("weighted", 20, "kappa", 0.3), new CandidateScore("relabel", 20, "kappa", 0.3));
        assertEquals("weighted", PolicyChoice.best(s).policy());
    }
}
