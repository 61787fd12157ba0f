package dev.sift.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sift.data.Sample;
import dev.sift.data.Split;
import dev.sift.stage.Subsets;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubsetExportTest {
    private static Sample s(int i, String query, String title, double label) {
        return new Sample(i, query, title, "", label, query, null, false, Split.TRAIN, i + 2L);
    }

    private static final List<Sample> SAMPLES = List.of(s(0, "red lamp", "Lamp, red", 3), s(1, "mug", "A \"big\" mug",
            0), s(2, "desk", "Oak\ndesk", 2), s(3, "pen", "Pen", 1));

    @Test
    void keptRowsInSampleOrderWithTheLabelTheyTrainOn() throws Exception {
        // stored in the policy's order, with a replaced grade (class 1 from min label 1: grade 2) and weights
        Subsets.Training t = new Subsets.Training(new int[] {2, 0, 1}, new double[] {0.5, 1.25, 1.0},
                new int[] {-1, 1, -1});
        SubsetExport.Rows rows = SubsetExport.rows(3, List.of("query", "title"), SAMPLES, t, 1);
        StringWriter csv = new StringWriter();
        SubsetExport.csv(rows, csv);
        assertEquals("""
                sample,source_line,query,title,description,label,given_label,weight
                0,2,red lamp,"Lamp, red",,2,3,1.25
                1,3,mug,"A ""big"" mug",,0,0,1.0
                2,4,desk,"Oak
                desk",,2,2,0.5
                """, csv.toString());
        StringWriter jsonl = new StringWriter();
        SubsetExport.jsonl(rows, jsonl);
        assertEquals("{\"sample\":0,\"source_line\":2,\"query\":\"red lamp\",\"title\":\"Lamp, red\","
                + "\"description\":\"\",\"label\":2,\"given_label\":3,\"weight\":1.25}",
                jsonl.toString().lines().findFirst().orElseThrow());
        assertEquals(3, jsonl.toString().lines().count());
    }

    @Test
    void withoutWeightsOrReplacementsOnlyTheSamplesOwnColumns() throws Exception {
        Subsets.Training t = new Subsets.Training(new int[] {3}, null, null);
        StringWriter csv = new StringWriter();
        SubsetExport.csv(SubsetExport.rows(1, List.of("user_hash", "item"), SAMPLES, t, 0), csv);
        assertEquals("sample,source_line,user_hash,item,description,label\n3,5,pen,Pen,,1\n", csv.toString());
    }

    @Test
    void interactionsCarryTheItemKeyBesideItsText() throws Exception {
        List<Sample> rated = List.of(new Sample(0, "u7", "Toy Story (1995)", "", 4, "u7", "u7", false, Split.TRAIN, 2,
                "1"));
        StringWriter csv = new StringWriter();
        SubsetExport.csv(SubsetExport.rows(1, List.of("user_hash", "item_text"), rated, new Subsets.Training(
                new int[] {0}, null, null), 0), csv);
        assertEquals("sample,source_line,user_hash,item_key,item_text,description,label\n0,2,u7,1,Toy Story (1995),,4\n",
                csv.toString());
    }
}
