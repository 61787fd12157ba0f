package dev.sift.data;

import dev.sift.IoReason;
import dev.sift.SiftException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A local file the workflow names as data, opened for ingest: one that is gone (deleted after the run was recorded,
 * before a resume) is bad input, exit code 2, as {@code validate} says it; a probe's failed the stage with exit 1. A
 * file of the machine's own (a temporary file, a library) that is gone stays a failure of the stage.
 */
public final class LocalSource {
    private LocalSource() {
    }

    public static InputStream open(String path) throws IOException {
        try {
            return Files.newInputStream(Path.of(path));
        } catch (NoSuchFileException e) {
            throw SiftException.usage(IoReason.of(e));
        }
    }
}
