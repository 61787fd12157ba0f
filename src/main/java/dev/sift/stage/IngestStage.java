package dev.sift.stage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.SiftException;
import dev.sift.data.Ingestor;
import dev.sift.data.KeyedHasher;
import dev.sift.data.PreparedDataset;
import dev.sift.data.Quarantined;
import dev.sift.data.Split;
import dev.sift.data.SyntheticShop;
import dev.sift.config.SiftConfig;
import dev.sift.store.DatasetEntity;
import dev.sift.store.HashKeys;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunStore;
import dev.sift.Sha256;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import dev.sift.workflow.WorkflowSpec.DatasetSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads the source (local file, s3:// URI or generated), validates rows, quarantines the bad ones in S3 with
 * line and reason, and stores the prepared dataset in S3 under its sha256.
 */
@ApplicationScoped
public class IngestStage implements Stage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN_ERRORS = 10;

    @Inject
    ObjectStore objects;
    @Inject
    RunStore runs;
    @Inject
    SiftConfig config;

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public ObjectNode run(StageContext ctx) throws Exception {
        DatasetSpec ds = ctx.spec().dataset();
        KeyedHasher hasher = new KeyedHasher(HashKeys.load(config));
        Ingestor ingestor = new Ingestor(ds, ctx.spec().task(), ctx.spec().split(), hasher);
        byte[] source;
        String sourceName;
        if (ds.isGenerated()) {
            StringWriter w = new StringWriter();
            SyntheticShop.writeCsv(SyntheticShop.generate(ds.generate().rows(), ds.generate().noise(),
                    ds.generate().seed()), w);
            source = w.toString().getBytes(StandardCharsets.UTF_8);
            sourceName = "generated(rows=" + ds.generate().rows() + ", noise=" + ds.generate().noise() + ", seed="
                    + ds.generate().seed() + ")";
        } else if (ds.path().startsWith("s3://")) {
            try (InputStream in = objects.open(ds.path())) {
                source = in.readAllBytes();
            }
            sourceName = ds.path();
        } else {
            source = Files.readAllBytes(Path.of(ds.path()));
            sourceName = ds.path();
        }
        String sourceSha = Sha256.hex(source);
        Ingestor.Result result;
        try {
            result = ingestor.read(new ByteArrayInputStream(source), sourceName);
        } catch (Ingestor.SchemaException e) {
            throw SiftException.usage(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw SiftException.usage(sourceName + ": " + e.getMessage());
        }
        String quarantineUri = null;
        if (!result.quarantined().isEmpty()) {
            StringBuilder q = new StringBuilder();
            for (Quarantined bad : result.quarantined()) {
                ObjectNode n = JSON.createObjectNode();
                n.put("line", bad.line());
                n.put("lines", bad.lines());
                n.put("field", bad.field());
                n.put("kind", bad.kind());
                n.put("reason", bad.reason());
                n.put("raw", bad.raw());
                q.append(JSON.writeValueAsString(n)).append('\n');
            }
            String key = "runs/" + ctx.runId() + "/ingest/quarantine.jsonl";
            objects.put(key, q.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
            quarantineUri = objects.uri(key);
        }
        if (result.samples().isEmpty()) {
            throw SiftException.usage(sourceName + ": no valid rows (" + result.quarantined().size()
                    + " quarantined" + (quarantineUri == null ? "" : ", see " + quarantineUri) + ")");
        }
        byte[] prepared = PreparedDataset.write(result.samples());
        String sha = Sha256.hex(prepared);
        String key = "datasets/" + sha + "/data.jsonl";
        if (!objects.exists(key)) {
            objects.put(key, prepared, "application/x-ndjson");
        }
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("sha256", sha);
        manifest.put("format", "jsonl");
        manifest.put("rows", result.samples().size());
        manifest.put("source", sourceName);
        manifest.put("source_sha256", sourceSha);
        manifest.put("task", ctx.spec().task().type().name().toLowerCase());
        manifest.put("min_label", ctx.spec().task().minLabel());
        manifest.put("max_label", ctx.spec().task().maxLabel());
        for (Split s : Split.values()) {
            manifest.put(s.key(), result.count(s));
        }
        objects.put("datasets/" + sha + "/manifest.json", JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(manifest), "application/json");

        DatasetEntity d = new DatasetEntity();
        d.sha256 = sha;
        d.uri = objects.uri(key);
        d.source = sourceName;
        d.sourceSha256 = sourceSha;
        d.rows = result.samples().size();
        d.trainRows = result.count(Split.TRAIN);
        d.validationRows = result.count(Split.VALIDATION);
        d.testRows = result.count(Split.TEST);
        d.quarantined = result.quarantined().size();
        d.duplicates = result.duplicates();
        d.schemaJson = JSON.writeValueAsString(ctx.spec().dataset().columns());
        runs.saveDataset(d);

        report(ctx, sourceName, result, quarantineUri);
        ObjectNode out = JSON.createObjectNode();
        out.put("dataset", sha);
        out.put("uri", d.uri);
        out.put("rows_read", result.rowsRead());
        out.put("rows", d.rows);
        out.put("train", d.trainRows);
        out.put("validation", d.validationRows);
        out.put("test", d.testRows);
        out.put("quarantined", d.quarantined);
        out.put("quarantined_lines", result.quarantinedLines());
        out.put("duplicates", d.duplicates);
        if (quarantineUri != null) {
            out.put("quarantine_uri", quarantineUri);
        }
        return out;
    }

    private static void report(StageContext ctx, String source, Ingestor.Result r, String quarantineUri) {
        Map<String, Long> reasons = r.quarantined().stream().collect(Collectors.groupingBy(
                Quarantined::kind, TreeMap::new, Collectors.counting()));
        ctx.console().info(String.format("  read %d rows: kept %d, quarantined %d (%d source lines), duplicates "
                + "removed %d; split train %d / validation %d / test %d", r.rowsRead(), r.samples().size(),
                r.quarantined().size(), r.quarantinedLines(), r.duplicates(), r.count(Split.TRAIN),
                r.count(Split.VALIDATION), r.count(Split.TEST)));
        if (!r.quarantined().isEmpty()) {
            ctx.console().info("  quarantine by reason: " + reasons.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
            List<Quarantined> shown = r.quarantined().subList(0, Math.min(SHOWN_ERRORS, r.quarantined().size()));
            for (Quarantined q : shown) {
                ctx.console().info("    " + q.describe(source));
            }
            if (r.quarantined().size() > SHOWN_ERRORS) {
                ctx.console().info("    ... " + (r.quarantined().size() - SHOWN_ERRORS) + " more");
            }
            ctx.console().info("  quarantine file: " + quarantineUri);
        }
    }
}
