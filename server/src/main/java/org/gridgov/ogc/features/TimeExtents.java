package org.gridgov.ogc.features;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.catalog.TimeExtent;

/**
 * The first time of each time dimension in the catalog (the earliest {@code reported_at} for the
 * incidents and the heatmap), read by {@link #refresh()} off the event loop and kept, so a WMS
 * request checks its TIME against the extent without a query.
 */
public final class TimeExtents {

    private final DataSource ds;
    private final LayerCatalog catalog;
    private final Map<Layer.TimeDimension, Instant> first = new ConcurrentHashMap<>();

    public TimeExtents(DataSource ds, LayerCatalog catalog) {
        this.ds = ds;
        this.catalog = catalog;
    }

    /** Reads every dimension's first time again (an index scan each). Blocking. */
    public void refresh() throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (Layer l : catalog.all()) {
                Layer.TimeDimension d = l.time();
                if (d == null) continue;
                // names checked by the catalog ([a-z][a-z0-9_]*)
                try (PreparedStatement ps =
                                c.prepareStatement(
                                        "SELECT min(" + d.column() + ") FROM " + d.table());
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Timestamp t = rs.getTimestamp(1);
                    if (t != null) first.put(d, t.toInstant());
                    else first.remove(d);
                }
            }
        }
    }

    /** The layer's time extent now (its first time unknown until the first refresh). */
    public TimeExtent of(Layer l) {
        return new TimeExtent(l.time() == null ? null : first.get(l.time()), Instant.now());
    }
}
