package dev.sift.data;

import dev.sift.data.DatasetSpec.Columns;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads implicit-feedback interactions (user, item, optional rating, optional time) for {@code task.type:
 * recommendation}, with the same readers, encodings and quarantine as {@link Ingestor}. A row is positive when it
 * has no rating column or its rating is at least {@code positiveAt}; other rows are read and left out (counted as
 * neither kept nor quarantined). A user's second positive of the same item is an exact duplicate (the earliest is
 * kept). The split is per user by time (the common sequential protocol): with three or more positives, the last
 * tests and the one before validates; the rest trains. Time ties, and rows without a time column, keep source order.
 * <p>
 * Each kept interaction becomes a {@link Sample}: the user's keyed hash is its query, group and user; the item's
 * text its title; the rating (1 without one) its label; the item key its item. Samples come user by user (in order
 * of first appearance), each user's in time order, so index order within a user is time order.
 */
public final class InteractionIngestor {
    private final DatasetSpec dataset;
    private final double positiveAt;
    private final KeyedHasher hasher;
    private final ItemCatalog items;

    /** {@code items}: the catalogue of {@code dataset.items}, or null (the item key is then its text). */
    public InteractionIngestor(DatasetSpec dataset, double positiveAt, KeyedHasher hasher, ItemCatalog items) {
        this.dataset = dataset;
        this.positiveAt = positiveAt;
        this.hasher = hasher;
        this.items = items;
    }

    /** One positive interaction as read, before the split. */
    private record Row(String user, String item, String text, String description, double rating, double time,
            long line) {
    }

    /** A row whose rating is below {@code positiveAt}. */
    private static final Row NOT_POSITIVE = new Row("", "", "", "", Double.NEGATIVE_INFINITY, 0, 0);

    /** The highest rating read so far (for the message when no row reaches {@code positiveAt}). */
    private final double[] maxRating = {Double.NEGATIVE_INFINITY};

    private RowLayout layout(EncodingAdvice advice) {
        Columns c = dataset.columns();
        return new RowLayout(dataset.encoding(), dataset.header(), dataset.separator(), c.mapped(), c.userId(),
                new QuarantineRaw(hasher, c.userId()), advice, java.util.stream.Stream.of(c.userId(), c.item())
                        .filter(java.util.Objects::nonNull).toList());
    }

    /** Thrown by {@link #requirePositive}'s sink at the first positive row: the rest need not be read. */
    private static final class FoundPositive extends RuntimeException {
        FoundPositive() {
            super(null, null, false, false);
        }
    }

    /**
     * Reads until the first positive interaction and stops there, keeping nothing (a check before a run, which must
     * not cost what ingest costs); with none in the file, the {@link IllegalArgumentException} that {@link #read}
     * would throw, in its words.
     */
    public void requirePositive(InputStream in, String sourceName) throws IOException {
        List<Quarantined> bad = new ArrayList<>();
        long[] counts = new long[3];
        try {
            SourceStreams.rows(in, sourceName, dataset.format(), layout(new EncodingAdvice()), new RowSink() {
                @Override
                public void row(Map<String, String> values, long line, long lines, Supplier<String> raw) {
                    Row r = accept(values, line, lines, raw, bad);
                    if (r == NOT_POSITIVE) {
                        counts[2]++;
                    } else if (r != null) {
                        throw new FoundPositive();
                    }
                }

                @Override
                public void bad(Quarantined q) {
                    bad.add(q);
                }
            });
        } catch (FoundPositive found) {
            return;
        }
        noPositive(counts[2], bad, sourceName);
    }

    /** With rows below {@code positiveAt} and none at or above it: the one-line reason ingest stops with. */
    private void noPositive(long below, List<Quarantined> bad, String sourceName) {
        if (below > 0 && maxRating[0] < positiveAt) {
            throw new IllegalArgumentException("no positive interaction: " + below + " rows have a rating below "
                    + "task.positive_at " + Text.number(positiveAt) + " (the highest read is " + Text.number(maxRating[0]) + ")"
                    + (bad.isEmpty() ? "" : " and " + bad.size() + " more are quarantined (the first: "
                    + bad.get(0).describe(sourceName) + ")"));
        }
    }

