package dev.sift.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The libtorch that {@code PYTORCH_LIBRARY_PATH} names, against the release DJL's JNI library was compiled for. DJL
 * loads any libtorch it is pointed at; another release's C++ classes differ, so the first operations fail or crash
 * the JVM (measured: README, "GPU"). Read without loading DJL, so that the launcher can refuse before anything starts.
 */
public final class LibTorchCheck {
    /** DJL's own setting, read as DJL reads it: the environment, else a system property of the same name. */
    static final String SETTING = "PYTORCH_LIBRARY_PATH";
    private static final Pattern PY_VERSION = Pattern.compile("^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern CACHE_DIR = Pattern.compile("^(\\d+\\.\\d+\\.\\d+)-");

    private LibTorchCheck() {
    }

    /**
     * @throws IllegalArgumentException in one line naming the folder, both releases and what to do, when the folder
     *     says it holds a libtorch release other than the JNI's; nothing when it is that release or does not say
     */
    public static void check() {
        String dir = System.getenv(SETTING);
        if (dir == null || dir.isBlank()) {
            dir = System.getProperty(SETTING);
        }
        check(dir, jniRelease());
    }

    /**
     * @param setting as DJL reads it: folders (or {@code libtorch.so} itself) joined by the path separator; each is
     *     checked
     */
    static void check(String setting, String jni) {
        if (setting == null || setting.isBlank() || jni == null) {
            return;
        }
        for (String entry : setting.split(java.util.regex.Pattern.quote(java.io.File.pathSeparator))) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry.trim());
            Optional<String> found = release(Files.isRegularFile(p) && p.getParent() != null ? p.getParent() : p);
            // 2.7.1 or 2.7.1+cu128; a pre-release or source build such as 2.7.1a0 is another release
            if (found.isPresent() && !found.get().equals(jni) && !found.get().startsWith(jni + "+")) {
                throw new IllegalArgumentException(SETTING + "=" + setting.trim() + " holds libtorch " + found.get()
                        + ", but this DJL's JNI library is built for libtorch " + jni + " only (another release loads "
                        + "and then fails or crashes): point it at a libtorch " + jni + " or unset it (README, GPU)");
            }
        }
    }

    /**
     * What the folder says of its release: a libtorch archive's {@code build-version} beside {@code lib}, a Python
     * wheel's {@code torch/version.py} beside {@code torch/lib}, or DJL's cache folder name ({@code 2.7.1-...}).
     */
    static Optional<String> release(Path given) {
        Path lib;
        try {
            lib = given.toRealPath(); // a link to torch/lib: its parent is torch's folder, not the link's
        } catch (IOException | RuntimeException e) {
            lib = given.toAbsolutePath().normalize();
        }
        Path parent = lib.getParent();
        if (parent != null) {
            for (String line : lines(parent.resolve("build-version"))) {
                if (!line.isBlank()) {
                    return Optional.of(line.trim());
                }
            }
            // a wheel's torch/version.py; another program's version.py beside its lib says nothing of libtorch
            boolean torch = parent.getFileName() != null && parent.getFileName().toString().equals("torch")
                    && Files.isRegularFile(parent.resolve("__init__.py"));
            for (String line : torch ? lines(parent.resolve("version.py")) : List.<String>of()) {
                Matcher m = PY_VERSION.matcher(line);
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
        }
        Path name = lib.getFileName();
        Matcher m = CACHE_DIR.matcher(name == null ? "" : name.toString());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of(); // unreadable: it says nothing
        }
    }

    /** The libtorch release of the pytorch-jni jar on the class path ({@code jni_version=2.7.1-0.36.0}), or null. */
    static String jniRelease() {
        try (InputStream in = LibTorchCheck.class.getClassLoader().getResourceAsStream("jnilib/pytorch.properties")) {
            if (in == null) {
                return null;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("jni_version");
            return v == null ? null : v.split("-", 2)[0].trim();
        } catch (IOException e) {
            return null;
        }
    }
}
