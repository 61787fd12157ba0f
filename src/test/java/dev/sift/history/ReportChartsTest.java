package dev.sift.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's interval chart: a box only where there is an interval. */
class ReportChartsTest {
    @Test
    void aDifferenceWithoutAnIntervalGetsNoBox() throws Exception {
        JsonNode o = new ObjectMapper().readTree(ReportCharts.intervals("c", "t", "kappa", List.of(
                new ReportCharts.Interval("run 1", 0.02, -0.01, 0.05),
                new ReportCharts.Interval("run 2", 0.86, Double.NaN, Double.NaN))).option());
        JsonNode box = o.get("series").get(0).get("data");
        assertEquals(5, box.get(0).size());
        assertEquals("-", box.get(1).asText(), "no zero-width box that would read as excluding 0");
        assertEquals("run 2 (no interval)", o.get("xAxis").get("data").get(1).asText());
        JsonNode point = o.get("series").get(1);
        assertEquals("scatter", point.get("type").asText());
        assertEquals(0.86, point.get("data").get(1).asDouble(), 1e-12);
        assertTrue(point.get("data").get(0).asText().equals("-"));
        JsonNode bounded = new ObjectMapper().readTree(ReportCharts.intervals("c", "t", "kappa", List.of(
                new ReportCharts.Interval("run 1", 0.02, -0.01, 0.05))).option());
        assertEquals("line", bounded.get("series").get(1).get("type").asText(), "no extra series when every box is");
    }
}