    /** Reads, validates, keeps the positives and splits them per user by time. */
    public Ingestor.Result read(InputStream in, String sourceName) throws IOException {
        EncodingAdvice advice = new EncodingAdvice();
        RowLayout layout = layout(advice);
        Map<String, List<Row>> byUser = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        List<Quarantined> bad = new ArrayList<>();
        long[] counts = new long[3]; // rows read, duplicates, rows below positive_at
        SourceStreams.rows(in, sourceName, dataset.format(), layout, new RowSink() {
            @Override
            public void row(Map<String, String> values, long line, long lines, Supplier<String> raw) {
                counts[0]++;
                Row r = accept(values, line, lines, raw, bad);
                if (r == NOT_POSITIVE) {
                    counts[2]++;
                }
                if (r == null || r == NOT_POSITIVE) {
                    return;
                }
                if (!seen.add(r.user() + '\u0000' + r.item())) {
                    counts[1]++;
                    // the earliest of a user's repeated positives stands for them
                    List<Row> rows = byUser.get(r.user());
                    int at = indexOf(rows, r.item());
                    if (r.time() < rows.get(at).time()) {
                        rows.set(at, r);
                    }
                    return;
                }
                byUser.computeIfAbsent(r.user(), u -> new ArrayList<>()).add(r);
            }

            @Override
            public void bad(Quarantined q) {
                counts[0]++;
                bad.add(q);
            }
        });
        if (byUser.isEmpty()) {
            noPositive(counts[2], bad, sourceName);
        }
        return new Ingestor.Result(split(byUser), bad, (int) counts[0], (int) counts[1], null,
                advice.message());
    }

