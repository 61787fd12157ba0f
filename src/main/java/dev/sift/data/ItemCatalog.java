package dev.sift.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The items file of {@code dataset.items}, by key: the product text for rows that carry only an item key. The
 * catalogue is held in memory (one entry per item, not per row). A row of it that cannot be read, an empty key or
 * a key twice fails ingest with the file, line and field, since a join against a broken catalogue would silently
 * drop or mislabel rows.
 */
public final class ItemCatalog {
    /** One item's text and description (empty when the items file has no description column). */
    public record Item(String text, String description) {
    }

    private final String source;
    private final Map<String, Item> items = new HashMap<>();
    private final Map<String, Long> lineOf = new HashMap<>();

    private ItemCatalog(String source) {
        this.source = source;
    }

    /** Reads the items file; {@code sourceName} names it in errors. */
    public static ItemCatalog read(InputStream in, String sourceName, DatasetSpec.Items spec) throws IOException {
        ItemCatalog catalog = new ItemCatalog(sourceName);
        DatasetSpec ds = new DatasetSpec(sourceName, null, spec.format(), spec.separator(),
                new DatasetSpec.Columns(spec.key(), spec.text(), spec.description(), null, null, null, null))
                .withShape(spec.encoding(), spec.header(), null);
        RowLayout layout = new RowLayout(spec.encoding(), spec.header(), spec.separator(), spec.wanted(), null,
                new QuarantineRaw(null, null), new EncodingAdvice(), List.of(spec.key(), spec.text()));
        SourceStreams.rows(in, sourceName, ds.format(), layout, catalog.sink(spec));
        return catalog;
    }

    private RowSink sink(DatasetSpec.Items spec) {
        return new RowSink() {
            @Override
            public void row(Map<String, String> values, long line, long lines, Supplier<String> raw) {
                String key = values.getOrDefault(spec.key(), "").trim();
                if (key.isEmpty()) {
                    throw fail(line, spec.key(), "empty item key");
                }
                Long first = lineOf.putIfAbsent(key, line);
                if (first != null) {
                    throw fail(line, spec.key(), "item key '" + QuarantineRaw.truncate(key)
                            + "' appears twice (first on line " + first + ")");
                }
                String description = spec.description() == null ? "" : values.getOrDefault(spec.description(), "");
                items.put(key, new Item(values.getOrDefault(spec.text(), "").trim(), description.trim()));
            }

            @Override
            public void bad(Quarantined q) {
                throw new Ingestor.SchemaException(q.describe(source) + (q.kind().equals(Quarantined.UTF8)
                        ? " (set dataset.items.encoding)" : ""));
            }
        };
    }

    private Ingestor.SchemaException fail(long line, String field, String reason) {
        return new Ingestor.SchemaException(new Quarantined(line, field, "items", reason, "").describe(source));
    }

    /** The item with this key, or null. */
    public Item get(String key) {
        return items.get(key);
    }

    public int size() {
        return items.size();
    }

    /** The name errors use for the items file. */
    public String source() {
        return source;
    }
}
