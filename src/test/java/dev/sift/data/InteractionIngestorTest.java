package dev.sift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Interactions: positives by threshold, per-user time split, duplicates, quarantine with line and field. */
class InteractionIngestorTest {
    private static final KeyedHasher HASH = new KeyedHasher("interaction-test-key-0123".getBytes(StandardCharsets.UTF_8));

    private static Ingestor.Result read(String csv, boolean withTime) throws Exception {
        DatasetSpec d = new DatasetSpec("i.csv", null, "csv", ',', new DatasetSpec.Columns(null, null, null, "rating",
                null, "user", null, "item", withTime ? "time" : null));
        return new InteractionIngestor(d, 4, HASH, null).read(new ByteArrayInputStream(csv.getBytes(
                StandardCharsets.UTF_8)), "i.csv");
    }

    @Test
    void positivesSplitPerUserByTimeWithTheLastTesting() throws Exception {
        String csv = """
                user,item,rating,time
                alice,a,5,30
                alice,b,5,10
                alice,c,2,5
                alice,d,4,20
                alice,e,4,2000-01-01
                bob,a,5,1
                bob,b,4,2
                carol,x,5,3
                """;
        Ingestor.Result r = read(csv, true);
        assertEquals(8, r.rowsRead());
        assertEquals(0, r.quarantined().size());
        List<Sample> s = r.samples();
        // alice: c is not positive (2 < 4); in time order b(10), d(20), a(30), e(2000-01-01 = 946684800 s)
        List<String> alice = s.stream().filter(x -> x.group().equals(HASH.hash("alice"))).map(Sample::item).toList();
        assertEquals(List.of("b", "d", "a", "e"), alice);
        Map<String, Split> split = s.stream().filter(x -> x.group().equals(HASH.hash("alice")))
                .collect(Collectors.toMap(Sample::item, Sample::split));
        assertEquals(Split.TEST, split.get("e"));
        assertEquals(Split.VALIDATION, split.get("a"));
        assertEquals(Split.TRAIN, split.get("b"));
        assertEquals(Split.TRAIN, split.get("d"));
        // users with fewer than three positives only train
        assertTrue(s.stream().filter(x -> !x.group().equals(HASH.hash("alice"))).allMatch(x -> x.split() == Split.TRAIN));
        for (int i = 0; i < s.size(); i++) {
            assertEquals(i, s.get(i).index());
        }
        assertFalse(new String(dev.sift.data.PreparedDataset.write(s), StandardCharsets.UTF_8).contains("alice"),
                "user ids are hashed");
        assertEquals("b", PreparedDataset.read(PreparedDataset.write(s)).get(0).item(), "the item key round-trips");
    }

    @Test
    void withoutTimeSourceOrderSplitsAndARepeatedPositiveKeepsTheEarliest() throws Exception {
        String csv = """
                user,item,rating
                u,a,5
                u,b,5
                u,a,4
                u,c,5
                u,d,5
                """;
        Ingestor.Result r = read(csv, false);
        assertEquals(1, r.duplicates());
        List<Sample> s = r.samples();
        assertEquals(List.of("a", "b", "c", "d"), s.stream().map(Sample::item).toList());
        assertEquals(2, s.get(0).sourceLine(), "the first a (line 2) stands for both");
        assertEquals(List.of(Split.TRAIN, Split.TRAIN, Split.VALIDATION, Split.TEST),
                s.stream().map(Sample::split).toList());
    }

