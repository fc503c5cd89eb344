package org.gridgov.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    @Test
    void forwardedForIsReadOnlyFromTrustedProxies() {
        ClientAddress none = ClientAddress.trusting(null);
        assertEquals(
                "203.0.113.9",
                none.client("203.0.113.9", "1.2.3.4"),
                "no proxy trusted: the peer is the client");
        ClientAddress lb = ClientAddress.trusting("10.0.0.0/8, 127.0.0.1");
        assertEquals("198.51.100.7", lb.client("10.1.2.3", "198.51.100.7"));
        // a client's own X-Forwarded-For entries left of the proxies' are not believed
        assertEquals("198.51.100.7", lb.client("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.9.9.9"));
        assertEquals(
                "203.0.113.9",
                lb.client("203.0.113.9", "10.0.0.1"),
                "an untrusted peer cannot claim to be anyone");
        assertTrue(lb.isTrusted("10.255.0.1"));
        assertFalse(lb.isTrusted("11.0.0.1"));
        assertFalse(lb.isTrusted("evil.example"), "names are never looked up");
    }

    @Test
    void aBadSettingSaysWhichPart() {
        var e =
                assertThrows(
                        IllegalStateException.class,
                        () -> ClientAddress.trusting("10.0.0.0/8, nonsense/99"));
        assertTrue(e.getMessage().contains("nonsense/99"), e.getMessage());
    }
}
