package dev.sift.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.docker.Dockerfiles.Instruction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After {@code package}: every file the images copy from the build context is there, the CPU build carries the
 * libtorch Dockerfile.jvm relies on, and the launcher makes an AppCDS archive (as the images' build step does) that a
 * JVM then maps: -Xshare:on refuses to start when it cannot.
 */
class DockerfilesIT {
    @TempDir
    Path tmp;

    @Test
    void everyCopySourceExistsInThePackagedApplication() throws Exception {
        for (String name : Dockerfiles.NAMES) {
            for (Instruction c : Dockerfiles.contextCopies(name)) {
                for (String src : c.args().subList(0, c.args().size() - 1)) {
                    assertTrue(matches(src), name + ": nothing at " + src);
                }
            }
        }
        try (Stream<Path> libs = Files.list(Path.of("target/quarkus-app/lib/main"))) {
            assertTrue(libs.anyMatch(p -> p.getFileName().toString()
                    .startsWith("ai.djl.pytorch.pytorch-native-cpu-2.7.1")), "a plain build carries the CPU libtorch");
        }
    }

    private static boolean matches(String src) throws Exception {
        String pattern = src.endsWith("/") ? src.substring(0, src.length() - 1) : src;
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        Path dir = Path.of(pattern).getParent() == null ? Path.of(".") : Path.of(pattern).getParent();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> dir.equals(Path.of(".")) ? p.getFileName() : p).anyMatch(m::matches);
        }
    }

    @Test
    void launcherMakesAnArchiveThatTheJvmMaps() throws Exception {
        Path archive = tmp.resolve("sift-cds.jsa");
        assertEquals(0, sift(archive, "1", "").waitFor(), "dump");
        assertTrue(Files.size(archive) > 1_000_000, "archive written");
        Process use = sift(archive, null, "-Xshare:on -Xmx1g");
        assertEquals(0, use.waitFor(), "started with -Xshare:on");
    }

    private Process sift(Path archive, String dump, String javaOpts) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("./sift", "--version").redirectErrorStream(true);
        pb.environment().put("SIFT_CDS_ARCHIVE", archive.toString());
        pb.environment().put("SIFT_HOME", tmp.toString());
        if (dump != null) {
            pb.environment().put("SIFT_CDS_DUMP", dump);
        }
        if (!javaOpts.isEmpty()) {
            pb.environment().put("SIFT_JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertTrue(out.contains("sift "), out);
        return p;
    }
}
