package org.gridgov.people;

import static org.junit.jupiter.api.Assertions.*;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tokens verified once are answered from memory until their exp, and never past it. */
class TokensTest {

    static Vertx vertx;
    static final String SECRET = "a-secret-of-at-least-thirty-two-bytes-for-hs256";

    @BeforeAll
    static void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void tearDown() {
        vertx.close();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Principal operator() {
        return new Principal(41, "op", EnumSet.of(Role.CENTRE_OPERATOR), Scope.SUBDISTRICT);
    }

    @Test
    void aVerifiedTokenIsAnsweredFromMemoryUntilItsExpiry() throws Exception {
        AtomicLong now = new AtomicLong(System.currentTimeMillis() / 1000);
        Tokens tokens = new Tokens(vertx, SECRET, 600, now::get);
        String token = tokens.issue(operator(), 3);
        JsonObject first = await(tokens.verify(token));
        assertEquals("op", first.getString("username"));
        assertSame(first, await(tokens.verify(token)), "the second request is not decoded again");
        now.set(first.getLong("exp"));
        Exception e = assertThrows(Exception.class, () -> await(tokens.verify(token)));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void anAlteredTokenIsCheckedAndRefusedEvenAfterItsOriginalWasVerified() throws Exception {
        Tokens tokens = new Tokens(vertx, SECRET, 600);
        String token = tokens.issue(operator(), 3);
        await(tokens.verify(token));
        String[] parts = token.split("\\.");
        String forged =
                parts[0]
                        + "."
                        + parts[1]
                        + "."
                        + (parts[2].charAt(0) == 'A' ? 'B' : 'A')
                        + parts[2].substring(1);
        assertThrows(Exception.class, () -> await(tokens.verify(forged)));
        Tokens other = new Tokens(vertx, SECRET.replace('a', 'b'), 600);
        assertThrows(
                Exception.class,
                () -> await(other.verify(token)),
                "another secret's instance does not trust it");
    }
}
