package dev.sift.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class StageFailureMessageTest {
    @Test
    void aFileSystemErrorIsSaidWithItsReasonNotAsTheBarePath() {
        NoSuchFileException gone = new NoSuchFileException("/data/shop.csv");
        assertEquals("no such file or directory: /data/shop.csv", StageRuns.message(gone));
        assertEquals("no such file or directory: /data/shop.csv", StageRuns.message(new UncheckedIOException(gone)));
        // a message written by Sift around the error is kept as written
        assertEquals("ingest of /data/shop.csv: it vanished", StageRuns.message(new IllegalStateException(
                "ingest of /data/shop.csv: it vanished", gone)));
        assertEquals("IllegalStateException", StageRuns.message(new IllegalStateException()));
    }
}
