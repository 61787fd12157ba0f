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
        // other drivers' ;name=value parameters, written out of habit (a probe's ;password= printed in the clear)
        assertEquals("jdbc:postgresql://127.0.0.1:5999/sift;password=***",
                DatabaseProbe.redact("jdbc:postgresql://127.0.0.1:5999/sift;password=HUNTER2"));
        assertEquals("jdbc:postgresql://h/sift;user=***;password=***", // the ? inside a value is starred with it
                DatabaseProbe.redact("jdbc:postgresql://h/sift;user=u;password=p?ssl=true"));
    }

    /** The rules before: a password with / or @ leaked in part, and one after an e-mail user in the query in full. */
    @Test
    void passwordsThatAreNotPercentEncodedAreStarredWhole() {
        for (String url : new String[] {"jdbc:postgresql://bob:pa/Zq9@h/sift", "jdbc:postgresql://bob:p@Zq9@h/sift",
                "jdbc:postgresql://bob:pa?Zq9@h/sift", "jdbc:postgresql://h/sift?user=a@b.com&password=pa/Zq9",
                "jdbc:postgresql://bob:Zq9&k=v@h/sift", "jdbc:postgresql://bob:Why?Not=Zq9@h:5432/sift",
                "jdbc:postgresql://h/sift?password=pa&Zq9", "jdbc:postgresql://h/sift?password=pa;Zq9",
                "jdbc:postgresql://h/sift?Zq9", "jdbc:postgresql://h:5432/sift?user=a@b.com&password=Zq9"}) {
            String printed = DatabaseProbe.redact(url);
            assertEquals(-1, printed.indexOf("Zq9"), printed);
        }
        assertEquals("jdbc:postgresql://bob:***@h/sift", DatabaseProbe.redact("jdbc:postgresql://bob:p@ss/x@h/sift"));
        assertEquals("jdbc:postgresql://h/sift?user=***&password=***",
                DatabaseProbe.redact("jdbc:postgresql://h/sift?user=a@b.com&password=x"));
        // what erring towards starring costs: a port and an @ later garble the host, never print a password
        assertEquals("jdbc:postgresql://h:***@db", DatabaseProbe.redact("jdbc:postgresql://h:5432/my@db"));
    }

    /** The driver's own message may repeat a URL it could not parse; what it repeats of a secret is starred. */
    @Test
    void aDriversMessageLosesThePasswordsItRepeats() {
        assertEquals("invalid port number: ***@127.0.0.1:1 (host bob)", UrlRedaction.scrub(
                "invalid port number: SECRET9@127.0.0.1:1 (host bob)", "jdbc:postgresql://bob:SECRET9@127.0.0.1:1/x",
                (String) null));
        // the driver reads sift;password=... as the database's name, and the server's error repeats it
        assertEquals("database \"sift;password=***\" does not exist", UrlRedaction.scrub(
                "database \"sift;password=HUNTER2\" does not exist", "jdbc:postgresql://h/sift;password=HUNTER2"));
        assertEquals("auth failed for *** and ***", UrlRedaction.scrub("auth failed for tok123 and pw-from-env",
                "jdbc:postgresql://h/x?ssl=true&apiToken=tok123", "pw-from-env"));
        assertEquals("ssl=true is on", UrlRedaction.scrub("ssl=true is on", "jdbc:postgresql://h/x?ssl=true", "ab"));
        assertEquals(null, UrlRedaction.scrub(null, "jdbc:postgresql://h/x"));
    }
}
