package dev.sift.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.model.BertConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks on sizes small enough for a test: they run, and the implementations they compare agree. */
class BenchmarksTest {

    @Test
    void knnShapleyFastPathAgreesWithTheReference() {
        KnnShapleyBenchmark.Result r = KnnShapleyBenchmark.run(300, 12, 8, 5, 4);
        assertEquals(300, r.train());
        assertEquals(4, r.referencePoints());
        assertTrue(r.largestDifference() < 1e-9, "difference " + r.largestDifference());
        assertTrue(r.fastSeconds() > 0 && r.referenceSecondsScaled() > 0);
    }

    @Test
    void hashedModelTrainsTheSameWithOneThreadAndWithPyTorchsDefault() {
        dev.sift.model.ModelSpec model = new dev.sift.model.ModelSpec(dev.sift.model.ModelSpec.Encoder.HASHED_BOW,
                null, dev.sift.model.ModelSpec.Mode.FULL, 2, 64, dev.sift.model.ModelSpec.Pooling.MEAN, 256, 8, 8);
        dev.sift.model.TrainSpec train = new dev.sift.model.TrainSpec(3, 32, 0.003, 7, 0.01, 0.1, 1.0, 0,
                dev.sift.model.TrainSpec.DeviceChoice.CPU);
        HashedBenchmark.Result r = HashedBenchmark.run(model, train, 256, 2);
        assertEquals(256, r.samples());
        assertEquals(2, r.ratios().length);
        assertTrue(r.medianOne() > 0 && r.medianDefault() > 0);
        assertEquals(r.lossOne(), r.lossDefault(), 1e-5, "the thread count changes speed, not the result");
        assertTrue(r.defaultThreads() >= 1);
        // the benchmark's forcing is over: a small model gets one thread again, an encoder PyTorch's default
        dev.sift.model.Devices.threadsFor(false);
        assertEquals(r.defaultThreads(), ai.djl.pytorch.jni.JniUtils.getNumThreads());
        dev.sift.model.Devices.threadsFor(true);
        assertEquals(1, ai.djl.pytorch.jni.JniUtils.getNumThreads());
    }

