package dev.sift.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SiftConfigTest {
    private static SiftConfig build(Map<String, String> props) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(SiftConfig.class)
                .withSources(new PropertiesConfigSource(props, "test", 100)).build();
        return config.getConfigMapping(SiftConfig.class);
    }

    @Test
    void defaults() {
        SiftConfig c = build(Map.of());
        assertEquals("sift", c.s3().bucket());
        assertEquals("flat", c.adamw());
        assertEquals(Optional.empty(), c.s3().endpoint());
        assertEquals("us-east-1", c.s3().region());
        assertTrue(c.s3().pathStyle());
        assertTrue(c.s3().embedded());
        assertEquals(Optional.empty(), c.privacy().hashKey());
        assertEquals(Optional.empty(), c.db().url());
        assertEquals(Optional.empty(), c.home());
        assertEquals(Optional.empty(), c.batch().gpuQueue());
        assertEquals(Optional.empty(), c.batch().cpuQueue());
        assertEquals(Optional.empty(), c.batch().runJobDefinition());
        assertEquals(Optional.empty(), c.batch().runCpuJobDefinition());
        assertEquals(Optional.empty(), c.batch().endpoint());
        assertEquals(Optional.empty(), c.batch().region());
        assertEquals(java.time.Duration.ofSeconds(15), c.batch().pollInterval());
    }

    @Test
    void batchMapping() {
        SiftConfig c = build(Map.of("sift.batch.gpu-queue", "gq", "sift.batch.cpu-queue", "cq",
                "sift.batch.run-job-definition", "rd", "sift.batch.run-cpu-job-definition", "rcd",
                "sift.batch.endpoint", "http://127.0.0.1:9", "sift.batch.region", "eu-west-1",
                "sift.batch.poll-interval", "PT2S"));
        assertEquals(Optional.of("gq"), c.batch().gpuQueue());
        assertEquals(Optional.of("cq"), c.batch().cpuQueue());
        assertEquals(Optional.of("rd"), c.batch().runJobDefinition());
        assertEquals(Optional.of("rcd"), c.batch().runCpuJobDefinition());
        assertEquals(Optional.of("http://127.0.0.1:9"), c.batch().endpoint());
        assertEquals(Optional.of("eu-west-1"), c.batch().region());
        assertEquals(java.time.Duration.ofSeconds(2), c.batch().pollInterval());
    }

    @Test
    void fullMapping() {
        SiftConfig c = build(Map.of("sift.s3.bucket", "b", "sift.s3.endpoint", "http://minio:9000",
                "sift.s3.region", "eu-west-1", "sift.s3.path-style", "false", "sift.s3.embedded", "false",
                "sift.privacy.hash-key", "k", "sift.db.url", "jdbc:postgresql://db/sift", "sift.db.user", "u",
                "sift.db.password", "p", "sift.home", "/data/sift"));
        assertEquals("b", c.s3().bucket());
        assertEquals(Optional.of("http://minio:9000"), c.s3().endpoint());
        assertEquals("eu-west-1", c.s3().region());
        assertFalse(c.s3().pathStyle());
        assertFalse(c.s3().embedded());
        assertEquals(Optional.of("k"), c.privacy().hashKey());
        assertEquals(Optional.of("jdbc:postgresql://db/sift"), c.db().url());
        assertEquals(Optional.of("u"), c.db().user());
        assertEquals(Optional.of("p"), c.db().password());
        assertEquals(Optional.of("/data/sift"), c.home());
    }

    /** A configured user-id hash key shorter than 16 bytes is a usage error naming its variable. */
    @Test
    void aShortHashKeyIsRefusedNamingItsVariable() throws Exception {
        dev.sift.SiftException e = org.junit.jupiter.api.Assertions.assertThrows(dev.sift.SiftException.class,
                () -> dev.sift.store.HashKeys.load(build(Map.of("sift.privacy.hash-key", "HASHKEYp57zq9xx"))));
        assertEquals(2, e.exitCode());
        assertEquals("SIFT_PRIVACY_HASH_KEY (sift.privacy.hash-key) has 15 bytes; the user-id hash key needs at least "
                + "16 (unset, a random 32-byte key is made once in SIFT_HOME/hash.key)", e.getMessage());
        assertEquals(16, dev.sift.store.HashKeys.load(build(Map.of("sift.privacy.hash-key", "HASHKEYp57zq9xx!")))
                .length);
    }
}
