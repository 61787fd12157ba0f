package dev.sift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium}, headless, with the network off: a proxy on the discard port, every host name
 * unresolvable, QUIC and the background services (updates, sync, component downloads) disabled. What a page
 * loads from elsewhere fails, so a page that draws offline here draws offline anywhere.
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_S = 60;

    private final Path profile;

    private HeadlessChromium(Path profile) {
        this.profile = profile;
    }

    /**
     * The browser, or a failed test that says how to install it; {@code SIFT_SKIP_BROWSER=1} skips instead (for
     * machines where it cannot be installed).
     */
    static HeadlessChromium require(Path work) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            Assumptions.assumeFalse("1".equals(System.getenv("SIFT_SKIP_BROWSER")),
                    BINARY + " is missing; SIFT_SKIP_BROWSER=1 skips the browser checks");
            fail(BINARY + " is missing: install it (apt-get update && apt-get install -y chromium; .ci/run does) "
                    + "or set SIFT_SKIP_BROWSER=1 to skip the browser checks");
        }
        return new HeadlessChromium(Files.createDirectories(work.resolve("chromium-profile")));
    }

    /** The page's DOM after its scripts ran. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        Path out = profile.resolveSibling("dom.html");
        run(out, "--dump-dom", page.toUri().toString());
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** A PNG of the page's first {@code width} x {@code height} pixels. */
    Path screenshot(Path page, int width, int height) throws IOException, InterruptedException {
        Path png = profile.resolveSibling("screenshot.png");
        run(profile.resolveSibling("screenshot.log"), "--screenshot=" + png, "--window-size=" + width + "," + height,
                page.toUri().toString());
        return png;
    }

    private void run(Path stdout, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--proxy-server=127.0.0.1:9",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=5000"));
        cmd.addAll(List.of(args));
        Path err = profile.resolveSibling("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in " + TIMEOUT_S + " s: " + String.join(" ", cmd));
        }
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + readQuietly(err));
    }

    private static String readQuietly(Path p) {
        try {
            String s = Files.readString(p);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return e.toString();
        }
    }
}
