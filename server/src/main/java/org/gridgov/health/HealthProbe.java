package org.gridgov.health;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;

/** Whether the database answers a trivial query within two seconds. */
public final class HealthProbe {

    private final DataSource ds;

    public HealthProbe(DataSource ds) {
        this.ds = ds;
    }

    /** Blocks (a worker thread's call): true when SELECT 1 answered. */
    public boolean databaseUp() {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.setQueryTimeout(2);
            st.execute("SELECT 1");
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
