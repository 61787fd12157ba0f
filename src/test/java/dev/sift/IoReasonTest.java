package dev.sift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoReasonTest {
    @Test
    void namesWhatWentWrongAndWhere(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope").resolve("x.html");
        IOException e = assertThrows(IOException.class, () -> Files.writeString(missing, "x"));
        assertEquals("no such file or directory: " + missing, IoReason.of(e));
        Path file = Files.writeString(dir.resolve("f"), "x");
        IOException under = assertThrows(IOException.class, () -> Files.createDirectories(file.resolve("sub")));
        assertEquals("not a directory: " + file.resolve("sub"), IoReason.of(under));
        assertEquals("disk full", IoReason.of(new IOException("disk full")));
        Path to = dir.resolve("gone").resolve("moved"); // a move into a folder that is not there
        IOException move = assertThrows(IOException.class, () -> Files.move(file, to));
        assertEquals("no such file or directory: " + file + " -> " + to, IoReason.of(move), "both files");
        assertEquals("no such file or directory", IoReason.what(e), "for a message that names the file itself");
        assertEquals("disk full", IoReason.what(new IOException("disk full")));
        assertEquals("not a readable gzip file (invalid code lengths set)", IoReason.of(
                new java.util.zip.ZipException("invalid code lengths set")), "zlib's words alone say little");
        // a write through a temporary file beside --out names the folder, not the file the user never named
        Path tmp = dir.resolve("my data").resolve(".sift-export-0f1e2d3c-aaaa-4bbb-8ccc-123456789abc.tmp");
        IOException beside = assertThrows(IOException.class, () -> Files.createFile(tmp));
        assertEquals("no such file or directory: a new file in " + dir.resolve("my data"), IoReason.ofWrite(beside));
        assertEquals(IoReason.of(e), IoReason.ofWrite(e), "any other file as of() says it");
    }
}