    private static int indexOf(List<Row> rows, String item) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).item().equals(item)) {
                return i;
            }
        }
        throw new IllegalStateException("no row of item " + item);
    }

    /** Leave-last-out per user: the last positive tests, the one before validates, when a user has three or more. */
    private static List<Sample> split(Map<String, List<Row>> byUser) {
        List<Sample> out = new ArrayList<>();
        TextPool texts = new TextPool();
        for (List<Row> rows : byUser.values()) {
            rows.sort(Comparator.comparingDouble(Row::time).thenComparingLong(Row::line));
            int n = rows.size();
            for (int i = 0; i < n; i++) {
                Row r = rows.get(i);
                Split s = n >= 3 && i == n - 1 ? Split.TEST : n >= 3 && i == n - 2 ? Split.VALIDATION : Split.TRAIN;
                out.add(texts.of(new Sample(out.size(), r.user(), r.text(), r.description(), r.rating(), r.user(),
                        r.user(), false, s, r.line(), r.item())));
            }
        }
        return out;
    }

    /** The interaction a row makes, or null when it is refused (then {@code bad} has been told why). */
    private Row accept(Map<String, String> v, long line, long lines, Supplier<String> raw, List<Quarantined> bad) {
        Columns c = dataset.columns();
        String user = v.getOrDefault(c.userId(), "").trim();
        if (user.isEmpty()) {
            return refuse(bad, line, lines, c.userId(), Quarantined.EMPTY, "empty user id", raw);
        }
        double rating = 1;
        if (c.label() != null) {
            rating = number(v.get(c.label()));
            if (Double.isNaN(rating)) {
                String text = String.valueOf(v.get(c.label())).trim();
                return refuse(bad, line, lines, c.label(), Quarantined.NOT_A_NUMBER, "rating is not a number: '"
                        + QuarantineRaw.truncate(text) + "'" + (Text.commaNumber(text) ? " (a comma in a "
                                + "number: write ratings with a decimal point and no thousands separator, 4.5 not "
                                + "4,5)" : ""), raw);
            }
        }
        maxRating[0] = Math.max(maxRating[0], rating);
        if (rating < positiveAt) {
            return NOT_POSITIVE; // read and left out: neither kept nor quarantined, whatever its item
        }
        String key = v.getOrDefault(c.item(), "").trim();
        if (key.isEmpty()) {
            return refuse(bad, line, lines, c.item(), Quarantined.EMPTY, "empty item key", raw);
        }
        String text = key;
        String description = "";
        if (items != null) {
            ItemCatalog.Item item = items.get(key);
            if (item == null) {
                return refuse(bad, line, lines, c.item(), Quarantined.UNKNOWN_ITEM, "item '"
                        + QuarantineRaw.truncate(key) + "' is not in " + items.source(), raw);
            }
            text = item.text().isEmpty() ? key : item.text();
            description = item.description();
        } else if (c.title() != null && !v.getOrDefault(c.title(), "").isBlank()) {
            text = v.get(c.title()).trim();
        }
        if (text.chars().anyMatch(ch -> ch == 0 || ch == 0x1B || ch == 0x9B)) {
            return refuse(bad, line, lines, c.item(), Quarantined.CONTROL, "the item's text contains a control "
                    + "character (NUL, escape sequence or similar)", raw);
        }
        double time = line;
        if (c.time() != null) {
            time = time(v.get(c.time()));
            if (Double.isNaN(time)) {
                return refuse(bad, line, lines, c.time(), Quarantined.NOT_A_TIME, "time is neither a number nor an "
                        + "ISO-8601 date or instant: '" + QuarantineRaw.truncate(String.valueOf(v.get(c.time())))
                        + "'", raw);
            }
        }
        return new Row(hasher.hash(user), key, text, description, rating, time, line);
    }

    private static double number(String text) {
        try {
            double d = Double.parseDouble(text == null ? "" : text.trim());
            return Double.isFinite(d) ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Seconds: a number as it stands, an ISO-8601 instant (with a zone or offset; seconds optional: a probe's
     * {@code 2024-01-05T10:00Z} was refused), or a date (its midnight UTC).
     */
    static double time(String text) {
        double d = number(text);
        if (!Double.isNaN(d) || text == null) {
            return d;
        }
        String t = text.trim();
        try {
            return Instant.parse(t).getEpochSecond();
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(t).toEpochSecond();
            } catch (DateTimeParseException e1) {
                try {
                    return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
                } catch (DateTimeParseException e2) {
                    return looseTime(t);
                }
            }
        }
    }

    /**
     * Written in the forms databases and data frames export (a probe's shop log from pandas was refused whole): a
     * space for the {@code T} (as RFC 3339 allows; PostgreSQL and pandas write it), ISO 8601's basic form
     * ({@code 20240221T180000Z}), an offset without its colon or minutes ({@code +0100}, {@code +01}), {@code UTC}
     * or {@code GMT} for {@code Z}, a region in brackets ({@code [Europe/Berlin]}) alone or after the offset. A time
     * without any zone stays unread (NaN): which instant it is is unknown.
     */
    static double looseTime(String t) {
        java.util.regex.Matcher m = LOOSE_TIME.matcher(t);
        if (!m.matches() || m.group(8) == null && m.group(9) == null) {
            return Double.NaN;
        }
        try {
            java.time.LocalDateTime local = java.time.LocalDateTime.of(Integer.parseInt(m.group(1)),
                    Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)), m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
            String offset = m.group(8) == null ? null : m.group(8).toUpperCase(java.util.Locale.ROOT);
            ZoneOffset fixed = offset == null ? null : offset.equals("Z") || offset.equals("UTC")
                    || offset.equals("GMT") ? ZoneOffset.UTC : ZoneOffset.of(offset.length() == 5
                            ? offset.substring(0, 3) + ":" + offset.substring(3) : offset);
            java.time.zone.ZoneRules region = m.group(9) == null ? null : java.time.ZoneId.of(m.group(9)).getRules();
            if (fixed == null) {
                // a region alone names one instant only outside its clock changes: 02:30 on a night the clocks go
                // back is two instants, on one they go forward none
                List<ZoneOffset> valid = region.getValidOffsets(local);
                return valid.size() == 1 ? local.toEpochSecond(valid.get(0)) : Double.NaN;
            }
            // an offset and a region that contradict each other: which one is meant is unknown
            return region != null && !region.isValidOffset(local, fixed) ? Double.NaN : local.toEpochSecond(fixed);
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static final java.util.regex.Pattern LOOSE_TIME = java.util.regex.Pattern.compile("(\\d{4})-?(\\d{2})-?"
            + "(\\d{2})[T ](\\d{2}):?(\\d{2})(?::?(\\d{2})(\\.\\d{1,9})?)? ?(Z|UTC|GMT|[+-]\\d{2}(?::?\\d{2})?)?"
            + "(?: ?\\[([^\\]]+)\\])?", java.util.regex.Pattern.CASE_INSENSITIVE);

    private static Row refuse(List<Quarantined> bad, long line, long lines, String field, String kind, String reason,
            Supplier<String> raw) {
        bad.add(new Quarantined(line, lines, field, kind, reason, raw.get()));
        return null;
    }
}
