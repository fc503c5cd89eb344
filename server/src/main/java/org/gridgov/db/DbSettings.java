package org.gridgov.db;

/**
 * Where the database is and which account to use. user/password may be null when the URL carries
 * them. statementTimeoutMs &gt; 0 bounds every statement on the pool's connections (the server's
 * role; migrations and the demo loader run without one).
 */
public record DbSettings(
        String url, String user, String password, int poolSize, int statementTimeoutMs) {

    public DbSettings(String url, String user, String password, int poolSize) {
        this(url, user, password, poolSize, 0);
    }

    /** The same server and database as another account. */
    public DbSettings as(String user, String password) {
        return new DbSettings(url, user, password, poolSize, 0);
    }

    public DbSettings withStatementTimeout(int ms) {
        return new DbSettings(url, user, password, poolSize, ms);
    }

    @Override
    public String toString() { // never the password in a log line
        return "DbSettings["
                + url
                + ", user="
                + user
                + ", pool="
                + poolSize
                + ", statementTimeoutMs="
                + statementTimeoutMs
                + "]";
    }
}
