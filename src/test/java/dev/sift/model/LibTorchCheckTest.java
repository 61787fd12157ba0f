package dev.sift.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A libtorch of another release than the JNI's is refused in one line before DJL loads it: on 2026-12-04 DJL 0.36
 * pointed at torch 2.11's libraries failed at its first copy from the GPU, and at torch 2.13's crashed the JVM.
 */
class LibTorchCheckTest {
    @TempDir
    Path dir;

    @Test
    void theJniReleaseIsReadFromTheJarOnTheClassPath() {
        assertEquals("2.7.1", LibTorchCheck.jniRelease());
    }

    @Test
    void aPythonWheelsLibrariesAreRefusedUnlessTheyAreTheJnisRelease() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("site-packages/torch/lib"));
        Files.writeString(lib.resolveSibling("__init__.py"), "");
        Files.writeString(lib.resolveSibling("version.py"), "from typing import Optional\n"
                + "__version__ = '2.11.0+cu130'\n");
        assertEquals(Optional.of("2.11.0+cu130"), LibTorchCheck.release(lib));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LibTorchCheck.check(lib.toString(), "2.7.1"));
        assertEquals("PYTORCH_LIBRARY_PATH=" + lib + " holds libtorch 2.11.0+cu130, but this DJL's JNI library is built "
                + "for libtorch 2.7.1 only (another release loads and then fails or crashes): point it at a libtorch "
                + "2.7.1 or unset it (README, GPU)", e.getMessage());
        // DJL's forms: a list of folders, or libtorch.so itself; a link to the folder is followed
        Files.writeString(lib.resolve("libtorch.so"), "");
        assertThrows(IllegalArgumentException.class, () -> LibTorchCheck.check(dir + java.io.File.pathSeparator + lib,
                "2.7.1"));
        assertThrows(IllegalArgumentException.class, () -> LibTorchCheck.check(lib.resolve("libtorch.so").toString(),
                "2.7.1"));
        Path link = Files.createSymbolicLink(dir.resolve("tl"), lib);
        assertThrows(IllegalArgumentException.class, () -> LibTorchCheck.check(link.toString(), "2.7.1"));
        Files.writeString(lib.resolveSibling("version.py"), "__version__ = '2.7.1a0+git1234'\n");
        assertThrows(IllegalArgumentException.class, () -> LibTorchCheck.check(lib.toString(), "2.7.1"),
                "a source build before the release is another release");
        Files.writeString(lib.resolveSibling("version.py"), "__version__ = \"2.7.1+cu128\"\n");
        assertDoesNotThrow(() -> LibTorchCheck.check(lib.toString(), "2.7.1"));
        // another program's version.py beside its lib folder says nothing of libtorch
        Path app = Files.createDirectories(dir.resolve("myapp/lib"));
        Files.writeString(app.resolveSibling("version.py"), "__version__ = '1.2.0'\n");
        assertEquals(Optional.empty(), LibTorchCheck.release(app));
    }

    @Test
    void aLibtorchArchiveSaysItsReleaseInBuildVersion() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("libtorch/lib"));
        Files.writeString(lib.resolveSibling("build-version"), "2.5.1+cpu\n");
        assertThrows(IllegalArgumentException.class, () -> LibTorchCheck.check(lib + "/", "2.7.1"));
        Files.writeString(lib.resolveSibling("build-version"), "2.7.1+cu128\n");
        assertDoesNotThrow(() -> LibTorchCheck.check(lib.toString(), "2.7.1"));
    }

    @Test
    void djlsCacheFolderNamesItsReleaseAndAFolderThatSaysNothingPasses() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("2.7.1-20250812-cpu-linux-x86_64"));
        assertEquals(Optional.of("2.7.1"), LibTorchCheck.release(cache));
        assertDoesNotThrow(() -> LibTorchCheck.check(cache.toString(), "2.7.1"));
        Path older = Files.createDirectories(dir.resolve("2.5.1-cpu-linux-x86_64"));
        assertThrows(IllegalArgumentException.class, () -> LibTorchCheck.check(older.toString(), "2.7.1"));
        Path plain = Files.createDirectories(dir.resolve("mylibs"));
        assertEquals(Optional.empty(), LibTorchCheck.release(plain));
        assertDoesNotThrow(() -> LibTorchCheck.check(plain.toString(), "2.7.1"));
        assertDoesNotThrow(() -> LibTorchCheck.check(dir.resolve("missing").toString(), "2.7.1"));
        assertDoesNotThrow(() -> LibTorchCheck.check("", "2.7.1"));
        assertDoesNotThrow(() -> LibTorchCheck.check(older.toString(), null), "no JNI jar: nothing to compare");
    }
}
