package dev.sift.store;

import dev.sift.config.SiftConfig;
import dev.sift.config.SiftHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The secret key of the keyed user-id hash: configured, or created once under SIFT_HOME with mode 600. */
public final class HashKeys {
    private HashKeys() {
    }

    public static byte[] load(SiftConfig config) throws IOException {
        if (config.privacy().hashKey().isPresent()) {
            return config.privacy().hashKey().get().getBytes(StandardCharsets.UTF_8);
        }
        Path file = SiftHome.resolve().resolve("hash.key");
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Path tmp = Files.createTempFile(file.getParent(), "hash", ".key",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, HexFormat.of().formatHex(key));
            try {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(tmp);
                if (!Files.exists(file)) {
                    throw e;
                }
            }
        }
        return HexFormat.of().parseHex(Files.readString(file).trim());
    }
}