    @Test
    void badRowsAreQuarantinedWithLineFieldAndReason() throws Exception {
        String csv = """
                user,item,rating,time
                ,a,5,1
                u,,5,1
                u,a,five,1
                u,a,5,yesterday
                u,a,5,1
                u,b,"4,5",2
                """;
        Ingestor.Result r = read(csv, true);
        assertEquals(6, r.rowsRead());
        assertEquals(1, r.samples().size());
        List<String> described = r.quarantined().stream().map(q -> q.describe("i.csv")).toList();
        assertEquals(List.of("i.csv:2: field 'user': empty user id", "i.csv:3: field 'item': empty item key",
                "i.csv:4: field 'rating': rating is not a number: 'five'",
                "i.csv:5: field 'time': time is neither a number nor an ISO-8601 date or instant: 'yesterday'",
                "i.csv:7: field 'rating': rating is not a number: '4,5' (a comma in a number: write ratings with a "
                        + "decimal point and no thousands separator, 4.5 not 4,5)"), described);
        assertEquals(Quarantined.NOT_A_TIME, r.quarantined().get(3).kind(), "a bad time is not a bad label");
        assertEquals(Quarantined.NOT_A_NUMBER, r.quarantined().get(2).kind());
    }

    @Test
    void noRatingAtThePositiveThresholdSaysSoInsteadOfNoValidRows() throws Exception {
        String csv = "user,item,rating\nu,a,3\nu,b,2.5\nv,a,x\n";
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> read(csv, false));
        assertEquals("no positive interaction: 2 rows have a rating below task.positive_at 4 (the highest read is 3) "
                + "and 1 more are quarantined (the first: i.csv:4: field 'rating': rating is not a number: 'x')",
                e.getMessage());
        Ingestor.Result quarantined = read("user,item,rating\nu,a,3\nu,,5\n", false);
        assertEquals(0, quarantined.samples().size(), "the rating 5 is positive; its row has no item, which the "
                + "usual no-valid-rows line reports, not positive_at");
        assertEquals(1, quarantined.quarantined().size());
    }

    /**
     * The check before a run reads up to the first positive row and no further (validate read a whole large file and
     * kept its rows); with none, it says what ingest would, in the same words.
     */
    @Test
    void requirePositiveStopsAtTheFirstPositiveAndOtherwiseSaysWhatIngestWould() throws Exception {
        DatasetSpec d = new DatasetSpec("i.csv", null, "csv", ',', new DatasetSpec.Columns(null, null, null, "rating",
                null, "user", null, "item", null));
        byte[] head = ("user,item,rating\nu,a,5\n" + "v,b,1\n".repeat(200_000)).getBytes(StandardCharsets.UTF_8);
        java.io.InputStream endsBadly = new java.io.SequenceInputStream(new ByteArrayInputStream(head),
                new java.io.InputStream() {
                    @Override
                    public int read() throws java.io.IOException {
                        throw new java.io.IOException("read past the first positive row");
                    }
                });
        new InteractionIngestor(d, 4, HASH, null).requirePositive(endsBadly, "i.csv");
        String none = "user,item,rating\nu,a,3\nu,b,2.5\nv,a,x\n";
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new InteractionIngestor(d, 4, HASH, null).requirePositive(new ByteArrayInputStream(
                        none.getBytes(StandardCharsets.UTF_8)), "i.csv"));
        assertEquals(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> read(none, false)).getMessage(), e.getMessage());
    }

    @Test
    void anItemMissingFromTheItemsFileIsQuarantined() throws Exception {
        DatasetSpec.Items spec = new DatasetSpec.Items("items.csv", "csv", ',', true, Encoding.UTF_8, "id", "name",
                null);
        ItemCatalog catalog = ItemCatalog.read(new ByteArrayInputStream("id,name\na,Toy Story\n".getBytes(
                StandardCharsets.UTF_8)), "items.csv", spec);
        DatasetSpec d = new DatasetSpec("i.csv", null, "csv", ',', new DatasetSpec.Columns(null, null, null, null,
                null, "user", null, "item", null));
        Ingestor.Result r = new InteractionIngestor(d, -Double.MAX_VALUE, HASH, catalog).read(
                new ByteArrayInputStream("user,item\nu,a\nu,zz\n".getBytes(StandardCharsets.UTF_8)), "i.csv");
        assertEquals("Toy Story", r.samples().get(0).title());
        assertEquals(1.0, r.samples().get(0).label(), "no rating column: every row is a positive with label 1");
        assertEquals("i.csv:3: field 'item': item 'zz' is not in items.csv", r.quarantined().get(0).describe("i.csv"));
    }

    @Test
    void aRowBelowThePositiveThresholdIsLeftOutWhateverItsItem() throws Exception {
        DatasetSpec.Items spec = new DatasetSpec.Items("items.csv", "csv", ',', true, Encoding.UTF_8, "id", "name",
                null);
        ItemCatalog catalog = ItemCatalog.read(new ByteArrayInputStream("id,name\na,Toy Story\n".getBytes(
                StandardCharsets.UTF_8)), "items.csv", spec);
        DatasetSpec d = new DatasetSpec("i.csv", null, "csv", ',', new DatasetSpec.Columns(null, null, null, "r",
                null, "user", null, "item", null));
        Ingestor.Result r = new InteractionIngestor(d, 4, HASH, catalog).read(new ByteArrayInputStream(
                "user,item,r\nu,a,5\nu,zz,1\nu,a,x\n".getBytes(StandardCharsets.UTF_8)), "i.csv");
        assertEquals(3, r.rowsRead());
        assertEquals(1, r.samples().size());
        assertEquals(1, r.quarantined().size(), "only the unreadable rating; the low rating of an unknown item is no "
                + "error");
        assertEquals("r", r.quarantined().get(0).field());
    }

    /** Times as a shop's log writes them: epoch seconds, instants with or without seconds, offsets, dates. */
    @Test
    void timesAreReadInTheISOFormsAShopWrites() {
        double t = 1704448800; // 2024-01-05T10:00:00Z
        assertEquals(t, InteractionIngestor.time("1704448800"));
        assertEquals(t, InteractionIngestor.time("2024-01-05T10:00:00Z"));
        assertEquals(t, InteractionIngestor.time("2024-01-05T10:00Z"), "minutes alone (a probe's, refused)");
        assertEquals(t, InteractionIngestor.time("2024-01-05T12:00+02:00"));
        assertEquals(t, InteractionIngestor.time(" 2024-01-05T11:00:00.250+01:00 "));
        assertEquals(t - 36_000, InteractionIngestor.time("2024-01-05"));
        assertTrue(Double.isNaN(InteractionIngestor.time("2024-01-05T10:00")), "no zone: which instant is unknown");
        // the forms databases and data frames export (a probe's pandas log was refused whole)
        assertEquals(t, InteractionIngestor.time("2024-01-05 10:00:00+00:00"));
        assertEquals(t, InteractionIngestor.time("2024-01-05 11:00:00.5+0100"));
        assertEquals(t, InteractionIngestor.time("2024-01-05 11:00:00+01"));
        assertEquals(t, InteractionIngestor.time("20240105T100000Z"));
        assertEquals(t, InteractionIngestor.time("2024-01-05 10:00:00 UTC"));
        assertEquals(t, InteractionIngestor.time("2024-01-05T11:00:00[Europe/Berlin]"));
        assertEquals(t, InteractionIngestor.time("2024-01-05T11:00:00+01:00[Europe/Berlin]"));
        assertTrue(Double.isNaN(InteractionIngestor.time("2024-01-05 10:00:00")), "no zone, with a space either");
        assertTrue(Double.isNaN(InteractionIngestor.time("2024-01-05 10:00:00[Mars/Base]")));
        assertTrue(Double.isNaN(InteractionIngestor.time("2024-02-30 10:00:00Z")));
        // a region alone where its clocks change names two instants or none; an offset the region never had, neither
        assertTrue(Double.isNaN(InteractionIngestor.time("2024-10-27 02:30:00[Europe/Berlin]")), "clocks go back");
        assertTrue(Double.isNaN(InteractionIngestor.time("2024-03-31 02:30:00[Europe/Berlin]")), "clocks go forward");
        assertTrue(Double.isNaN(InteractionIngestor.time("2024-01-05 10:00:00+05:00[Europe/Berlin]")));
        assertEquals(t, InteractionIngestor.time("2024-01-05 11:00:00+0100 [Europe/Berlin]"));
        assertTrue(Double.isNaN(InteractionIngestor.time("yesterday")));
    }
}
