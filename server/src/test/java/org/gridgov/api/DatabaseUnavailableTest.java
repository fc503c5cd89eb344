package org.gridgov.api;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which database failures answer 503 database-unavailable (clients retry) rather than 500. */
class DatabaseUnavailableTest {

    @Test
    void aWriteOnADemotedPrimaryIsUnavailableNotAnError() {
        // scripts/cluster: until HAProxy cuts the sessions of a node that stopped being primary
        assertTrue(
                ApiRouter.databaseUnavailable(
                        new RuntimeException(
                                new SQLException(
                                        "cannot execute INSERT in a read-only transaction",
                                        "25006"))));
    }

    @Test
    void connectionFailuresAndShutdownsAreUnavailable() {
        assertTrue(ApiRouter.databaseUnavailable(new SQLException("refused", "08001")));
        assertTrue(ApiRouter.databaseUnavailable(new SQLException("admin shutdown", "57P01")));
        assertFalse(ApiRouter.databaseUnavailable(new SQLException("unique", "23505")));
        assertFalse(ApiRouter.databaseUnavailable(new SQLException("syntax", "42601")));
    }
}
