package dev.sift.store;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import dev.sift.Sha256;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/** Objects written to S3 through a temporary file, never as one heap array (see {@link ObjectStore#putWritten}). */
final class TempFiles {
    private static final Logger LOG = Logger.getLogger(TempFiles.class);

    private TempFiles() {
    }

    /**
     * Writes {@code writer}'s bytes to a temporary file named {@code prefix}..., hands {@code then} their sha256 and
     * the file, removes the file, and returns the sha256; a file that cannot be written ends in exit code 3.
     */
    static String through(String what, String prefix, ObjectStore.StreamWriter writer, BiConsumer<String, Path> then) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(prefix, ".bin");
            MessageDigest sha = Sha256.digest();
            try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                    1 << 16), sha)) {
                writer.write(out);
            }
            String hex = Sha256.hex(sha);
            then.accept(hex, tmp);
            return hex;
        } catch (IOException e) {
            throw new SiftException(ExitCodes.ENVIRONMENT, "cannot write a temporary file for " + what + ": "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                LOG.warnf("could not delete %s: %s", tmp, e.getMessage());
            }
        }
    }
}
