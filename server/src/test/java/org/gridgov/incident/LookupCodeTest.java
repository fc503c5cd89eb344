package org.gridgov.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LookupCodeTest {

    private final LookupCode codes = new LookupCode("a test secret that is at least 32 bytes");

    @Test
    void aCodeIsStableAndReadableAloud() {
        String c = codes.of(1234);
        assertEquals(c, codes.of(1234));
        assertEquals(LookupCode.LENGTH, c.length());
        assertTrue(c.matches("[0-9A-HJKMNP-TV-Z]{8}"), c);
    }

    @Test
    void itMatchesOnlyItsOwnTicketAndForgivesHowItIsTyped() {
        String c = codes.of(77);
        assertTrue(codes.matches(77, c));
        assertTrue(codes.matches(77, c.substring(0, 4).toLowerCase() + "-" + c.substring(4)));
        assertFalse(codes.matches(78, c));
        assertFalse(codes.matches(77, null));
        assertFalse(codes.matches(77, c.substring(1)));
    }

    @Test
    void anotherSecretGivesOtherCodes() {
        LookupCode other = new LookupCode("another secret, also at least 32 bytes");
        assertNotEquals(codes.of(5), other.of(5));
    }

    @Test
    void codesOfNeighbouringTicketsDiffer() {
        Set<String> seen = new HashSet<>();
        for (long t = 1; t <= 10_000; t++) seen.add(codes.of(t));
        assertEquals(10_000, seen.size(), "40-bit codes of 10,000 tickets all differ");
    }

    @Test
    void confusableLettersReadAsDigits() {
        assertEquals("0110AB", LookupCode.normalise("oIl0 a-b"));
    }
}
