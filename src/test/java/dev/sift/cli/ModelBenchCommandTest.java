package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.bench.ModelBenchmark;
import dev.sift.history.Table;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table {@code sift bench model} prints: a row per round, then the median, min and max of every column. */
class ModelBenchCommandTest {
    private static final ModelBenchmark.Steps NO_STEPS = new ModelBenchmark.Steps(new double[0], new double[0],
            new double[0], new double[0]);

    @Test
    void perStepRatiosComeFromEachSidesMedianStep() {
        // DJL's training steps 0.9, 1.0, 5.0 s (a burst on the last), PyTorch's 0.8, 0.85, 0.9: medians 1.0 and 0.85
        ModelBenchmark.Steps s = new ModelBenchmark.Steps(new double[] {5.0, 0.9, 1.0}, new double[] {0.9, 0.8, 0.85},
                new double[] {0.2, 0.3}, new double[] {0.25, 0.25, 0.1, 0.4});
        assertEquals(0.85, s.trainRatio(), 1e-12);
        assertEquals(0.25 / 0.25, s.inferRatio(), 1e-12, "even counts: the mean of the middle two");
        String line = ModelBenchCommand.perStep(new ModelBenchmark.Result("0.36.0", 2, "2.13.0", 2, List.of(), s, 1,
                1, "", ""));
        assertEquals("median step over all rounds: training DJL 1000.0 ms, PyTorch 850.0 ms (3 and 3 steps), ratio "
                + "0.85; inference DJL 250.0 ms, PyTorch 250.0 ms (2 and 4 batches), ratio 1.00", line);
        assertTrue(Double.isNaN(ModelBenchmark.Steps.median(new double[0])));
    }

    @Test
    void roundsThenMedianMinAndMax() {
        List<ModelBenchmark.Round> rounds = List.of(new ModelBenchmark.Round(1, true, 30, 40, 200, 250, "1.50 1.2 1.0 1/2 3"),
                new ModelBenchmark.Round(2, false, 36, 40, 240, 240, "1.60 1.2 1.0 1/2 3"),
                new ModelBenchmark.Round(3, true, 40, 40, 230, 250, "1.70 1.2 1.0 1/2 3"));
        Table t = ModelBenchCommand.table(new ModelBenchmark.Result("0.36.0", 2, "2.13.0", 2, rounds, NO_STEPS,
                3L << 30, 1L << 30, "1.4 1.2 1.0 1/2 3", "1.7 1.2 1.0 1/2 3"));
        assertEquals(List.of("round", "first", "djl_train", "torch_train", "train_ratio", "djl_infer", "torch_infer",
                "infer_ratio", "load_1m"), t.columns());
        assertEquals(List.of("1", "2", "3", "median", "min", "max"), t.rows().stream().map(r -> r.get(0)).toList());
        assertEquals(List.of("DJL", "PyTorch", "DJL"), t.rows().subList(0, 3).stream().map(r -> r.get(1)).toList());
        assertEquals("1.60", t.rows().get(1).get(8));
        List<Object> median = t.rows().get(3);
        assertEquals(0.9, (Double) median.get(4), 1e-12, "the median of the rounds' ratios 0.75, 0.9, 1.0");
        assertEquals(0.92, (Double) median.get(7), 1e-12, "of 0.8, 1.0, 0.92");
        assertEquals(0.75, (Double) t.rows().get(4).get(4), 1e-12);
        assertEquals(1.0, (Double) t.rows().get(5).get(7), 1e-12);
        assertNull(median.get(1));
    }

    @Test
    void withoutAPeerThePyTorchColumnsAreEmpty() {
        Table t = ModelBenchCommand.table(new ModelBenchmark.Result("0.36.0", 2, null, 0,
                List.of(new ModelBenchmark.Round(1, true, 30, Double.NaN, 200, Double.NaN, "1.5 1 1 1/2 3")), NO_STEPS,
                1L << 30, 0, "", ""));
        assertNull(t.rows().get(0).get(3));
        assertNull(t.rows().get(0).get(4));
        assertNull(t.rows().get(1).get(4));
        assertEquals(30.0, (Double) t.rows().get(1).get(2), 1e-12);
    }

    /** A Python without torch gave "no ratios" and exit 0: the comparison asked for had not happened. */
    @Test
    void aPeerAskedForThatGaveNoRatioIsAFailure() {
        ModelBenchmark.Round without = new ModelBenchmark.Round(1, true, 30, Double.NaN, 200, Double.NaN, "1");
        ModelBenchmark.Round with = new ModelBenchmark.Round(2, false, 30, 20, 200, 100, "1");
        ModelBenchmark.Result none = new ModelBenchmark.Result("0.36.0", 2, null, 0, List.of(without), NO_STEPS, 1, 0,
                "", "");
        assertEquals("--python python3: no PyTorch peer ran (the log above says why); the DJL side alone is shown, "
                + "--python none runs it alone", ModelBenchCommand.missingPeer(none, "python3"));
        assertNull(ModelBenchCommand.missingPeer(none, "none"), "none asked for");
        ModelBenchmark.Result failedLater = new ModelBenchmark.Result("0.36.0", 2, "2.13.0", 2, List.of(with, without),
                NO_STEPS, 1, 1, "", "");
        assertTrue(ModelBenchCommand.missingPeer(failedLater, "python3").contains("no PyTorch peer ratio in 1 of 2 "
                + "rounds"));
        assertNull(ModelBenchCommand.missingPeer(new ModelBenchmark.Result("0.36.0", 2, "2.13.0", 2, List.of(with),
                NO_STEPS, 1, 1, "", ""), "python3"));
    }
}
