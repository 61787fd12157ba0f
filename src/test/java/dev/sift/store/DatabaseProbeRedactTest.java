package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DatabaseProbeRedactTest {
    @Test
    void passwordsAreMaskedInEveryFormOfTheUrl() {
        assertEquals("jdbc:postgresql://h:5432/sift?user=bob&password=***&ssl=true",
                DatabaseProbe.redact("jdbc:postgresql://h:5432/sift?user=bob&password=s3cret&ssl=true"));
        assertEquals("jdbc:postgresql://bob:***@127.0.0.1:1/sift",
                DatabaseProbe.redact("jdbc:postgresql://bob:SECRET@127.0.0.1:1/sift"));
        assertEquals("postgres://bob:***@127.0.0.1:1/sift", DatabaseProbe.redact("postgres://bob:p:a@127.0.0.1:1/sift"));
        // no password: unchanged, ports included
        assertEquals("jdbc:postgresql://127.0.0.1:5432/sift", DatabaseProbe.redact("jdbc:postgresql://127.0.0.1:5432/sift"));
        assertEquals("jdbc:postgresql://bob@h/sift", DatabaseProbe.redact("jdbc:postgresql://bob@h/sift"));
    }
}
