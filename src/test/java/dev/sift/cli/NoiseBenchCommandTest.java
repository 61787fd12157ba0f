package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.SiftException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sift bench noise} on a workflow whose model is a pretrained encoder fine-tuned as a cross-encoder. */
class NoiseBenchCommandTest {
    private static final String WORKFLOW = """
            name: tiny-bert-noise
            dataset:
              generate: {rows: 240, noise: 0.0, seed: 3}
              noise: {fraction: 0.2, kind: adjacent, seed: 5}
            task: {type: graded, min_label: 0, max_label: 3}
            model: {encoder: bert, source: %s, mode: %s, max_length: 24}
            fine_tune: {epochs: 2, batch_size: 16, learning_rate: 0.001, seed: 1}
            iterations: 1
            """;

    @Test
    void aCrossEncoderWorkflowIsFineTunedAndEveryMethodItSupportsRanksTheFlips(@TempDir Path dir) throws Exception {
        dev.sift.model.TinyBert.write(dir.resolve("tiny"), 1, null);
        Path wf = dir.resolve("wf.yaml");
        Files.writeString(wf, WORKFLOW.formatted(dir.resolve("tiny"), "full"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            code = new CommandLine(new NoiseBenchCommand()).execute(wf.toString(), "--seeds", "1", "--cross-fit",
                    "0", "--format", "json", "--scores-out", dir.resolve("scores").toString());
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        Set<String> methods = new HashSet<>();
        for (JsonNode row : new ObjectMapper().readTree(text)) {
            methods.add(row.get("method").asText());
            double auroc = row.get("auroc_mean").asDouble();
            assertTrue(auroc >= 0 && auroc <= 1, row.toString());
            if (!row.get("method").asText().equals("label_only")) {
                // --scores-out: the per-sample scores the row was measured on
                List<String> lines = Files.readAllLines(dir.resolve("scores/seed-1-" + row.get("method").asText()
                        + ".csv"));
                assertEquals("label,noisy,score", lines.get(0));
                int n = lines.size() - 1;
                double[] score = new double[n];
                double[] label = new double[n];
                boolean[] noisy = new boolean[n];
                for (int i = 0; i < n; i++) {
                    String[] f = lines.get(i + 1).split(",");
                    label[i] = Double.parseDouble(f[0]);
                    noisy[i] = f[1].equals("1");
                    score[i] = Double.parseDouble(f[2]);
                }
                assertEquals(auroc, dev.sift.evaluation.NoiseDetection.of(score, noisy, label).auroc(), 1e-12,
                        row.toString());
            }
        }
        for (String m : new String[] {"loss", "el2n", "grad_norm", "tracin", "knn_shapley", "aum", "ensemble",
            "label_only"}) {
            assertTrue(methods.contains(m), m + " missing from " + methods);
        }
        // what needs the hashed model's ghost norms, the alignment pass or the cross-fit is left out, not faked
        assertFalse(methods.contains("grand") || methods.contains("gradient_alignment")
                || methods.contains("oof_loss"), methods.toString());
    }

    @Test
    void crossEncoderIsRefusedWithoutAWorkflowAndForAWorkflowWithAnotherModel(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("d.csv"),
                "query,product_title,product_description,median_relevance\n");
        NoiseBenchCommand data = new NoiseBenchCommand();
        new CommandLine(data).parseArgs("--data", csv.toString(), "--model", "cross-encoder");
        SiftException e = assertThrows(SiftException.class, data::call);
        assertTrue(e.getMessage().contains("--model cross-encoder fine-tunes a workflow's pretrained encoder"),
                e.getMessage());
        // --data reads any of the encodings ingest knows (a probe's windows-1252 file was told to set
        // dataset.encoding, which --data, taking no workflow, cannot)
        assertEquals(dev.sift.data.Encoding.AUTO, dev.sift.bench.NoiseBenchmark.setup(new dev.sift.bench
                .NoiseBenchmark.Options(csv, 0.2, 1, 1, dev.sift.bench.NoiseBenchmark.ModelKind.HASHED_BOW)).dataset()
                .encoding());

        dev.sift.model.TinyBert.write(dir.resolve("tiny"), 1, null);
        Path wf = Files.writeString(dir.resolve("head.yaml"), WORKFLOW.formatted(dir.resolve("tiny"), "head"));
        NoiseBenchCommand head = new NoiseBenchCommand();
        new CommandLine(head).parseArgs(wf.toString(), "--model", "cross-encoder");
        e = assertThrows(SiftException.class, head::call);
        assertTrue(e.getMessage().contains("needs a workflow whose model is a pretrained encoder in mode full or "
                + "last_layers; this one's is bert head"), e.getMessage());

        // interactions have no labels to flip; and no seeds is nothing to measure
        Path rec = RecommendationFixture.write(dir);
        NoiseBenchCommand interactions = new NoiseBenchCommand();
        new CommandLine(interactions).parseArgs(rec.toString());
        e = assertThrows(SiftException.class, interactions::call);
        assertTrue(e.getMessage().contains("a recommendation task has interactions instead"), e.getMessage());
        NoiseBenchCommand none = new NoiseBenchCommand();
        new CommandLine(none).parseArgs(wf.toString(), "--seeds", "0");
        e = assertThrows(SiftException.class, none::call);
        assertEquals("--seeds must be at least 1, got 0", e.getMessage());
        // --noise 0 on data that marks no label noisy: nothing to detect, said before any model trains
        NoiseBenchCommand clean = new NoiseBenchCommand();
        new CommandLine(clean).parseArgs(wf.toString(), "--model", "hashed-bow", "--noise", "0", "--seeds", "1",
                "--cross-fit", "0");
        e = assertThrows(SiftException.class, clean::call);
        assertTrue(e.getMessage().startsWith("nothing to detect: no training label of seed 1 is noisy (the noise "
                + "fraction 0.0 of "), e.getMessage());

        // a checkpoint that does not fit its config is a usage error naming the tensor, as in the fine-tune stage
        dev.sift.model.TinyBert.write(dir.resolve("broken"), 1, "encoder.layer.1.output.dense.bias");
        Path bad = Files.writeString(dir.resolve("broken.yaml"), WORKFLOW.formatted(dir.resolve("broken"), "full"));
        NoiseBenchCommand broken = new NoiseBenchCommand();
        new CommandLine(broken).parseArgs(bad.toString(), "--seeds", "1", "--cross-fit", "0");
        e = assertThrows(SiftException.class, broken::call);
        assertTrue(e.getMessage().startsWith("model.source: ") && e.getMessage().contains(
                "checkpoint has no tensor encoder.layer.1.output.dense.bias"), e.getMessage());
    }

    /**
     * The bench ranks every method, TracIn and KNN-Shapley too, so it holds out their utility split whatever the
     * workflow's own methods; a workflow that sets split.utility gets that share.
     */
    @Test
    void theBenchHoldsOutTheUtilitySplitWhateverMethodsTheWorkflowRuns(@TempDir Path dir) throws Exception {
        Path wf = Files.writeString(dir.resolve("wf.yaml"), """
                name: hashed-noise
                dataset:
                  generate: {rows: 400, noise: 0.0, seed: 3}
                fine_tune: {epochs: 1}
                model: {buckets: 128, dim: 8, hidden: 8}
                score: {methods: [loss]}
                filter: {by: loss}
                """);
        long lossOnly = scored(wf, dir.resolve("a"));
        long everyMethod = scored(wf, dir.resolve("b"), "--set", "score.methods=[loss,tracin]");
        long none = scored(wf, dir.resolve("c"), "--set", "split.utility=0");
        assertEquals(everyMethod, lossOnly, "the same training split");
        assertTrue(none > lossOnly, none + " against " + lossOnly + ": with no utility split its queries train");
        // no validation split: the value methods read the utility split, and nothing refuses it (a build of this
        // stop refused it, as if a split of no query)
        long noValidation = scored(wf, dir.resolve("d"), "--set", "split.validation=0");
        assertTrue(noValidation > lossOnly, noValidation + " against " + lossOnly);
        // regression defines neither method that reads a utility split: its queries train (a probe's held 10% out)
        long regression = scored(wf, dir.resolve("e"), "--set", "task={type: regression, min_label: 0, max_label: 3}");
        assertEquals(none, regression, "the training split without a utility split");
    }

    /**
     * A workflow whose data comes as files (training, validation, utility, test) is benched on those files: the
     * training file alone is flipped and scored (before stop 55 the bench read only dataset.path and drew its splits
     * from it, so a given validation file was never read).
     */
    @Test
    void aGivenSplitsFilesAreReadAsARunReadsThem(@TempDir Path dir) throws Exception {
        List<dev.sift.data.SyntheticShop.Row> rows = dev.sift.data.SyntheticShop.generate(400, 0, 3);
        java.util.Map<String, StringBuilder> files = new java.util.LinkedHashMap<>();
        for (String f : List.of("train", "valid", "utility", "test")) {
            files.put(f, new StringBuilder("query,title,label\n"));
        }
        int trainRows = 0;
        List<String> queries = rows.stream().map(dev.sift.data.SyntheticShop.Row::query).distinct().toList();
        assertTrue(queries.size() >= 10, queries.toString());
        for (dev.sift.data.SyntheticShop.Row r : rows) {
            int h = queries.indexOf(r.query()) % 10; // by query: 6 of 10 train, then one each, test two
            String f = h < 6 ? "train" : h == 6 ? "valid" : h == 7 ? "utility" : "test";
            files.get(f).append('"').append(r.query()).append("\",\"").append(r.title()).append("\",")
                    .append(r.label()).append('\n');
            trainRows += f.equals("train") ? 1 : 0;
        }
        for (var e : files.entrySet()) {
            Files.writeString(dir.resolve(e.getKey() + ".csv"), e.getValue());
        }
        Path wf = Files.writeString(dir.resolve("wf.yaml"), """
                name: given-noise
                dataset:
                  path: train.csv
                  validation: valid.csv
                  utility: utility.csv
                  test: test.csv
                  columns: {query: query, title: title, label: label}
                fine_tune: {epochs: 1}
                model: {buckets: 128, dim: 8, hidden: 8}
                score: {methods: [loss, tracin]}
                filter: {by: loss}
                """);
        long scored = scored(wf, dir.resolve("a"));
        assertTrue(scored > 0 && scored <= trainRows, scored + " of " + trainRows);
        assertTrue(scored >= trainRows - 20, "the training file's rows, less exact duplicates: " + scored + " of "
                + trainRows);
        // the utility file is what TracIn values against: its labels turned over change the scores, not the count
        StringBuilder turned = new StringBuilder();
        for (String line : files.get("utility").toString().split("\n")) {
            int comma = line.lastIndexOf(',');
            String label = line.substring(comma + 1);
            turned.append(line, 0, comma + 1).append(label.equals("label") ? label : String.valueOf(3
                    - Integer.parseInt(label))).append('\n');
        }
        Files.writeString(dir.resolve("utility.csv"), turned);
        assertEquals(scored, scored(wf, dir.resolve("b")));
        assertFalse(Files.readString(dir.resolve("a/seed-1-tracin.csv")).equals(Files.readString(dir.resolve(
                "b/seed-1-tracin.csv"))), "TracIn read the utility file");
    }

    /**
     * Rows the read leaves out are said once, with their reasons and the first of them, before anything trains (a
     * probe's Latin-1 file lost 63 of 344 rows without a word); a file with no row to flip, and options that cannot
     * apply, are refused in one line.
     */
    @Test
    void rowsLeftOutAreSaidAndWhatCannotApplyIsRefused(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("query,product_title,product_description,median_relevance\n");
        for (dev.sift.data.SyntheticShop.Row r : dev.sift.data.SyntheticShop.generate(240, 0, 3)) {
            csv.append(r.query()).append(',').append(r.title()).append(",d,").append(r.label() + 1).append('\n');
        }
        csv.append("lamp,Acme lamp,d,x\nlamp,Acme desk lamp,d,y\nlamp,Luma lamp,d,z\n");
        Path data = Files.writeString(dir.resolve("cf.csv"), csv);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        PrintStream oldOut = System.out;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            code = new CommandLine(new NoiseBenchCommand()).execute("--data", data.toString(), "--seeds", "2",
                    "--epochs", "1", "--cross-fit", "0");
        } finally {
            System.setErr(old);
            System.setOut(oldOut);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, said);
        List<String> left = said.lines().filter(l -> l.startsWith("read ")).toList();
        assertEquals(1, left.size(), said);
        // the generated shop repeats a few pairs word for word: removed as duplicates, and counted in the line
        assertTrue(left.get(0).matches("read 243 rows of \\Q" + data + "\\E: 3 left out \\(label not a number 3; the "
                + "first: \\Q" + data + "\\E:242: field 'median_relevance': .*\\)(; (\\d+) exact duplicates "
                + "removed)?; every seed measures the \\d+ kept"), left.get(0));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) exact.* the (\\d+) kept")
                .matcher(left.get(0));
        assertTrue(!m.find() || Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)) == 240, left.get(0));
        assertTrue(said.indexOf(left.get(0)) < said.indexOf("seed 1:"), "said before the first seed's result");

        Path header = Files.writeString(dir.resolve("h.csv"), "query,product_title,product_description,"
                + "median_relevance\nlamp,Acme lamp,d,x\n");
        SiftException e = assertThrows(SiftException.class, () -> call("--data", header.toString()));
        assertTrue(e.getMessage().startsWith(header + ": no training rows to flip (read 1 rows of "), e.getMessage());
        StringBuilder two = new StringBuilder("query,product_title,product_description,median_relevance\n");
        for (int i = 0; i < 30; i++) {
            two.append(List.of("lamp", "mug").get(i % 2)).append(",item ").append(i).append(",d,")
                    .append(1 + i % 4).append('\n');
        }
        Path few = Files.writeString(dir.resolve("few.csv"), two);
        e = assertThrows(SiftException.class, () -> call("--data", few.toString(), "--cross-fit", "0"), "a usage "
                + "error (exit 2), as ingest says it, not an IllegalStateException of TracIn's (exit 1)");
        assertEquals(few + ": only 2 distinct queries among 30 valid rows: too few to split by query; validation "
                + "would be empty. Use data with more queries", e.getMessage());
        StringBuilder six = new StringBuilder("query,product_title,product_description,median_relevance\n");
        for (int i = 0; i < 60; i++) {
            six.append("query ").append(i % 6).append(",item ").append(i).append(",d,").append(1 + i % 4).append('\n');
        }
        Path sixQueries = Files.writeString(dir.resolve("six.csv"), six);
        e = assertThrows(SiftException.class, () -> call("--data", sixQueries.toString()));
        assertTrue(e.getMessage().matches("--cross-fit 5: cross-fitting with 5 folds needs at least 5 queries in the "
                + "pool, it has [1-4] \\(--cross-fit 0 turns it off\\)"), e.getMessage());
        e = assertThrows(SiftException.class, () -> call("--data", data.toString(), "--set", "dataset.separator=;"));
        assertTrue(e.getMessage().startsWith("--set changes a workflow's values; --data reads CrowdFlower's "),
                e.getMessage());
        e = assertThrows(SiftException.class, () -> call("--data", data.toString(), "--ensemble", ","));
        assertEquals("--ensemble needs at least one method", e.getMessage());
        e = assertThrows(SiftException.class, () -> call("--data", data.toString(), "--ensemble", "loss,ensemble"));
        assertEquals("--ensemble: the ensemble cannot be a member of itself", e.getMessage());
        e = assertThrows(SiftException.class, () -> call("--data", data.toString(), "--ensemble", "loss,nope"));
        assertTrue(e.getMessage().startsWith("--ensemble: unknown member 'nope'; known: ")
                && !e.getMessage().contains(" ensemble"), e.getMessage());
    }

    private static void call(String... args) throws Exception {
        NoiseBenchCommand c = new NoiseBenchCommand();
        new CommandLine(c).parseArgs(args);
        c.call();
    }

    /** Training samples the bench scored (lines of one method's scores, header aside). */
    private static long scored(Path wf, Path out, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(wf.toString(), "--seeds", "1", "--cross-fit", "0",
                "--scores-out", out.toString()));
        args.addAll(List.of(more));
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = new CommandLine(new NoiseBenchCommand()).execute(args.toArray(new String[0]));
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return Files.readAllLines(out.resolve("seed-1-loss.csv")).size() - 1L;
    }
}
