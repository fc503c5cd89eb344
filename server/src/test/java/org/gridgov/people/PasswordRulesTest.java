package org.gridgov.people;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules every new password must pass (docs/access.md, "Passwords"). */
class PasswordRulesTest {

    static List<String> broken(String username, String password) {
        return PasswordRules.check(username, password).stream()
                .map(PasswordRules.Violation::rule)
                .toList();
    }

    @Test
    void aLongUncommonPasswordWithoutTheUsernamePasses() {
        assertEquals(List.of(), broken("li.wei", "violet-harbour-lantern-42"));
        assertEquals(List.of(), broken("li.wei", "abcdefghijk\u00e9")); // 12 characters
    }

    @Test
    void fewerThanTwelveCharactersIsRefused() {
        assertEquals(List.of("min-length"), broken("li.wei", "x7$kQ9!mZ2a"));
        // counted in characters, not UTF-16 units: 11 emoji are 22 units but 11 characters
        assertEquals(List.of("min-length"), broken("li.wei", "\uD83D\uDE00".repeat(11)));
    }

    @Test
    void commonPasswordsAreRefusedWhateverTheCaseAndTrailingDigits() {
        assertTrue(PasswordRules.listSize() > 1900, "the list is loaded");
        assertEquals(List.of("min-length", "common-password"), broken("li.wei", "password"));
        assertEquals(List.of("common-password"), broken("li.wei", "Password2026!"));
        assertEquals(List.of("common-password"), broken("li.wei", "SUNSHINE12345678"));
        assertEquals(List.of("common-password"), broken("li.wei", "qwerty123456"));
        // a common word inside a longer passphrase is not the common password
        assertEquals(List.of(), broken("li.wei", "password of the harbour"));
    }

    @Test
    void thePasswordMayNotContainTheUsername() {
        assertEquals(List.of("contains-username"), broken("li.wei", "my-LI.WEI-is-long"));
        assertEquals(List.of("contains-username"), broken("planner7", "Planner7Planner7"));
    }

    @Test
    void everyBrokenRuleIsNamed() {
        assertEquals(
                List.of("min-length", "common-password", "contains-username"),
                broken("dragon", "Dragon1"));
    }
}
