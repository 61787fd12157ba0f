package dev.sift.stage;

import dev.sift.workflow.WorkflowSpec;
import dev.sift.store.RunCopy;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.SiftException;
import dev.sift.data.Ingestor;
import dev.sift.data.InteractionIngestor;
import dev.sift.data.ItemCatalog;
import dev.sift.data.KeyedHasher;
import dev.sift.data.LabelNoise;
import dev.sift.data.PreparedDataset;
import dev.sift.data.Quarantined;
import dev.sift.data.Split;
import dev.sift.data.SyntheticShop;
import dev.sift.config.SiftConfig;
import dev.sift.stage.StageOutputs.IngestOutput;
import dev.sift.store.DatasetEntity;
import dev.sift.store.RunLayout;
import dev.sift.store.HashKeys;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunStore;
import dev.sift.Sha256;
import dev.sift.workflow.Console;
import dev.sift.workflow.Stage;
import dev.sift.workflow.StageContext;
import dev.sift.data.DatasetSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the source (local file, s3:// URI or generated), validates rows, quarantines the bad ones in S3 with
 * line and reason, and stores the prepared dataset in S3 under its sha256.
 */
@ApplicationScoped
public class IngestStage implements Stage<IngestOutput> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore objects;
    @Inject
    RunStore runs;
    @Inject
    SiftConfig config;

    @Override
    public String name() {
        return RunLayout.INGEST;
    }

    @Override
    public Scope scope() {
        return Scope.ONCE;
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public Class<IngestOutput> outputType() {
        return IngestOutput.class;
    }

    @Inject
    RunCopy copy;

    @Override
    public List<String> specSections() {
        return List.of("dataset", "task", "split");
    }

    @Override
    public boolean cacheable() {
        return true;
    }

    /** The quarantined rows; the prepared dataset is shared by its digest. */
    @Override
    public void adopt(StageContext ctx, long from) {
        copy.objects(from, ctx.runId(), List.of(RunLayout.quarantine(from)));
    }

    /**
     * The SHA-256 of the data file and of the items file (local or in S3); a generated data set is all in the workflow.
     * Where the data has a user id column, also which key hashed the ids (its HMAC of a fixed text, which says nothing
     * of the key): a rotated {@code SIFT_PRIVACY_HASH_KEY} must not reuse data hashed with the old one.
     */
    @Override
    public String externalInputs(WorkflowSpec spec) {
        DatasetSpec ds = spec.dataset();
        String users = ds.columns() == null || ds.columns().userId() == null ? "" : " users " + keyFingerprint();
        if (ds.isGenerated() || ds.path() == null) {
            return users.strip();
        }
        StringBuilder given = new StringBuilder();
        for (Split s : ds.given() == null ? List.<Split>of() : ds.given().splits()) {
            DatasetSpec.Reading own = ds.given().readings().get(s); // read by its own name since stop 57
            given.append(' ').append(s.key()).append(' ').append(digestOf(ds.given().of(s)))
                    .append(s == Split.UTILITY ? "+in-train" : "") // since stop 56 its queries are never drawn out
                    .append(own == null ? "" : " as " + own.format() + (int) own.separator());
        }
        return digestOf(ds.path()) + (ds.items() == null ? "" : " items " + digestOf(ds.items().path())) + given
                + users;
    }

    private String keyFingerprint() {
        try {
            return new KeyedHasher(HashKeys.load(config)).hash("sift ingest cache: the key that hashed the user ids");
        } catch (IOException | RuntimeException e) {
            return "no-key"; // ingest itself reports a key it cannot read
        }
    }

    private String digestOf(String path) {
        try (InputStream in = openPath(path)) {
            return Sha256.hexOf(in);
        } catch (IOException | dev.sift.SiftException e) {
            return "unreadable:" + path; // ingest itself reports it
        }
    }

    /** The prepared dataset is still in S3 and hashes to its name. */
    @Override
    public boolean intact(StageContext ctx, IngestOutput output) {
        String key = RunLayout.dataset(output.dataset());
        return objects.exists(key) && output.dataset().equals(objects.read(key, Sha256::hexOf));
    }

    /** The name errors and the manifest use for the source, and the sha256 of its bytes as read. */
    private record Source(String name, String sha256) {
    }

    @Override
    public IngestOutput run(StageContext ctx) throws Exception {
        DatasetSpec ds = ctx.spec().dataset();
        KeyedHasher hasher = new KeyedHasher(HashKeys.load(config));
        String name = sourceName(ds);
        Ingestor.Result result;
        MessageDigest digest = Sha256.digest();
        try {
            ItemCatalog items = ds.items() == null ? null : items(ds.items());
            Ingestor ingestor = new Ingestor(ds, ctx.spec().task(), ctx.spec().split(), hasher, items);
            Reader reader = ctx.spec().task().recommendation() ? new InteractionIngestor(ds,
                    ctx.spec().task().minLabel(), hasher, items)::read : ingestor::read;
            result = ds.given() == null ? readOne(ds, reader, name, digest) : readGiven(ds, ingestor, digest);
        } catch (Ingestor.SchemaException e) {
            throw SiftException.usage(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw SiftException.usage(name + ": " + e.getMessage());
        }
        Source source = new Source(name, Sha256.hex(digest));
        String quarantineUri = result.quarantined().isEmpty() ? null : quarantine(ctx, result);
        if (result.rowsRead() == 0) { // a header and nothing else, or blank lines: said as what it is
            throw SiftException.usage(source.name() + ": no data rows (the file has "
                    + (ds.header() && "csv".equals(ds.format()) ? "its header and nothing else" : "no row") + ")");
        }
        if (result.samples().isEmpty()) {
            IngestSummary.report(ctx, source.name(), result, quarantineUri); // the reasons and the first rows, as a good run shows
            throw SiftException.usage(source.name() + ": no valid rows (" + result.quarantined().size()
                    + " quarantined" + (result.quarantined().isEmpty() ? "" : ": " + IngestSummary.reasons(result) + "; the first: "
                    + result.quarantined().get(0).describe(source.name()))
                    + (quarantineUri == null ? "" : "; see " + quarantineUri) + ")"
                    + (result.encodingAdvice() == null ? "" : "; " + result.encodingAdvice()));
        }
        List<String> said = new ArrayList<>();
        try (Console.Recording r = ctx.console().record(said)) {
            return summarised(ctx, ds, source, result, quarantineUri, said);
        }
    }

    /**
     * Stores the dataset and says what came of the reading (counts, quarantine, warnings); what it says is kept in the
     * output, for a run that reuses it ({@link #reused}).
     */
    private IngestOutput summarised(StageContext ctx, DatasetSpec ds, Source source, Ingestor.Result result,
            String quarantineUri, List<String> said) throws IOException {
        IngestSummary.checkSplits(ctx, source.name(), result);
        DatasetEntity d = store(ctx, source, result);
        IngestSummary.report(ctx, source.name(), result, quarantineUri);
        if (ctx.spec().task().classification()) {
            IngestSummary.oneLabelSplits(ctx, result);
        }
        if (!ctx.spec().task().recommendation()) {
            java.util.Optional.ofNullable(IngestSummary.conflictingLabels(result.samples(),
                    ctx.spec().task().type() == dev.sift.data.TaskType.REGRESSION))
                    .ifPresent(w -> ctx.console().info("  " + w));
        }
        if (ctx.spec().task().type() == dev.sift.data.TaskType.REGRESSION) {
            java.util.Optional.ofNullable(IngestSummary.looseRange(result.samples(), ctx.spec().task()))
                    .ifPresent(w -> ctx.console().info("  " + w));
        }
        SplitOverlap.warn(ctx, result, ds);
        if (!ctx.spec().task().recommendation()) {
            FewQueries.warnings(result.samples(), ds.given(), ds.columns().group() != null)
                    .forEach(w -> ctx.console().info("  " + w));
        }
        if (ds.noise() != null) {
            ctx.console().info(String.format("  label noise %s: flipped %d of %d training labels (marked noisy)",
                    ds.noise().describe(), result.flipped(), result.count(Split.TRAIN)));
        }
        return new IngestOutput(d.sha256, d.uri, result.rowsRead(), d.rows, d.trainRows, d.validationRows,
                d.testRows, d.quarantined, d.duplicates, quarantineUri, result.count(Split.UTILITY),
                result.quarantinedLines(), ds.noise() == null ? null : result.flipped(),
                List.copyOf(said.subList(0, Math.min(said.size(), SAID_LINES))));
    }

    /** At most this many lines of what the ingest said are kept for a reusing run. */
    private static final int SAID_LINES = 60;

    /**
     * A run that reuses this output repeats what the computing run's ingest said: how many rows it quarantined and
     * why, and its warnings (a label range that quarantined 42% of the rows was otherwise said only once).
     */
    @Override
    public void reused(StageContext ctx, IngestOutput out, long origin) {
        if (out.said() == null) { // stored before stop 46: the counts alone
            ctx.console().info("  " + out.rowsRead() + " rows read by run " + origin + ": kept " + out.rows()
                    + ", quarantined " + out.quarantined() + (out.quarantineUri() == null ? "" : " (" + out.quarantineUri()
                            + ")") + "; see its ingest for the reasons and warnings");
            return;
        }
        ctx.console().info("  what run " + origin + "'s ingest said:");
        out.said().forEach(ctx.console()::info);
    }

    /** Reads one source: relevance pairs ({@link Ingestor}) or interactions ({@link InteractionIngestor}). */
    private interface Reader {
        Ingestor.Result read(InputStream in, String name) throws IOException;
    }

    private Ingestor.Result readOne(DatasetSpec ds, Reader reader, String name, MessageDigest digest)
            throws IOException {
        try (InputStream in = new DigestInputStream(open(ds), digest)) {
            Ingestor.Result result = reader.read(in, name);
            in.transferTo(OutputStream.nullOutputStream()); // the source digest covers every byte
            return result;
        }
    }

    /**
     * The train, validation, utility and test files of a given split; the digest covers those given in that order
     * (train, validation and test alone as before the utility file, so their stored digests still match).
     */
    private Ingestor.Result readGiven(DatasetSpec ds, Ingestor ingestor, MessageDigest digest) throws IOException {
        List<InputStream> opened = new java.util.ArrayList<>();
        try {
            List<Ingestor.Part> parts = new java.util.ArrayList<>();
            for (var f : ds.given().files(ds.path()).entrySet()) { // a split no file gives is drawn
                InputStream in = new DigestInputStream(openPath(f.getValue()), digest);
                opened.add(in);
                parts.add(new Ingestor.Part(in, f.getValue(), f.getKey()));
            }
            Ingestor.Result result = ingestor.readGiven(parts);
            for (InputStream in : opened) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            return result;
        } finally {
            for (InputStream in : opened) {
                in.close();
            }
        }
    }

    private static String sourceName(DatasetSpec ds) {
        if (ds.isGenerated()) {
            DatasetSpec.Generate g = ds.generate();
            return "generated(rows=" + g.rows() + ", noise=" + g.noise() + ", seed=" + g.seed() + ")";
        }
        return ds.path();
    }

    /** The source as a stream: generated in memory, an S3 object, or a local file; never read whole here. */
    private InputStream open(DatasetSpec ds) throws IOException {
        if (ds.isGenerated()) {
            StringWriter w = new StringWriter();
            DatasetSpec.Generate g = ds.generate();
            SyntheticShop.writeCsv(SyntheticShop.generate(g.rows(), g.noise(), g.seed()), w);
            return new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8));
        }
        return openPath(ds.path());
    }

    private InputStream openPath(String path) throws IOException {
        if (path.startsWith("s3://")) {
            return objects.open(path);
        }
        if (dev.sift.config.SiftHome.holds(Path.of(path))) { // checked at validate too; a link may change after it
            throw dev.sift.SiftException.usage(dev.sift.config.SiftHome.refusal(path));
        }
        return dev.sift.data.LocalSource.open(path); // one that is gone: exit code 2
    }

    private ItemCatalog items(DatasetSpec.Items spec) throws IOException {
        try (InputStream in = openPath(spec.path())) {
            return ItemCatalog.read(in, spec.path(), spec);
        }
    }

    /** Writes the refused rows, with line, field and reason, to the run's quarantine object; returns its URI. */
    private String quarantine(StageContext ctx, Ingestor.Result result) throws IOException {
        StringBuilder q = new StringBuilder();
        for (Quarantined bad : result.quarantined()) {
            ObjectNode n = JSON.createObjectNode();
            n.put("line", bad.line());
            n.put("lines", bad.lines());
            n.put("field", bad.field());
            n.put("kind", bad.kind());
            n.put("reason", bad.reason());
            n.put("raw", bad.raw());
            if (bad.file() != null) {
                n.put("file", bad.file());
            }
            q.append(JSON.writeValueAsString(n)).append('\n');
        }
        String key = RunLayout.quarantine(ctx.runId());
        objects.put(key, q.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        return objects.uri(key);
    }

    /** Stores the prepared dataset under its sha256 with a manifest, and its row in PostgreSQL. */
    private DatasetEntity store(StageContext ctx, Source source, Ingestor.Result result) throws IOException {
        String sha = objects.putContentAddressed(RunLayout::dataset, "sift-dataset-", "application/x-ndjson",
                out -> PreparedDataset.write(result.samples(), out));
        String key = RunLayout.dataset(sha);
        String sourceSha = source.sha256();
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("sha256", sha);
        manifest.put("format", "jsonl");
        manifest.put("rows", result.samples().size());
        manifest.put("source", source.name());
        manifest.put("source_sha256", sourceSha);
        DatasetSpec.Given given = ctx.spec().dataset().given();
        if (given != null) {
            manifest.put("validation_source", given.validation()); // null without a validation file, as before
            given.splits().stream().filter(s -> s != Split.VALIDATION).forEach(s -> manifest.put(s.key() + "_source",
                    given.of(s)));
        }
        manifest.put("task", ctx.spec().task().type().key());
        manifest.put("min_label", ctx.spec().task().minLabel());
        manifest.put("max_label", ctx.spec().task().maxLabel());
        for (Split s : Split.values()) {
            manifest.put(s.key(), result.count(s));
        }
        noise(ctx, result, sha, manifest);
        objects.put(RunLayout.manifest(sha), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest),
                "application/json");
        DatasetEntity d = new DatasetEntity();
        d.sha256 = sha;
        d.uri = objects.uri(key);
        d.source = source.name();
        d.sourceSha256 = sourceSha;
        d.rows = result.samples().size();
        d.trainRows = result.count(Split.TRAIN);
        d.validationRows = result.count(Split.VALIDATION);
        d.testRows = result.count(Split.TEST);
        d.quarantined = result.quarantined().size();
        d.duplicates = result.duplicates();
        d.schemaJson = JSON.writeValueAsString(ctx.spec().dataset().columns());
        runs.saveDataset(d);
        return d;
    }

    /** With {@code dataset.noise}: its settings in the manifest, and the labels before the flip beside the dataset. */
    private void noise(StageContext ctx, Ingestor.Result result, String sha, ObjectNode manifest) throws IOException {
        LabelNoise.Spec noise = ctx.spec().dataset().noise();
        if (noise != null) {
            ObjectNode n = manifest.putObject("noise");
            n.put("kind", noise.kind().key());
            n.put("fraction", noise.fraction());
            n.put("seed", noise.seed());
            n.put("flipped", result.flipped());
            // the labels before the flip, so that evaluate can train the clean reference the noise is measured by
            ObjectNode flips = JSON.createObjectNode();
            var indices = flips.putArray("indices");
            var original = flips.putArray("original");
            for (int k = 0; k < result.flipped(); k++) {
                indices.add(result.flips().indices()[k]);
                original.add(result.flips().original()[k]);
            }
            objects.put(RunLayout.noise(sha), JSON.writeValueAsBytes(flips), "application/json");
        }
    }
}
