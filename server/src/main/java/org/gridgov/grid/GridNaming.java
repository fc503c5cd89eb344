package org.gridgov.grid;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridgov.rebalance.GridInfo;
import org.gridgov.rebalance.PlanLayout;

/**
 * Codes and names for new grids: community code + the next free 3-digit number, "<community>第N网格".
 */
public final class GridNaming {

    private GridNaming() {}

    /** Gives every grid of the layout that has no code a code (and no name a name). */
    public static void fillNew(Connection c, PlanLayout layout) throws SQLException {
        Set<String> used = new HashSet<>();
        for (GridInfo g : layout.grids) if (g.code() != null) used.add(g.code());
        List<GridInfo> grids = layout.grids;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT code, name FROM community WHERE id = ?")) {
            for (int i = 0; i < grids.size(); i++) {
                GridInfo g = grids.get(i);
                if (g.code() != null && g.name() != null) continue;
                ps.setLong(1, g.communityId());
                String cc, cn;
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next())
                        throw new SQLException("community " + g.communityId() + " does not exist");
                    cc = rs.getString(1);
                    cn = rs.getString(2);
                }
                String code = g.code();
                int seq = 0;
                if (code == null) {
                    do {
                        seq++;
                        code = cc + String.format("%03d", seq);
                    } while (used.contains(code) && seq < 999);
                    used.add(code);
                } else {
                    seq = Integer.parseInt(code.substring(code.length() - 3));
                }
                String name = g.name() != null ? g.name() : cn + "第" + seq + "网格";
                grids.set(
                        i,
                        new GridInfo(
                                g.id(),
                                code,
                                name,
                                g.communityId(),
                                g.kind(),
                                g.workerId(),
                                g.backupWorkerId()));
            }
        }
    }
}
