package dev.sift.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sift.stage.StageOutputs.EvaluateOutput;
import dev.sift.stage.StageOutputs.FilterOutput;
import dev.sift.stage.StageOutputs.FineTuneOutput;
import dev.sift.stage.StageOutputs.IngestOutput;
import dev.sift.stage.StageOutputs.ScoreOutput;
import dev.sift.workflow.StageJson;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stage outputs stored before they were typed (string keys written by hand) still read into the records. */
class StageOutputsTest {
    @Test
    void outputsStoredBeforeTheTypedContractStayReadable() {
        IngestOutput in = StageJson.read("{\"dataset\":\"" + "a".repeat(64) + "\",\"uri\":\"s3://sift/x\","
                + "\"rows_read\":3000,\"rows\":2990,\"train\":2100,\"validation\":290,\"test\":600,"
                + "\"quarantined\":10,\"duplicates\":0}", IngestOutput.class);
        assertEquals(2990, in.rows());
        assertEquals(3000, in.rowsRead());
        assertNull(in.utility(), "no utility split before it existed");
        assertNull(in.noiseFlipped(), "no injected noise before dataset.noise existed");
        FineTuneOutput ft = StageJson.read("{\"init_weights\":\"i\",\"weights\":\"w\",\"train_samples\":2100,"
                + "\"train_ms\":2400,\"train_loss\":0.8,\"validation_loss\":0.9,\"epochs_run\":5,\"best_epoch\":5}",
                FineTuneOutput.class);
        assertEquals("i", ft.initWeights());
        assertEquals(2400, ft.trainMs());
        ScoreOutput sc = StageJson.read("{\"pool\":2100,\"model\":\"w\",\"methods\":[\"loss\",\"el2n\"],"
                + "\"flagged\":12}", ScoreOutput.class);
        assertEquals(List.of("loss", "el2n"), sc.methods());
        FilterOutput f = StageJson.read("{\"by\":\"el2n\",\"order\":\"lowest\",\"pool\":2100,\"kept\":1680,"
                + "\"selected_key\":\"runs/1/iter-1/selected.json\",\"random_key\":\"runs/1/iter-1/random.json\","
                + "\"selected_uri\":\"s3://sift/a\",\"random_uri\":\"s3://sift/b\",\"pool_noisy\":195,"
                + "\"selected_noisy\":24,\"random_noisy\":162}", FilterOutput.class);
        assertEquals("runs/1/iter-1/selected.json", f.selectedKey());
        assertEquals(24L, f.selectedNoisy());
        assertNull(f.randomTrainKey());
        EvaluateOutput ev = StageJson.read("{\"selected_weights\":\"s\",\"random_weights\":\"r\"}",
                EvaluateOutput.class);
        assertNull(ev.fullWeights(), "one full model, the fine-tune's, before seeds");
    }

    @Test
    void writtenKeysAreSnakeCaseAndAbsentValuesAreLeftOut() {
        String json = StageJson.write(new EvaluateOutput("s", "r", null, null, null));
        assertEquals("{\"selected_weights\":\"s\",\"random_weights\":\"r\"}", json);
    }
}
