package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sift.PostgresResource;
import dev.sift.cli.InJvm.Out;
import dev.sift.history.HistoryBenchmark;
import dev.sift.history.ReportPage;
import dev.sift.history.ReportServer;
import dev.sift.store.BulkRuns;
import dev.sift.store.ObjectStore;
import dev.sift.store.RunStore;
import dev.sift.store.ScoreStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code sift report} of a real small run (the quickstart made tiny, trained in this JVM) beside a generated one:
 * what the file holds, then the file opened in headless Chromium with the network off, every chart drawn as SVG and
 * the screenshot not blank.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ReportTest {
    private static final Pattern CHART = Pattern.compile(
            "<div class=\"chart\" id=\"([a-z0-9-]+)\" data-chart=\"([a-z]+)\"");

    @Inject
    CommandLine.IFactory factory;
    @Inject
    BulkRuns bulk;
    @Inject
    RunStore runs;
    @Inject
    ObjectStore objects;
    @Inject
    ScoreStore scores;
    @Inject
    ReportServer server;
    @Inject
    dev.sift.store.MetricStore metricStore;

    private static List<String> charts(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = CHART.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** The page without its inline scripts (the chart library is one of them). */
    private static String markup(String html) {
        return html.replaceAll("(?s)<script>.*?</script>", "<script></script>");
    }

    @Test
    void reportOfARealRunDrawsEveryChartOfflineInHeadlessChromium(@TempDir Path dir) throws Exception {
        long id = InJvm.tinyRun(factory);
        long other = bulk.insert(List.of(HistoryBenchmark.generated(new Random(5), 0, Instant.now(),
                "report-test"))).get(0);
        Path file = dir.resolve("out/report.html");
        Out r = InJvm.sift(factory, "report", Long.toString(id), "--compare", Long.toString(other), "--out",
                file.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().startsWith("wrote " + file), r.err());
        String html = Files.readString(file, StandardCharsets.UTF_8);

        // what it holds, and that it asks for nothing from elsewhere
        String page = markup(html);
        assertTrue(page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; "
                + "script-src &#39;unsafe-inline&#39;; style-src &#39;unsafe-inline&#39;; img-src data:\">"), "CSP");
        for (String tag : List.of("<link", "<img", "<iframe", "<object", "<embed", " src=", "url(", "@import")) {
            assertFalse(page.contains(tag), "the page loads nothing: " + tag);
        }
        assertTrue(html.contains("echarts"), "the chart library is inlined");
        List<String> ids = charts(html);
        assertEquals(new HashSet<>(ids).size(), ids.size(), "chart ids are unique: " + ids);
        Set<String> expected = new LinkedHashSet<>(List.of("chart-intervals-kappa", "chart-iterations-kappa",
                "chart-iterations-ndcg-10", "chart-curve-kappa", "chart-lineage-run-" + id, "chart-hist-i1-loss",
                "chart-hist-i1-label-quality", "chart-hist-i2-loss", "chart-hist-i2-label-quality"));
        assertTrue(ids.containsAll(expected), ids.toString());
        for (String table : List.of("table-parameters", "table-metrics-run-" + id, "table-metrics-run-" + other,
                "table-comparisons-run-" + id, "table-metrics-compared", "table-curve-run-" + id, "table-lineage-run-"
                + id, "table-noise-detection", "table-agreement", "samples-most", "samples-least")) {
            assertTrue(page.contains("<table id=\"" + table + "\">"), table);
        }
        assertTrue(page.contains("<tr class=\"highlight\"><td>filter.by</td>"),
                "parameters that differ are highlighted");
        assertEquals(20, rows(page, "samples-most"), "the 20 most valuable samples");
        assertEquals(20, rows(page, "samples-least"), "and the 20 least");
        assertTrue(page.contains("nearest neighbours&#39; labels"), "each with its explanation");
        assertTrue(page.contains("known noisy"), "the known-noisy samples are marked");
        assertTrue(page.contains("iteration 1, room for a subset of "), "random against full says the room a subset has");

        HeadlessChromium chromium = HeadlessChromium.require(dir);
        String dom = chromium.dumpDom(file);
        assertTrue(dom.contains("data-charts=\"" + ids.size() + "\" data-charts-drawn=\"" + ids.size() + "\""),
                "every chart drawn: " + dom.substring(dom.indexOf("<body"), dom.indexOf("<body") + 200));
        String tags = tag(dom, "<html") + tag(dom, "<body");
        assertFalse(tags.contains("data-csp-violations"), "no request was refused: " + tags);
        assertFalse(dom.contains("data-error=\""), "no chart failed");
        for (String chart : ids) {
            int at = dom.indexOf("id=\"" + chart + "\"");
            String inner = dom.substring(at, dom.indexOf("</figure>", at));
            assertTrue(inner.contains("data-rendered=\"svg\"") && inner.contains("<svg"), chart + " holds an svg");
            assertTrue(Pattern.compile("<path [^>]*d=\"M").matcher(inner).find(), chart + " drew paths");
        }

        BufferedImage png = ImageIO.read(chromium.screenshot(file, 1280, 2000).toFile());
        assertEquals(1280, png.getWidth());
        Set<Integer> colours = new HashSet<>();
        double sum = 0;
        double squares = 0;
        for (int y = 0; y < png.getHeight(); y += 2) {
            for (int x = 0; x < png.getWidth(); x += 2) {
                int rgb = png.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                double l = 0.299 * (rgb >> 16) + 0.587 * (rgb >> 8 & 0xff) + 0.114 * (rgb & 0xff);
                sum += l;
                squares += l * l;
            }
        }
        double n = (png.getHeight() / 2.0) * (png.getWidth() / 2.0);
        double variance = squares / n - (sum / n) * (sum / n);
        assertTrue(colours.size() > 50, "a drawn page has many colours, not " + colours.size());
        assertTrue(variance > 100, "and contrast: luminance variance " + variance);
    }

    /** The start tag that begins with {@code start}. */
    private static String tag(String dom, String start) {
        int at = dom.indexOf(start);
        return dom.substring(at, dom.indexOf('>', at) + 1);
    }

    private static int rows(String page, String table) {
        int at = page.indexOf("<table id=\"" + table + "\">");
        return page.substring(at, page.indexOf("</table>", at)).split("<tr").length - 2;
    }

    @Test
    void everythingARunOrItsDataHoldsIsEscaped(@TempDir Path dir) throws Exception {
        String evil = "<script>alert('x')</script><img src=x onerror=alert(1)>\"&";
        long id = HandMadeRun.create(runs, objects, scores, evil, evil, "</div><b>m");
        Path file = dir.resolve("evil.html");
        Out r = InJvm.sift(factory, "report", Long.toString(id), "--out", file.toString());
        assertEquals(0, r.code(), r.err());
        for (String folder : new String[] {dir.toString(), ""}) {
            Out refused = InJvm.sift(factory, "report", Long.toString(id), "--out", folder);
            assertEquals(2, refused.code(), refused.err());
            assertTrue(refused.err().contains((folder.isEmpty() ? "--out is empty" : " is a folder")
                    + "; name a file (the HTML page to write)"), refused.err());
        }
        // a link to an earlier report is replaced by the new report, not written through; no temporary file is left
        Path earlier = dir.resolve("earlier.html");
        Files.writeString(earlier, "<meta name=\"generator\" content=\"sift\"> earlier");
        Path link = Files.createSymbolicLink(dir.resolve("latest.html"), earlier);
        assertEquals(0, InJvm.sift(factory, "report", Long.toString(id), "--out", link.toString()).code());
        assertFalse(Files.isSymbolicLink(link));
        assertTrue(Files.readString(earlier).endsWith(" earlier"), "the earlier report is as it was");
        assertTrue(Files.readString(link).contains("Run " + id + ": no test metrics stored"), "the new report");
        try (var left = Files.list(dir)) {
            assertEquals(List.of(), left.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
        }
        String page = markup(Files.readString(file, StandardCharsets.UTF_8));
        assertFalse(page.contains("<script>alert") || page.contains("<img") || page.contains("<b>m"), "nothing raw");
        assertTrue(page.contains("Run " + id + ": no test metrics stored"), "a run without metrics says so");
        assertFalse(page.contains("id=\"table-metrics-run-" + id), "and draws no empty table");
        assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
                + "&quot;&amp;"), "run name and sample text escaped");
        assertTrue(page.contains("id=\"chart-hist-i1-div-b-m\""), "ids made of letters, digits and dashes");
        assertTrue(page.contains("<table id=\"table-agreement\">") && page.contains("<td>&lt;/div&gt;&lt;b&gt;m</td>"),
                "the methods' agreement, the method's name escaped");
        List<String> ids = charts(page);
        assertTrue(ids.contains("chart-lineage-run-" + id) && ids.contains("chart-hist-i2-loss"), ids.toString());
        ObjectMapper json = new ObjectMapper();
        Matcher option = Pattern.compile("data-option=\"([^\"]*)\"").matcher(page);
        while (option.find()) {
            String decoded = option.group(1).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                    .replace("&gt;", ">").replace("&amp;", "&");
            assertTrue(json.readTree(decoded).has("series"), "an attribute holds the chart's option as JSON");
        }
    }

    @Test
    void theServerServesTheSameReportsOnLoopbackOnly(@TempDir Path dir) throws Exception {
        long a = HandMadeRun.create(runs, objects, scores, "served-a", "lamp", "el2n");
        long b = HandMadeRun.create(runs, objects, scores, "served-b", "desk", "el2n");
        Path file = dir.resolve("a.html");
        assertEquals(0, InJvm.sift(factory, "report", Long.toString(a), "--compare", Long.toString(b), "--out",
                file.toString()).code());
        try (ReportServer.Handle h = server.start(0)) {
            assertTrue(h.address().getAddress().isLoopbackAddress(), h.address().toString());
            HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            URI base = h.runs().resolve("/");
            HttpResponse<String> list = get(http, base.resolve("/runs?workflow=hand-made&limit=500"));
            assertEquals(200, list.statusCode());
            assertTrue(list.body().contains("<a href=\"/runs/" + a + "\">" + a + "</a>"), list.body());
            assertTrue(list.body().contains("name=\"runs\" value=\"" + b + "\""), "a box to compare each run");
            assertEquals(ReportPage.CSP, list.headers().firstValue("Content-Security-Policy").orElse(null));

            HttpResponse<String> cmp = get(http, base.resolve("/compare?runs=" + a + "&runs=" + b));
            assertEquals(200, cmp.statusCode(), cmp.body());
            assertTrue(cmp.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            String file0 = Files.readString(file, StandardCharsets.UTF_8);
            assertEquals(charts(file0), charts(cmp.body()), "the same renderer: the same charts");
            assertEquals(markup(file0).replaceAll("Generated [^ ]+ by", ""), markup(cmp.body()).replaceAll(
                    "Generated [^ ]+ by", "").replaceAll("<a href=\"/runs/\\d+\">(\\d+)</a>", "$1"),
                    "the same page, but for the time and the links to each run");
            assertEquals(charts(cmp.body()), charts(get(http, base.resolve("/compare?runs=" + a + "," + b)).body()));
            HttpResponse<String> one = get(http, base.resolve("/runs/" + a));
            assertEquals(200, one.statusCode());
            assertTrue(one.body().contains("Sift report: run " + a + "</title>"));

            assertEquals(404, get(http, base.resolve("/runs/999999999")).statusCode());
            assertEquals(404, get(http, base.resolve("/runs/x")).statusCode());
            assertEquals(404, get(http, base.resolve("/etc/passwd")).statusCode());
            assertEquals(400, get(http, base.resolve("/compare?runs=" + a + ",x")).statusCode());
            assertEquals(400, get(http, base.resolve("/compare")).statusCode());
            assertEquals(400, get(http, base.resolve("/runs?limit=0")).statusCode());
            HttpResponse<String> over = get(http, base.resolve("/runs?limit=1001"));
            assertEquals(400, over.statusCode(), "not cut to 1000 without a word");
            assertTrue(over.body().contains("from 1 to 1000 on a page"), over.body());
            HttpResponse<String> bad = get(http, base.resolve("/runs?where=status%20%3D"));
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().startsWith("--where: column"), bad.body());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(base.resolve("/runs"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(null), "a 405 says what is allowed");
            int port = h.address().getPort();
            assertTrue(rawGet(port, "localhost:" + port).startsWith("HTTP/1.1 200"));
            assertTrue(rawGet(port, "127.0.0.1").startsWith("HTTP/1.1 200"));
            String rebound = rawGet(port, "evil.example:" + port);
            assertTrue(rebound.startsWith("HTTP/1.1 403"), "a rebound host name is refused: " + rebound);
            assertTrue(rawGet(port, "localhost.evil.example").startsWith("HTTP/1.1 403"));
            assertTrue(rawGet(port, "127.0.0.1:" + port + "@evil").startsWith("HTTP/1.1 403"));
            // a probe's: a second Host header of another name, and an absolute target of another host, were served
            assertTrue(raw(port, "GET /runs", "Host: 127.0.0.1\r\nHost: evil.example").startsWith("HTTP/1.1 403"));
            assertTrue(raw(port, "GET http://evil.example/runs", "Host: 127.0.0.1").startsWith("HTTP/1.1 403"));
            assertTrue(raw(port, "GET http://127.0.0.1:" + port + "/runs", "Host: 127.0.0.1").startsWith(
                    "HTTP/1.1 200"));
            String twoSlashes = raw(port, "GET //runs/" + a, "Host: 127.0.0.1");
            assertTrue(twoSlashes.startsWith("HTTP/1.1 404") && twoSlashes.contains("//runs/" + a),
                    "a path that starts with two slashes names no host, and is no page: " + twoSlashes);
        }
    }

    @Test
    void onlyLoopbackHostNamesAreServed() {
        for (String ok : new String[] {"127.0.0.1", "127.0.0.1:8080", "LOCALHOST:1", "localhost.", "[::1]:80",
                "[::1]", "127.1.2.3"}) {
            assertTrue(ReportServer.loopbackHost(ok), ok);
        }
        for (String no : new String[] {"evil.example", "127.0.0.1.evil", "localhost:80:80", "[::2]:80", "128.0.0.1",
                "127.0.0.256", "0.0.0.0", "localhost:abc", "[::1]x", ""}) {
            assertFalse(ReportServer.loopbackHost(no), no);
        }
    }

    /** A GET of /runs with the Host header as given (HttpClient will not send a Host header of one's own). */
    private static String rawGet(int port, String host) throws Exception {
        return raw(port, "GET /runs", "Host: " + host);
    }

    /** A request of {@code line} (method and target) with the {@code headers} as given, over a socket. */
    private static String raw(int port, String line, String headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            socket.getOutputStream().write((line + " HTTP/1.1\r\n" + headers + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsOfDifferentTasksEachGetTheirIntervalChart(@TempDir Path dir) throws Exception {
        long graded = HandMadeRun.create(runs, objects, scores, "graded", "mug", "el2n");
        long regression = HandMadeRun.create(runs, objects, scores, "regression", "lamp", "el2n");
        runs.replaceMetrics(graded, 1, "test", "selected", java.util.Map.of("kappa", 0.5, "ndcg@10", 0.8));
        runs.replaceMetrics(regression, 1, "test", "selected", java.util.Map.of("rmse", 0.4, "ndcg@10", 0.7));
        metricStore.replaceComparisons(graded, 1, List.of(new dev.sift.store.MetricStore.Comparison(1, "kappa",
                "selected", "random", 0.02, -0.01, 0.05, 3, 30, 1000)));
        metricStore.replaceComparisons(regression, 1, List.of(new dev.sift.store.MetricStore.Comparison(1,
                "ndcg@10", "selected", "random", -0.01, -0.03, 0.01, 3, 30, 1000)));
        Path out = dir.resolve("mixed.html");
        Out r = InJvm.sift(factory, "report", Long.toString(regression), "--compare", Long.toString(graded), "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out);
        assertTrue(html.contains("chart-intervals-kappa") && html.contains("chart-intervals-ndcg-10"),
                "the regression run's NDCG chart beside the graded run's kappa chart");
    }

    /**
     * A metric no test query informs (NDCG of a click log whose test queries hold one label each): the table says
     * undefined beside how many queries inform it, and no chart of axes and a legend alone is drawn (a probe's).
     */
    @Test
    void aMetricNoTestQueryInformsIsSaidUndefinedAndNotDrawn(@TempDir Path dir) throws Exception {
        long id = HandMadeRun.create(runs, objects, scores, "clicks", "mug", "el2n");
        runs.replaceMetrics(id, 1, "test", "selected", java.util.Map.of("kappa", 0.5, "ndcg@10", Double.NaN,
                "ndcg_queries", 0.0, "train_size", 10.0));
        runs.replaceMetrics(id, 1, "test", "random", java.util.Map.of("kappa", 0.4, "ndcg@10", Double.NaN,
                "ndcg_queries", 0.0, "train_size", 10.0));
        metricStore.replaceComparisons(id, 1, List.of(new dev.sift.store.MetricStore.Comparison(1, "ndcg@10",
                "selected", "random", Double.NaN, Double.NaN, Double.NaN, 2, 0, 1000)));
        Path out = dir.resolve("undefined.html");
        Out r = InJvm.sift(factory, "report", Long.toString(id), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out);
        assertTrue(charts(html).contains("chart-iterations-kappa"), charts(html).toString());
        assertTrue(!charts(html).contains("chart-iterations-ndcg-10"), charts(html).toString());
        assertTrue(html.contains("No chart of ndcg@10: it is undefined on the test split of every run shown"), html);
        assertTrue(markup(html).contains(">undefined<") && markup(html).contains(">ndcg_queries<"), markup(html));
        // the comparisons table too (a probe's read NaN there, 20 times)
        assertTrue(markup(html).contains("table-comparisons-run-" + id) && !markup(html).contains(">NaN<"),
                markup(html));
    }

    @Test
    void reportRefusesWhatItCannotShow(@TempDir Path dir) throws Exception {
        long id = HandMadeRun.create(runs, objects, scores, "plain", "mug", "el2n");
        String out = dir.resolve("r.html").toString();
        for (String[] args : List.of(new String[] {"report", "999999999", "--out", out},
                new String[] {"report", Long.toString(id), "--compare", Long.toString(id), "--out", out},
                new String[] {"report", Long.toString(id), "--compare", "999999999", "--out", out})) {
            Out r = InJvm.sift(factory, args);
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertEquals(2, InJvm.sift(factory, "report", Long.toString(id)).code(), "--out is required");
        assertFalse(Files.exists(Path.of(out)));
    }
}
