package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DatabaseProbeRedactTest {
    @Test
    void passwordsAreMaskedInEveryFormOfTheUrl() {
        assertEquals("jdbc:postgresql://h:5432/sift?user=***&password=***&ssl=***",
                DatabaseProbe.redact("jdbc:postgresql://h:5432/sift?user=bob&password=s3cret&ssl=true"));
        assertEquals("jdbc:postgresql://bob:***@127.0.0.1:1/sift",
                DatabaseProbe.redact("jdbc:postgresql://bob:SECRET@127.0.0.1:1/sift"));
        assertEquals("postgres://bob:***@127.0.0.1:1/sift", DatabaseProbe.redact("postgres://bob:p:a@127.0.0.1:1/sift"));
        assertEquals("jdbc:postgresql:sift?password=***", DatabaseProbe.redact("jdbc:postgresql:sift?password=x"));
        // no password: unchanged, ports included
        assertEquals("jdbc:postgresql://127.0.0.1:5432/sift", DatabaseProbe.redact("jdbc:postgresql://127.0.0.1:5432/sift"));
        assertEquals("jdbc:postgresql://bob@h/sift", DatabaseProbe.redact("jdbc:postgresql://bob@h/sift"));
    }

    /** The rules before: a password with / or @ leaked in part, and one after an e-mail user in the query in full. */
    @Test
    void passwordsThatAreNotPercentEncodedAreStarredWhole() {
        for (String url : new String[] {"jdbc:postgresql://bob:pa/Zq9@h/sift", "jdbc:postgresql://bob:p@Zq9@h/sift",
                "jdbc:postgresql://bob:pa?Zq9@h/sift", "jdbc:postgresql://h/sift?user=a@b.com&password=pa/Zq9",
                "http://AKIAX:pa/Zq9@127.0.0.1:9000/b?token=pa/Zq9"}) {
            String printed = DatabaseProbe.redact(url);
            assertEquals(-1, printed.indexOf("Zq9"), printed);
            assertEquals(printed, ObjectStore.redact(url));
        }
        assertEquals("jdbc:postgresql://bob:***@h/sift", DatabaseProbe.redact("jdbc:postgresql://bob:p@ss/x@h/sift"));
        assertEquals("jdbc:postgresql://h/sift?user=***&password=***",
                DatabaseProbe.redact("jdbc:postgresql://h/sift?user=a@b.com&password=x"));
    }
}
