package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A probe's store settings that Quarkus read without naming them, or took without a word. */
class EnvironmentSettingsTest {
    @Test
    void eachBadSettingIsNamedInOneLine() {
        assertEquals("SIFT_S3_RETRY_SECONDS is 'abc': a whole number of seconds, 0 or more (0: no retries)",
                EnvironmentSettings.problem(Map.of("SIFT_S3_RETRY_SECONDS", "abc")));
        assertEquals("SIFT_DB_RETRY_SECONDS is '-1': a whole number of seconds, 0 or more (0: no retries)",
                EnvironmentSettings.problem(Map.of("SIFT_DB_RETRY_SECONDS", "-1")));
        assertEquals("SIFT_S3_PATH_STYLE is 'maybe': true or false", EnvironmentSettings.problem(Map.of(
                "SIFT_S3_PATH_STYLE", "maybe")));
        assertEquals("SIFT_S3_EMBEDDED is 'nah': true or false", EnvironmentSettings.problem(Map.of("SIFT_S3_EMBEDDED",
                "nah")));
        // a blank one is null to Quarkus' converter (and then fails the start), a negative one slept negative
        for (String poll : new String[] {"xyz", "", "  ", "-5s", "P-1D", "0", "2d"}) {
            assertEquals("SIFT_BATCH_POLL_INTERVAL is '" + poll + "': a duration above 0 and at most a day, such as "
                    + "15s, 500ms, 2m or PT15S", EnvironmentSettings.problem(Map.of("SIFT_BATCH_POLL_INTERVAL", poll)),
                    poll);
        }
        // what the SDK refuses before it creates the bucket (a review's: '..' and an IP address passed)
        for (String bucket : new String[] {"", "Bad_Bucket!", "ab", "-sift", "sift-", "my..bucket", "a.-b", "a-.b",
            "10.0.0.1"}) {
            assertEquals("SIFT_S3_BUCKET is '" + bucket + "': not an S3 bucket name (3 to 63 lowercase letters, "
                    + "digits, '.' and '-', a letter or digit at each end, no '..', '.-' or '-.', not an IP address)",
                    EnvironmentSettings.problem(Map.of("SIFT_S3_BUCKET", bucket)), bucket);
        }
    }

    /** What the configuration itself takes is taken (a review's: 15S, 1.5s, yes and +60 were refused). */
    @Test
    void goodSettingsAndNoneAreTaken() {
        assertNull(EnvironmentSettings.problem(Map.of()));
        assertNull(EnvironmentSettings.problem(Map.of("SIFT_S3_RETRY_SECONDS", "0", "SIFT_DB_RETRY_SECONDS", "+60",
                "SIFT_S3_PATH_STYLE", "FALSE", "SIFT_S3_EMBEDDED", "yes", "SIFT_S3_BUCKET", "sift-prod-7.eu")));
        for (String poll : new String[] {"15s", "15S", "500ms", "2m", "1D", "1.5s", "30", "PT15S"}) {
            assertNull(EnvironmentSettings.problem(Map.of("SIFT_BATCH_POLL_INTERVAL", poll)), poll);
        }
        for (String b : new String[] {"0", "off", "On", " true "}) {
            assertNull(EnvironmentSettings.problem(Map.of("SIFT_S3_PATH_STYLE", b)), b);
        }
    }
}
