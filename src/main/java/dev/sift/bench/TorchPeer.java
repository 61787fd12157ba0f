package dev.sift.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.model.BertConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The PyTorch side of {@link ModelBenchmark}: the same BERT shape, batch and sequence length in a Python with
 * torch, run as a child process on the script shipped in {@code bench/torch_bert.py}, which prints its numbers
 * as one JSON line.
 */
final class TorchPeer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "bench/torch_bert.py";

    private TorchPeer() {
    }

    /**
     * @param profileFile where PyTorch writes its top operators, or "" for no profiling
     * @return the peer's numbers, or null (said to {@code log}) when it could not run or failed
     */
    static ModelBenchmark.TorchResult run(String python, BertConfig c, ModelBenchmark.Options o, String profileFile, Consumer<String> log)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("sift-torch-bench", ".py");
        try (InputStream in = TorchPeer.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            Files.write(script, in.readAllBytes());
        }
        String args = JSON.createObjectNode().put("vocab", c.vocabSize()).put("hidden", c.hidden())
                .put("layers", c.layers()).put("heads", c.heads()).put("intermediate", c.intermediate())
                .put("maxpos", c.maxPositions()).put("batch", o.batch()).put("seq", o.seq()).put("steps", o.steps())
                .put("warmup", o.warmup()).put("profile", profileFile).toString();
        log.accept("PyTorch: " + python + " " + script.getFileName());
        try {
            Process p = new ProcessBuilder(python, script.toString(), args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                log.accept("PyTorch peer failed: " + out.lines().reduce((a, b) -> b).orElse(""));
                return null;
            }
            return parse(JSON.readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow()));
        } catch (IOException e) {
            log.accept("PyTorch peer unavailable (" + e.getMessage() + "); --python names one");
            return null;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static ModelBenchmark.TorchResult parse(JsonNode j) {
        return new ModelBenchmark.TorchResult(j.get("torch").asText(), j.get("threads").asInt(), new ModelBenchmark.Throughput(
                j.get("train_samples_per_s").asDouble(), j.get("infer_samples_per_s").asDouble(),
                j.get("peak_rss_bytes").asDouble()));
    }
}
