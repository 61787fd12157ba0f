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

    /** The fewest bytes a configured key may have (the created one has 32). */
    static final int MIN_BYTES = 16;

    /**
     * The configured key, or the one under SIFT_HOME. A configured key of fewer than {@link #MIN_BYTES} bytes is a
     * usage error naming its variable (a probe's 15-byte key failed at ingest, after the run was recorded, in words
     * that named no setting); {@code sift run} asks before it records a run.
     */
    public static byte[] load(SiftConfig config) throws IOException {
        if (config.privacy().hashKey().isPresent()) {
            byte[] key = config.privacy().hashKey().get().getBytes(StandardCharsets.UTF_8);
            if (key.length < MIN_BYTES) {
                throw dev.sift.SiftException.usage("SIFT_PRIVACY_HASH_KEY (sift.privacy.hash-key) has " + key.length
                        + " bytes; the user-id hash key needs at least " + MIN_BYTES + " (unset, a random 32-byte key "
                        + "is made once in SIFT_HOME/hash.key)");
            }
            return key;
        }
        return HexFormat.of().parseHex(SecretFile.readOrCreate(SiftHome.resolve().resolve("hash.key"), 32));
    }
}
