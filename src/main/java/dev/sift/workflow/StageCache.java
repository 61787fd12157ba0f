package dev.sift.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sift.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The cache keys of a run's steps. A step's key is the SHA-256 of Sift's code version, the stage and iteration, the
 * sections of the resolved workflow the stage reads (all but the run's name unless the stage lists them), what the
 * stage reads from outside Sift's store (the data file's digest, for ingest) and the key of the step before it; so a
 * step's key covers everything every earlier step read, and changing {@code filter.keep} reuses ingest, fine-tune
 * and score. The code version is the digest of Sift's compiled classes (names and
 * bytes, not file times), so any rebuilt change to the code misses the cache and an identical rebuild does not.
 */
public final class StageCache {
    private static volatile String codeVersion;

    private StageCache() {
    }

    /**
     * The digest of the sections of the resolved workflow a stage reads ({@code null}: every section but the run's
     * name and the cache settings).
     */
    public static String specDigest(WorkflowSpec spec, List<String> sections) {
        ObjectNode tree = StageJson.tree(spec);
        tree.remove("name");
        tree.remove("cache");
        tree.remove("execution"); // where it runs does not change what it computes
        if (sections != null) {
            tree.retain(sections);
            if (tree.size() != sections.size()) {
                throw new IllegalStateException("a stage names workflow sections that do not exist: " + sections
                        + " (the workflow has " + StageJson.tree(spec).properties().stream().map(e -> e.getKey())
                        .toList() + ")");
            }
        }
        return Sha256.hex(tree.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The key of one step, chained to the key of the step before it ("" for the first). */
    public static String key(String previous, String stage, int iteration, String inputs) {
        String s = String.join("\n", codeVersion(), stage, Integer.toString(iteration), inputs, previous);
        return Sha256.hex(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest of the classes Sift runs from (its jar, or its classes folder in a build). */
    public static String codeVersion() {
        String v = codeVersion;
        if (v == null) {
            v = computeCodeVersion();
            codeVersion = v;
        }
        return v;
    }

    private static String computeCodeVersion() {
        URL self = StageCache.class.getResource("StageCache.class");
        if (self == null) {
            throw new IllegalStateException("cannot find Sift's own classes to version the stage cache");
        }
        try {
            MessageDigest d = Sha256.digest();
            String u = self.toString();
            if (u.startsWith("jar:file:")) {
                String jar = u.substring("jar:".length(), u.indexOf("!/"));
                digestJar(Path.of(new URL(jar).toURI()), d);
            } else if (u.startsWith("file:")) {
                Path cls = Path.of(self.toURI());
                String rel = StageCache.class.getName().replace('.', '/') + ".class";
                Path root = cls;
                for (int i = 0; i < rel.split("/").length; i++) {
                    root = root.getParent();
                }
                digestFolder(root, d);
            } else {
                throw new IllegalStateException("cannot version the stage cache: classes served from " + u);
            }
            return Sha256.hex(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digestJar(Path jar, MessageDigest d) throws IOException {
        try (JarFile f = new JarFile(jar.toFile())) {
            List<JarEntry> entries = new ArrayList<>();
            for (Enumeration<JarEntry> e = f.entries(); e.hasMoreElements();) {
                JarEntry j = e.nextElement();
                if (!j.isDirectory() && !j.getName().startsWith("META-INF/")) {
                    entries.add(j);
                }
            }
            entries.sort((a, b) -> a.getName().compareTo(b.getName()));
            for (JarEntry j : entries) {
                d.update(j.getName().getBytes(StandardCharsets.UTF_8));
                try (InputStream in = f.getInputStream(j)) {
                    d.update(in.readAllBytes());
                }
            }
        }
    }

    private static void digestFolder(Path root, MessageDigest d) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path p : files) {
            d.update(root.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
            d.update(Files.readAllBytes(p));
        }
    }

    /** The chain of cache keys of a run's steps, in plan order: each step's key covers every step before it. */
    static final class Chain {
        private final Map<String, String> digests = new HashMap<>();
        private final WorkflowSpec spec;
        private String previous = "";

        Chain(WorkflowSpec spec) {
            this.spec = spec;
        }

        /** The key of the next step: {@code stage} at {@code iteration}. */
        String next(Stage<?> stage, int iteration) {
            String inputs = digests.computeIfAbsent(stage.name(), n -> specDigest(spec, stage.specSections()) + "\n"
                    + stage.externalInputs(spec));
            previous = key(previous, stage.name(), iteration, inputs);
            return previous;
        }
    }
}
