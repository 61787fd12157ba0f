package dev.sift.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A random secret kept in a file that only its owner can read (mode 600), created once and then reused. */
final class SecretFile {
    private SecretFile() {
    }

    /** The hex secret in {@code file}; creates it with {@code bytes} random bytes when it does not exist. */
    static String readOrCreate(Path file, int bytes) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            byte[] key = new byte[bytes];
            new SecureRandom().nextBytes(key);
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, HexFormat.of().formatHex(key));
            try {
                Files.createLink(file, tmp); // atomic, and never replaces a secret another process just created
            } catch (FileAlreadyExistsException e) {
                // another process was first: use its secret
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return Files.readString(file).trim();
    }
}
