package dev.sift.history;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sift.SiftException;
import dev.sift.history.ReportView.Cell;
import dev.sift.history.ReportView.Row;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reports over HTTP on the loopback interface, with the JDK's HTTP server and the same renderer as
 * {@code sift report}: {@code /runs} (the newest runs, {@code ?where=EXPR&workflow=W&limit=N} as {@code runs list},
 * with boxes to pick runs to compare), {@code /runs/ID} (one run's report) and {@code /compare?runs=ID,ID...} (the
 * first run's report beside the others). Every page carries the report's Content-Security-Policy as a header too.
 */
@ApplicationScoped
public class ReportServer {
    private static final int MAX_LIMIT = 1000;

    @Inject
    RunReport report;
    @Inject
    RunListing listing;
    @Inject
    @Location("runs.html")
    Template runsPage;

    /** A started server; closing it stops it. */
    public static final class Handle implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService workers;

        Handle(HttpServer server, ExecutorService workers) {
            this.server = server;
            this.workers = workers;
        }

        public InetSocketAddress address() {
            return server.getAddress();
        }

        /** Where the run list is, e.g. {@code http://127.0.0.1:8080/runs}. */
        public URI runs() {
            return URI.create("http://" + address().getAddress().getHostAddress() + ":" + address().getPort() + "/runs");
        }

        @Override
        public void close() {
            server.stop(0);
            workers.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One page: status, content type and body. */
    record Page(int status, String type, String body) {
        static Page html(String body) {
            return new Page(200, "text/html; charset=utf-8", body);
        }

        static Page text(int status, String body) {
            return new Page(status, "text/plain; charset=utf-8", body + "\n");
        }
    }

    /** Serves on 127.0.0.1 at {@code port} (0: any free port) until the handle is closed. */
    public Handle start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "sift-serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
        return new Handle(server, workers);
    }

    private void handle(HttpExchange x) throws IOException {
        Page p;
        try {
            String method = x.getRequestMethod();
            if (!loopback(x)) {
                // a page asked for under another host name is a browser led here by DNS rebinding: refused
                p = Page.text(403, "this server answers only to a loopback host name (127.0.0.1, localhost, [::1])");
            } else {
                p = method.equals("GET") || method.equals("HEAD") ? page(x.getRequestURI())
                        : Page.text(405, method + " is not served: pages are read with GET");
            }
        } catch (SiftException e) {
            p = Page.text(e.getMessage().startsWith("no run with id") ? 404 : 400, e.getMessage());
        } catch (RuntimeException e) {
            p = Page.text(500, "error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        byte[] body = p.body().getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", p.type());
        x.getResponseHeaders().set("Content-Security-Policy", ReportPage.CSP);
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        x.getResponseHeaders().set("Cache-Control", "no-store");
        if (p.status() == 405) {
            x.getResponseHeaders().set("Allow", "GET, HEAD");
        }
        boolean head = x.getRequestMethod().equals("HEAD");
        x.sendResponseHeaders(p.status(), head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
        x.close();
    }

    /**
     * Whether a request names this loopback server: one Host header at most, loopback ({@link #loopbackHost}), and a
     * request target in absolute form ({@code GET http://host/runs}, whose host wins over the header's) loopback too.
     * A probe's second Host header of another name, and its absolute target of another host, were answered.
     */
    private static boolean loopback(HttpExchange x) {
        java.util.List<String> hosts = x.getRequestHeaders().getOrDefault("Host", java.util.List.of());
        // absolute form only (a scheme): a path of '//runs/5' has an authority too, and is a path (a review's)
        String target = x.getRequestURI().getScheme() == null ? null : x.getRequestURI().getRawAuthority();
        return hosts.size() <= 1 && (hosts.isEmpty() || loopbackHost(hosts.get(0)))
                && (target == null || loopbackHost(target));
    }

    /**
     * Whether a Host header names this loopback server: {@code 127.x.x.x}, {@code localhost} or {@code [::1]}, with
     * or without a port. None (HTTP/1.0) is taken: a browser always sends one.
     */
    public static boolean loopbackHost(String host) {
        if (host == null) {
            return true;
        }
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(0, end + 1).equals("[::1]") && port(h.substring(end + 1));
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        if (colon >= 0 && !port(h.substring(colon))) {
            return false;
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.equals("localhost") || name.matches("127(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");
    }

    private static boolean port(String rest) {
        return rest.isEmpty() || rest.matches(":[0-9]{1,5}");
    }

    /** The page at a path. */
    Page page(URI uri) {
        // '//runs/5' parses as authority 'runs' and path '/5': without a scheme it is all path (a review's)
        String path = uri.getScheme() == null && uri.getRawAuthority() != null ? "//" + uri.getAuthority()
                + uri.getPath() : uri.getPath();
        Map<String, List<String>> q = query(uri.getRawQuery());
        if (path.equals("/") || path.equals("/runs") || path.equals("/runs/")) {
            return Page.html(runs(q));
        }
        if (path.startsWith("/runs/") && path.substring(6).matches("[1-9][0-9]{0,17}")) {
            return Page.html(report.html(Long.parseLong(path.substring(6)), List.of(), ReportServer::link));
        }
        if (path.equals("/compare")) {
            List<Long> ids = new ArrayList<>();
            for (String v : q.getOrDefault("runs", List.of())) {
                for (String id : v.split(",")) {
                    if (!id.isBlank()) {
                        ids.add(id(id.strip()));
                    }
                }
            }
            if (ids.isEmpty()) {
                throw SiftException.usage("/compare needs runs=ID,ID...");
            }
            return Page.html(report.html(ids.get(0), ids.subList(1, ids.size()), ReportServer::link));
        }
        return Page.text(404, "not found: " + path + " (pages: /runs, /runs/ID, /compare?runs=ID,ID...)");
    }

    static String link(long id) {
        return "/runs/" + id;
    }

    private static long id(String s) {
        if (!s.matches("[1-9][0-9]{0,17}")) {
            throw SiftException.usage("not a run id: '" + s + "'");
        }
        return Long.parseLong(s);
    }

    /** The run list: as {@code runs list}, each run linked to its report and with a box to compare it. */
    private String runs(Map<String, List<String>> q) {
        String where = first(q, "where");
        String workflow = first(q, "workflow");
        String limit = first(q, "limit");
        if (limit != null && !limit.isBlank() && (!limit.strip().matches("[1-9][0-9]{0,3}")
                || Integer.parseInt(limit.strip()) > MAX_LIMIT)) {
            throw SiftException.usage("limit must be a whole number from 1 to " + MAX_LIMIT + " on a page (runs "
                    + "list --limit takes more), got '" + limit + "'");
        }
        int n = limit == null || limit.isBlank() ? 50 : Integer.parseInt(limit.strip());
        Table t = listing.list(RunListing.query(workflow == null || workflow.isBlank() ? null : workflow, null,
                where == null || where.isBlank() ? null : where, null, n));
        List<RunsEntry> entries = new ArrayList<>();
        for (List<Object> r : t.rows()) {
            Row row = Row.of(r, false);
            List<Cell> cells = new ArrayList<>(row.cells());
            cells.set(0, new Cell(cells.get(0).text(), true, link((Long) r.get(0))));
            entries.add(new RunsEntry((Long) r.get(0), new Row(cells, false)));
        }
        return runsPage.data("page", new RunsView(t.columns(), entries, where == null ? "" : where,
                workflow == null ? "" : workflow, n)).data("csp", ReportPage.CSP).render();
    }

    private static String first(Map<String, List<String>> q, String key) {
        List<String> v = q.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /** The run list page's content. */
    @io.quarkus.qute.TemplateData
    public record RunsView(List<String> columns, List<RunsEntry> runs, String where, String workflow, int limit) {
    }

    /** One run of the list. */
    @io.quarkus.qute.TemplateData
    public record RunsEntry(long id, Row row) {
    }
}
