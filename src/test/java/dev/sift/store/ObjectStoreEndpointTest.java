package dev.sift.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sift.ExitCodes;
import dev.sift.SiftException;
import org.junit.jupiter.api.Test;

/** SIFT_S3_ENDPOINT is checked before any S3 call: a setting that is not an http(s) URL is exit code 3, one line. */
class ObjectStoreEndpointTest {
    @Test
    void anHttpUrlWithAHostIsTakenAndAnythingElseIsRefusedWithExit3() {
        assertEquals("127.0.0.1", ObjectStore.endpoint("http://127.0.0.1:9000").getHost());
        assertEquals("s3.example.com", ObjectStore.endpoint(" https://s3.example.com ").getHost());
        SiftException space = assertThrows(SiftException.class, () -> ObjectStore.endpoint("not a url"));
        assertEquals(ExitCodes.ENVIRONMENT, space.exitCode());
        assertEquals("SIFT_S3_ENDPOINT 'not a url' is not a URL (Illegal character in path at index 3): it needs "
                + "http:// or https:// and a host, e.g. http://127.0.0.1:9000", space.getMessage());
        for (String wrong : new String[] {"ftp://x", "127.0.0.1:9000", "http://", "localhost:9000"}) {
            SiftException e = assertThrows(SiftException.class, () -> ObjectStore.endpoint(wrong), wrong);
            assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
            assertTrue(e.getMessage().startsWith("SIFT_S3_ENDPOINT '" + wrong + "' is not "), e.getMessage());
            assertTrue(e.getMessage().endsWith(": it needs http:// or https:// and a host, e.g. "
                    + "http://127.0.0.1:9000"), e.getMessage());
        }
    }

    /** A probe's endpoint with user:password@ was printed whole in the retry warning and the error; now refused, starred. */
    @Test
    void credentialsOrAQueryInTheEndpointAreRefusedWithoutBeingPrinted() {
        for (String secret : new String[] {"http://AKIAX:S3cretKey99@127.0.0.1:1", "http://127.0.0.1:1/?token=S3cretKey99",
                "https://AKIAX:S3cretKey99@s3 bad.example.com", "http://S3cretKey99@127.0.0.1:1",
                "http://127.0.0.1:1/?S3cretKey99", "http://AKIAX:wJal;r=S3cretKey99@h:9000",
                "http://AKIAX:S3cretKey99&k=v@h:9000"}) {
            SiftException e = assertThrows(SiftException.class, () -> ObjectStore.endpoint(secret), secret);
            assertEquals(ExitCodes.ENVIRONMENT, e.exitCode());
            assertTrue(!e.getMessage().contains("S3cretKey99") && !e.getMessage().contains("\n"), e.getMessage());
        }
        assertEquals("SIFT_S3_ENDPOINT 'http://***@127.0.0.1:1' holds credentials (user:password@): give the endpoint "
                + "alone, and the credentials as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE",
                assertThrows(SiftException.class, () -> ObjectStore.endpoint("http://AKIAX:S3cretKey99@127.0.0.1:1"))
                        .getMessage());
        assertEquals("http://***@h:9000/b?x=***&***", ObjectStore.redact("http://u:p@h:9000/b?x=1&y"));
        // the same check for AWS Batch's endpoint, which went to the SDK unchecked
        SiftException batch = assertThrows(SiftException.class, () -> dev.sift.store.UrlRedaction.endpointUri(
                "SIFT_BATCH_ENDPOINT", "http://u:p ss@h"));
        assertEquals("SIFT_BATCH_ENDPOINT 'http://***@h' is not a URL (Illegal character in authority at index 7): it "
                + "needs http:// or https:// and a host, e.g. http://127.0.0.1:9000", batch.getMessage());
    }
}
