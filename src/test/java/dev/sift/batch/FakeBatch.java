package dev.sift.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The AWS Batch REST-JSON API as far as Sift uses it (POST /v1/submitjob, POST /v1/describejobs), on a JDK HTTP server,
 * answering in the shapes of AWS's API reference (SubmitJob: jobArn, jobName, jobId; DescribeJobs: jobs[] of
 * JobDetail with status, statusReason, attempts[].container.exitCode/reason, attempts[].statusReason). Each submitted
 * job plays the next script the test queued: one step per DescribeJobs call, a step may wait for a future (the
 * "container" doing the work) and may run a hook once when first served. Every request is recorded.
 */
public final class FakeBatch implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String ACCOUNT = "123456789012";
    static final String CRASH = "crash";
    public static final String DB_PASSWORD = "db-password-never-in-a-request-4d1c";
    public static final String HASH_KEY = "hash-key-never-in-a-request-9e2a";
    public static final String QUEUE = "arn:aws:batch:us-east-1:" + ACCOUNT + ":job-queue/sift-gpu";
    public static final String DEFINITION = "arn:aws:batch:us-east-1:" + ACCOUNT + ":job-definition/sift-run";

    /**
     * Picks the fake's port (system property {@code test.fake.batch.port}: this resource may live in another class
     * loader than the test) and points the Batch client at it, with a tiny poll interval; credentials for the SDK to
     * sign with; a database password and hash key that no request may carry.
     */
    public static class Endpoint implements io.quarkus.test.common.QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            System.setProperty("test.fake.batch.port", Integer.toString(port));
            System.setProperty("aws.accessKeyId", "AKIAFAKEBATCHTEST");
            System.setProperty("aws.secretAccessKey", "fake-batch-test-secret");
            return Map.of("sift.batch.endpoint", "http://127.0.0.1:" + port, "sift.batch.region", "us-east-1",
                    "sift.batch.gpu-queue", QUEUE, "sift.batch.run-job-definition", DEFINITION,
                    "sift.batch.poll-interval", "PT0.02S", "sift.db.password", DB_PASSWORD,
                    "sift.privacy.hash-key", HASH_KEY);
        }

        @Override
        public void stop() {
        }
    }

    /** A fake on the port that {@link Endpoint} picked. */
    public static FakeBatch onConfiguredPort() throws IOException {
        return new FakeBatch(Integer.getInteger("test.fake.batch.port"));
    }

    /** One recorded request: the path and its JSON body. */
    public record Request(String path, JsonNode body, String raw) {
    }

    /** One attempt of a job, as DescribeJobs lists the ended ones. */
    public record Attempt(Integer exitCode, String containerReason, String statusReason) {
    }

    /** What DescribeJobs says at one step; {@code until}: stay here until it completes; {@code hook}: run once. */
    public record Step(String status, String statusReason, List<Attempt> attempts, CompletableFuture<?> until,
            Consumer<JsonNode> hook) {
        public static Step of(String status) {
            return new Step(status, null, List.of(), null, null);
        }

        /** DescribeJobs answers 400 ClientException once (the SDK does not retry it): a follower that crashes. */
        static Step crash() {
            return of(CRASH);
        }

        public Step reason(String reason) {
            return new Step(status, reason, attempts, until, hook);
        }

        public Step attempts(Attempt... a) {
            return new Step(status, statusReason, List.of(a), until, hook);
        }

        public Step until(CompletableFuture<?> f) {
            return new Step(status, statusReason, attempts, f, hook);
        }

        /** Runs once, when the step is first served, with the job's SubmitJob request plus its jobId. */
        public Step hook(Consumer<JsonNode> h) {
            return new Step(status, statusReason, attempts, until, h);
        }
    }

    private static final class Job {
        final String id;
        final JsonNode submit;
        final Deque<Step> steps;
        final List<Step> served = new ArrayList<>();

        Job(String id, JsonNode submit, List<Step> steps) {
            this.id = id;
            this.submit = submit;
            this.steps = new ArrayDeque<>(steps);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Deque<List<Step>> scripts = new ArrayDeque<>();
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    FakeBatch(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-batch");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** The script of the next submitted job. */
    public synchronized void nextJob(Step... steps) {
        scripts.add(List.of(steps));
    }

    public synchronized List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public synchronized List<Request> all() {
        return List.copyOf(requests);
    }

    public synchronized void reset() {
        requests.clear();
        scripts.clear();
        jobs.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String raw = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode body = raw.isEmpty() ? JSON.createObjectNode() : JSON.readTree(raw);
        ObjectNode answer;
        Consumer<JsonNode> hook = null;
        JsonNode hookArg = null;
        synchronized (this) {
            requests.add(new Request(path, body, raw));
            if (path.equals("/v1/submitjob")) {
                answer = submit(body);
            } else if (path.equals("/v1/describejobs")) {
                answer = JSON.createObjectNode();
                ArrayNode out = answer.putArray("jobs");
                for (JsonNode id : body.path("jobs")) {
                    Job job = jobs.get(id.asText());
                    if (job != null) {
                        Step step = advance(job);
                        if (step.hook() != null && job.served.stream().filter(s -> s == step).count() == 1) {
                            hook = step.hook();
                            hookArg = ((ObjectNode) job.submit.deepCopy()).put("jobId", job.id);
                        }
                        out.add(detail(job, step));
                    }
                }
            } else {
                reply(ex, 404, "{\"message\":\"unknown operation " + path + "\"}");
                return;
            }
        }
        try {
            if (hook != null) {
                hook.accept(hookArg);
            }
        } catch (RuntimeException | Error e) {
            reply(ex, 500, "{\"__type\":\"ServerException\",\"message\":\"test hook failed: " + e + "\"}");
            throw e;
        }
        if (answer.path("jobs").findValuesAsText("status").contains(CRASH)) {
            reply(ex, 400, "{\"__type\":\"ClientException\",\"message\":\"simulated: the follower dies here\"}");
            return;
        }
        reply(ex, 200, JSON.writeValueAsString(answer));
    }

    private ObjectNode submit(JsonNode body) {
        String id = UUID.randomUUID().toString();
        List<Step> script = scripts.isEmpty() ? List.of(Step.of("SUCCEEDED")) : scripts.poll();
        jobs.put(id, new Job(id, body, script));
        ObjectNode r = JSON.createObjectNode();
        r.put("jobArn", "arn:aws:batch:us-east-1:" + ACCOUNT + ":job/" + id);
        r.put("jobName", body.path("jobName").asText());
        r.put("jobId", id);
        return r;
    }

    /** The job's current step; moves on after serving it unless it is the last or its future is pending. */
    private static Step advance(Job job) {
        Step step = job.steps.peek();
        job.served.add(step);
        boolean held = step.until() != null && !step.until().isDone();
        if (job.steps.size() > 1 && !held) {
            job.steps.poll();
        }
        return step;
    }

    private static ObjectNode detail(Job job, Step step) {
        ObjectNode d = JSON.createObjectNode();
        d.put("jobArn", "arn:aws:batch:us-east-1:" + ACCOUNT + ":job/" + job.id);
        d.put("jobName", job.submit.path("jobName").asText());
        d.put("jobId", job.id);
        d.put("jobQueue", job.submit.path("jobQueue").asText());
        d.put("status", step.status());
        if (step.statusReason() != null) {
            d.put("statusReason", step.statusReason());
        }
        ArrayNode attempts = d.putArray("attempts");
        long t = 1_764_000_000_000L;
        for (Attempt a : step.attempts()) {
            ObjectNode at = attempts.addObject();
            ObjectNode c = at.putObject("container");
            if (a.exitCode() != null) {
                c.put("exitCode", a.exitCode());
            }
            if (a.containerReason() != null) {
                c.put("reason", a.containerReason());
            }
            c.put("logStreamName", "sift-run/default/" + job.id);
            at.put("startedAt", t);
            at.put("stoppedAt", t + 60_000);
            if (a.statusReason() != null) {
                at.put("statusReason", a.statusReason());
            }
        }
        d.put("createdAt", t - 1000);
        d.put("startedAt", t);
        d.put("jobDefinition", job.submit.path("jobDefinition").asText());
        d.set("container", JSON.createObjectNode().set("command",
                job.submit.path("containerOverrides").path("command")));
        return d;
    }

    private static void reply(HttpExchange ex, int code, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        ex.sendResponseHeaders(code, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
