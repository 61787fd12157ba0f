package dev.sift.store;

import dev.sift.config.SiftConfig;
import dev.sift.config.SiftHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** The secret key of the keyed user-id hash: configured, or created once under SIFT_HOME with mode 600. */
public final class HashKeys {
    private HashKeys() {
    }

    public static byte[] load(SiftConfig config) throws IOException {
        if (config.privacy().hashKey().isPresent()) {
            return config.privacy().hashKey().get().getBytes(StandardCharsets.UTF_8);
        }
        return HexFormat.of().parseHex(SecretFile.readOrCreate(SiftHome.resolve().resolve("hash.key"), 32));
    }
}