    /** A tiny BERT against a stand-in peer (a shell script speaking the peer's line protocol): the turns and numbers. */
    @Test
    void modelBenchmarkAlternatesTurnsWithALivePeer(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("fake-python");
        Files.writeString(fake, String.join("\n", "#!/bin/sh", "printf '%s' \"$2\" > \"$0.args\"",
                "echo 'a warning first'",
                "echo '{\"ready\": true, \"threads\": 1, \"torch\": \"0.fake\"}'",
                "while read cmd n rest; do", "  echo \"$cmd $n $rest\" >> \"$0.log\"", "  case \"$cmd\" in",
                "    done) echo '{\"peak_rss_bytes\": 1048576}'; exit 0;;",
                "    train) echo '{\"seconds\": 0.5, \"steps\": [0.2, 0.3]}';;",
                "    infer) echo '{\"seconds\": 0.25, \"steps\": [0.1, 0.15]}';;", "  esac",
                "done", ""));
        assertTrue(fake.toFile().setExecutable(true));
        BertConfig tiny = new BertConfig(21000, 8, 1, 2, 16, 64, 2, 1e-12f);
        List<String> log = new ArrayList<>();
        Path profile = dir.resolve("profile");
        ModelBenchmark.Result r = ModelBenchmark.run(tiny, new ModelBenchmark.Options(4, 6, 2, 1, 3,
                fake.toString(), profile, "flat"), log::add);
        assertEquals("0.fake", r.torchVersion());
        // the peer runs on the CPU in fp32, as DJL does
        String args = Files.readString(Path.of(fake + ".args"));
        assertTrue(args.contains("\"device\":\"cpu\"") && args.contains("\"autocast\":\"\""), args);
        assertEquals(1, r.torchThreads());
        assertEquals(1048576, r.torchPeakRss());
        assertTrue(r.djlPeakRss() > 0 && r.djlThreads() >= 1);
        assertEquals(List.of(true, false, true), r.rounds().stream().map(ModelBenchmark.Round::djlFirst).toList());
        for (ModelBenchmark.Round x : r.rounds()) {
            assertEquals(4 * 2 / 0.5, x.torchTrain(), 1e-9);
            assertEquals(4 * 2 / 0.25, x.torchInfer(), 1e-9);
            assertTrue(x.djlTrain() > 0 && x.djlInfer() > 0);
            assertEquals(x.djlTrain() / x.torchTrain(), x.trainRatio(), 1e-12);
        }
        // the first round's blocks are profiled on both sides, training and inference
        assertEquals(List.of("train 1", "infer 1", "train 2 profile", "infer 2 profile", "train 2", "infer 2",
                "train 2", "infer 2", "done"), Files.readAllLines(Path.of(fake + ".log")).stream().map(String::strip)
                .toList());
        assertTrue(Files.size(profile.resolve("djl-trace.json")) > 0);
        assertTrue(Files.readString(profile.resolve("djl-infer-trace.json")).contains("aten::addmm"));
        ModelBenchmark.Spread s = ModelBenchmark.Spread.of(r.rounds(), ModelBenchmark.Round::inferRatio);
        assertTrue(s.min() <= s.median() && s.median() <= s.max());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("round 3 (DJL first)")), log.toString());
        // every timed step of every round, each side: 3 rounds of 2
        ModelBenchmark.Steps steps = r.steps();
        assertEquals(6, steps.torchTrain().length);
        assertEquals(0.25, ModelBenchmark.Steps.median(steps.torchTrain()), 1e-12);
        assertEquals(0.125, ModelBenchmark.Steps.median(steps.torchInfer()), 1e-12);
        assertEquals(6, steps.djlTrain().length);
        assertEquals(6, steps.djlInfer().length);
        double djlTrainSeconds = r.rounds().stream().mapToDouble(x -> 4 * 2 / x.djlTrain()).sum();
        double djlStepSeconds = java.util.Arrays.stream(steps.djlTrain()).sum();
        assertTrue(java.util.Arrays.stream(steps.djlTrain()).allMatch(t -> t > 0), "each step timed");
        assertTrue(djlStepSeconds <= djlTrainSeconds * 1.0001, djlStepSeconds + " within " + djlTrainSeconds);
        assertTrue(java.util.Arrays.stream(steps.djlInfer()).allMatch(t -> t > 0));
    }

    @Test
    void modelBenchmarkRunsWithoutAPeer() throws Exception {
        BertConfig tiny = new BertConfig(21000, 8, 1, 2, 16, 64, 2, 1e-12f);
        ModelBenchmark.Result r = ModelBenchmark.run(tiny, new ModelBenchmark.Options(4, 6, 2, 1, 2, null, null,
                "flat"), l -> { });
        assertFalse(r.hasTorch());
        assertEquals(2, r.rounds().size());
        assertTrue(Double.isNaN(r.rounds().get(0).trainRatio()));
        assertTrue(Double.isNaN(ModelBenchmark.Spread.of(r.rounds(), ModelBenchmark.Round::torchInfer).median()));
        assertTrue(ModelBenchmark.Spread.of(r.rounds(), ModelBenchmark.Round::djlInfer).median() > 0);
        assertEquals(0, r.steps().torchTrain().length);
        assertEquals(4, r.steps().djlTrain().length);
        assertTrue(Double.isNaN(r.steps().trainRatio()));
    }

    @Test
    void spreadIsMedianMinAndMaxOfTheRoundsThatHaveTheMeasure() {
        List<ModelBenchmark.Round> rounds = List.of(new ModelBenchmark.Round(1, true, 1, 2, 0, 0, ""),
                new ModelBenchmark.Round(2, false, 3, 2, 0, 0, ""), new ModelBenchmark.Round(3, true, 2, 2, 0, 0, ""),
                new ModelBenchmark.Round(4, false, 4, 2, 0, 0, ""), new ModelBenchmark.Round(5, true, 9, Double.NaN,
                        0, 0, ""));
        ModelBenchmark.Spread s = ModelBenchmark.Spread.of(rounds, ModelBenchmark.Round::trainRatio);
        assertEquals(1.25, s.median(), 1e-12, "the mean of the middle two of four");
        assertEquals(0.5, s.min(), 1e-12);
        assertEquals(2.0, s.max(), 1e-12);
    }

    @Test
    void ghostNormsAgreeWithThePerSampleLoop() {
        GrandBenchmark.Result r = GrandBenchmark.run(4, 3);
        assertEquals(12, r.samples());
        assertTrue(r.largestRelativeDifference() < 1e-4, "difference " + r.largestRelativeDifference());
        assertEquals(r.loopSeconds() / r.ghostSeconds(), r.speedUp(), 1e-12);
    }

    @Test
    void centralDifferenceAgreesWithThePerSampleLoop() {
        AlignmentBenchmark.Result r = AlignmentBenchmark.run(4, 12);
        assertEquals(12, r.samples());
        assertTrue(r.largestRelativeDifference() < 1e-4, "difference " + r.largestRelativeDifference());
        assertTrue(r.eps() > 0);
        assertEquals(r.loopTotalSeconds() / r.differenceTotalSeconds(), r.speedUp(), 1e-12);
    }

    @Test
    void noiseSummaryIsMeanAndSampleSdPerMethodInOrder() {
        List<NoiseBenchmark.Row> rows = List.of(new NoiseBenchmark.Row("loss", 1, 0.6, 0.3, 0.4, 0.55, 2),
                new NoiseBenchmark.Row("aum", 1, 0.7, 0.4, 0.5, 0.6, 1),
                new NoiseBenchmark.Row("loss", 2, 0.8, 0.5, 0.2, 0.65, 4));
        List<NoiseBenchmark.MethodSummary> s = NoiseBenchmark.summarise(rows);
        assertEquals(List.of("loss", "aum"), s.stream().map(NoiseBenchmark.MethodSummary::method).toList());
        NoiseBenchmark.MethodSummary loss = s.get(0);
        assertEquals(0.7, loss.aurocMean(), 1e-12);
        assertEquals(Math.sqrt(0.02), loss.aurocSd(), 1e-12);
        assertEquals(0.3, loss.precisionMean(), 1e-12);
        assertEquals(0.4, loss.auprcMean(), 1e-12);
        assertEquals(0.6, loss.withinLabelMean(), 1e-12);
        assertEquals(Math.sqrt(0.005), loss.withinLabelSd(), 1e-12);
        assertEquals(3.0, loss.scoreMillis(), 1e-12);
        assertTrue(Double.isNaN(s.get(1).aurocSd()), "one seed: no spread measured, none claimed");
    }

    @Test
    void modelKindsByTheirOptionKeys() {
        assertEquals(Optional.of(NoiseBenchmark.ModelKind.MINILM_HEAD), NoiseBenchmark.ModelKind.byKey("minilm-head"));
        assertEquals(Optional.of(NoiseBenchmark.ModelKind.HASHED_BOW), NoiseBenchmark.ModelKind.byKey("hashed-bow"));
        assertTrue(NoiseBenchmark.ModelKind.byKey("foo").isEmpty());
    }

    @Test
    void embeddingsBatchedByLengthEqualThoseInFileOrder() throws Exception {
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < 70; i++) { // two batches of 64 with lengths from 1 to 12 words, mixed
            texts.add("lamp ".repeat(1 + (i * 7) % 12).trim() + " " + i);
        }
        EmbedBenchmark.Result r = EmbedBenchmark.run(dev.sift.model.Checkpoint.miniLm(), texts, 32, 1);
        assertEquals(70, r.texts());
        assertEquals(1, r.ratios().length);
        assertTrue(r.maxDifference() < 1e-4, "difference " + r.maxDifference());
        assertTrue(r.fileOrder()[0] > 0 && r.byLength()[0] > 0);
    }

    @Test
    void benchEmbedRunsOnAGeneratedShopFromTheCommandLine() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        int code;
        try {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            code = new picocli.CommandLine(new dev.sift.cli.EmbedBenchCommand()).execute("--texts", "30", "--rounds",
                    "1");
        } finally {
            System.setOut(old);
        }
        String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.contains("MiniLM-L6, 30 distinct texts") && text.contains("ratio by length / file"), text);
    }
}
