package org.gridgov.db;

/** Where the database is. user/password may be null when the URL carries them. */
public record DbSettings(String url, String user, String password, int poolSize) {
}
