package org.gridgov.notify;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Backoff, how HTTP answers are read, signatures and the addresses intake accepts. */
class DeliveryRulesTest {

    @Test
    void backoffDoublesUpToItsCapAndEnds() {
        Backoff b = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5), 6);
        assertEquals(Duration.ofSeconds(10), b.delay(1));
        assertEquals(Duration.ofSeconds(20), b.delay(2));
        assertEquals(Duration.ofSeconds(160), b.delay(5));
        assertEquals(Duration.ofMinutes(5), b.delay(6));
        assertEquals(Duration.ofMinutes(5), b.delay(1000), "no overflow far out");
        assertFalse(b.exhausted(5));
        assertTrue(b.exhausted(6));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(5), 3));
        assertThrows(
                IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(5), 3));
    }

    @Test
    void httpAnswersAreAcceptedRetriedOrRefused() {
        assertInstanceOf(Delivery.Accepted.class, HttpDelivery.classify(200, ""));
        assertInstanceOf(Delivery.Accepted.class, HttpDelivery.classify(202, ""));
        for (int s : new int[] {408, 425, 429, 500, 502, 503})
            assertInstanceOf(Delivery.Retry.class, HttpDelivery.classify(s, ""), "" + s);
        for (int s : new int[] {301, 400, 401, 403, 404, 409, 422})
            assertInstanceOf(Delivery.Failed.class, HttpDelivery.classify(s, "no"), "" + s);
        assertEquals(
                "HTTP 400: bad phone",
                ((Delivery.Failed) HttpDelivery.classify(400, "bad phone")).reason());
    }

    @Test
    void aSignatureCoversTimestampAndBody() {
        String sig = Signature.sign("s3cret", 1700000000L, "{\"a\":1}");
        // HMAC-SHA256("s3cret", "1700000000.{\"a\":1}"), as `openssl dgst -sha256 -hmac` gives it
        assertTrue(sig.matches("sha256=[0-9a-f]{64}"), sig);
        assertTrue(Signature.verify("s3cret", 1700000000L, "{\"a\":1}", sig));
        assertFalse(Signature.verify("s3cret", 1700000001L, "{\"a\":1}", sig), "other time");
        assertFalse(Signature.verify("s3cret", 1700000000L, "{\"a\":2}", sig), "other body");
        assertFalse(Signature.verify("other", 1700000000L, "{\"a\":1}", sig), "other secret");
        assertFalse(Signature.verify("s3cret", 1700000000L, "{\"a\":1}", null));
    }

    @Test
    void plainAddressesOnly() {
        for (String ok : new String[] {"wang@example.org", "li.na+case@mail.gov.cn", "a@b.cn"})
            assertTrue(EmailAddress.valid(ok), ok);
        for (String bad :
                new String[] {
                    "",
                    "wang",
                    "wang@",
                    "@example.org",
                    "wang@example",
                    "wang @example.org",
                    "wang@example.org\r\nBcc: x@y.org",
                    "<wang@example.org>",
                    "wang@-x.org",
                    "a".repeat(65) + "@example.org"
                }) assertFalse(EmailAddress.valid(bad), bad);
    }

    @Test
    void webhookAddressesAreAbsoluteHttpWithoutCredentials() {
        NotifyRoutes.checkUrl("https://hooks.example.org/gridgov?x=1");
        NotifyRoutes.checkUrl("http://10.0.0.5:8080/in");
        for (String bad :
                new String[] {
                    "ftp://x.org/",
                    "/relative",
                    "https://",
                    "https://u:p@x.org/",
                    "x.org",
                    "https://x.org/#frag",
                    "https://x.org/ a"
                })
            assertThrows(
                    org.gridgov.api.ProblemException.class, () -> NotifyRoutes.checkUrl(bad), bad);
    }
}
