package dev.sift.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.model.BertConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch side of {@link ModelBenchmark}: the same BERT shape, batch, sequence length and optimiser in a Python
 * with torch, one child process on the script shipped in {@code bench/torch_bert.py} that lives as long as the
 * benchmark. It is driven over stdin and stdout, a line each way: {@code train N} and {@code infer N} answer
 * the seconds the peer itself measured around the N steps and around each of them, so neither the process start nor
 * this protocol is timed.
 */
final class TorchPeer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "bench/torch_bert.py";

    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final Path script;
    private final String version;
    private final int threads;
    /** The last line the peer printed that was not an answer (a warning, a traceback's last line). */
    private String lastOther = "";

    private TorchPeer(Process process, Path script) throws IOException {
        this.process = process;
        this.script = script;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        JsonNode ready = answer();
        this.version = ready.get("torch").asText();
        this.threads = ready.get("threads").asInt();
    }

    /**
     * What the peer runs besides the model's shape.
     *
     * @param threads intra-op threads the peer sets (DJL's, so that both sides run on as many), or 0: torch's default
     * @param gpu whether it runs on {@code cuda} (and waits for the GPU at the end of every timed step)
     * @param autocast {@code bf16} for forward passes under bfloat16 autocast, or null
     */
    record Shape(int batch, int seq, int threads, boolean gpu, String autocast) {
    }

    /**
     * Starts the peer and waits until its model is built.
     *
     * @param profileDir folder where the peer writes its top operators for {@code train N profile} and {@code infer N
     *     profile} (torch-ops.txt, torch-infer-ops.txt), or "" for none
     * @throws IOException when the Python cannot be started or the peer ends before it is ready
     */
    static TorchPeer start(String python, BertConfig c, Shape shape, String profileDir) throws IOException {
        Path script = Files.createTempFile("sift-torch-bench", ".py");
        try (InputStream res = TorchPeer.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            Files.write(script, res.readAllBytes());
        }
        String args = JSON.createObjectNode().put("vocab", c.vocabSize()).put("hidden", c.hidden())
                .put("layers", c.layers()).put("heads", c.heads()).put("intermediate", c.intermediate())
                .put("maxpos", c.maxPositions()).put("batch", shape.batch()).put("seq", shape.seq())
                .put("threads", shape.threads()).put("device", shape.gpu() ? "cuda" : "cpu")
                .put("autocast", shape.autocast() == null ? "" : shape.autocast()).put("profile", profileDir)
                .toString();
        Process p;
        try {
            p = new ProcessBuilder(python, script.toString(), args).redirectErrorStream(true).start();
        } catch (IOException e) {
            Files.deleteIfExists(script);
            throw e;
        }
        try {
            return new TorchPeer(p, script);
        } catch (IOException | RuntimeException e) {
            p.destroyForcibly();
            Files.deleteIfExists(script);
            throw e;
        }
    }

    String version() {
        return version;
    }

    int threads() {
        return threads;
    }

    /** {@code steps} training steps; their seconds, and each step's. */
    ModelBenchmark.Turn train(int steps, boolean profile) throws IOException {
        return turn(command("train " + steps + (profile ? " profile" : "")));
    }

    /** {@code steps} forward passes under {@code torch.no_grad}; their seconds, and each pass's. */
    ModelBenchmark.Turn infer(int steps, boolean profile) throws IOException {
        return turn(command("infer " + steps + (profile ? " profile" : "")));
    }

    /** The answer's seconds and its per-step seconds (none when the peer sent none). */
    private static ModelBenchmark.Turn turn(JsonNode answer) {
        JsonNode steps = answer.path("steps");
        double[] each = new double[steps.size()];
        for (int i = 0; i < each.length; i++) {
            each[i] = steps.get(i).asDouble();
        }
        return new ModelBenchmark.Turn(answer.get("seconds").asDouble(), each);
    }

    /** Ends the peer; its peak resident memory (VmHWM) in bytes. */
    long finish() throws IOException, InterruptedException {
        long peak = command("done").get("peak_rss_bytes").asLong();
        process.waitFor(1, TimeUnit.MINUTES);
        return peak;
    }

    private JsonNode command(String line) throws IOException {
        try {
            in.write(line + "\n");
            in.flush();
        } catch (IOException e) {
            // the peer has gone (a broken pipe): what it printed last says why
            answer();
            throw e;
        }
        return answer();
    }

    /** The next JSON line; other lines are remembered for the error message. */
    private JsonNode answer() throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("{")) {
                return JSON.readTree(line);
            }
            lastOther = line;
        }
        throw new IOException("the PyTorch peer ended: " + lastOther);
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(script);
    }
}
