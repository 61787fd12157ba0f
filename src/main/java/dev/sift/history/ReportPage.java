package dev.sift.history;

import io.quarkus.qute.Location;
import io.quarkus.qute.RawString;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * Renders a {@link ReportView} with the Qute template {@code templates/report.html} (which escapes every value) and
 * inlines Apache ECharts from its WebJar, so that the page is one file that opens offline: its Content-Security-Policy
 * lets no request leave it.
 */
@ApplicationScoped
public class ReportPage {
    /** What the page may load: nothing but its own inline scripts and styles, and data: images. */
    public static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            + "img-src data:";
    private static final String WEBJAR = "META-INF/resources/webjars/echarts/";
    private static volatile RawString script;

    @Inject
    @Location("report.html")
    Template report;

    public String render(ReportView view) {
        return report.data("report", view).data("csp", CSP).render();
    }

    /** The chart library as the page inlines it: ECharts' dist/echarts.min.js, read once from its WebJar. */
    static RawString script() {
        RawString s = script;
        if (s == null) {
            synchronized (ReportPage.class) {
                if (script == null) {
                    script = new RawString(load());
                }
                s = script;
            }
        }
        return s;
    }

    private static String load() {
        ClassLoader cl = ReportPage.class.getClassLoader();
        try {
            Properties p = new Properties();
            try (InputStream in = cl.getResourceAsStream("META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
                if (in == null) {
                    throw new IllegalStateException("the ECharts WebJar (org.webjars.npm:echarts) is not on the "
                            + "class path");
                }
                p.load(in);
            }
            String path = WEBJAR + p.getProperty("version") + "/dist/echarts.min.js";
            try (InputStream in = cl.getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException(path + " is not on the class path");
                }
                String js = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                String lower = js.toLowerCase(Locale.ROOT);
                // inside <script> these would end the element or change how the browser reads its text
                if (lower.contains("</script") || lower.contains("<!--") || lower.contains("<script")) {
                    throw new IllegalStateException(path + " cannot be inlined in a <script> element as it is");
                }
                return js;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
