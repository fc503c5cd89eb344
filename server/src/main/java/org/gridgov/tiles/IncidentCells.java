package org.gridgov.tiles;

import java.util.ArrayList;
import java.util.List;
import org.gridgov.geo.TileScheme;

/**
 * The incidents of one tile counted per cell: the tile cut into {@link #CELLS} × {@link #CELLS}
 * cells (the SQL path's binning, 64 MVT units each), and in each occupied cell the count and the
 * most frequent category, status and platform (a tie goes to the lower index). Pure: the points
 * come from {@link #add}.
 *
 * <p>A point on the tile's edge counts in the tiles on both sides, as PostGIS's {@code &&} does.
 * Columns are linear in longitude; rows follow Web Mercator through the latitudes of the rows'
 * edges, computed once per tile, so a point costs no logarithm.
 */
final class IncidentCells {

    /** Cells per tile side. */
    static final int CELLS = 64;

    /** MVT units per tile side. */
    static final int EXTENT = 4096;

    /**
     * An occupied cell: id (row × CELLS + column + 1), its column and row from the north-west, the
     * count and the most frequent category, status and platform indexes (-1: none known).
     */
    record Cell(int id, int column, int row, int count, int category, int status, int platform) {}

    final double west, east, north, south;

    /** Latitude of the north edge of each row, and of the south edge of the last (CELLS + 1). */
    private final double[] rowEdge = new double[CELLS + 1];

    private final double columnsPerDegree;
    private final double rowsPerDegree;
    private final int[] count = new int[CELLS * CELLS];

    /**
     * Per occupied cell, one array of counts: categories, then statuses, then platforms (one
     * allocation and one memory region per cell: a tile's points arrive in no spatial order).
     */
    private final int[][] tallies = new int[CELLS * CELLS][];

    private final int categories, statuses, platforms;

    /**
     * A tile's cells, counting the most frequent of up to the given numbers of categories, statuses
     * and platforms (an index beyond is counted in the cell but not in its tallies).
     */
    IncidentCells(int z, int x, int y, int categories, int statuses, int platforms) {
        this.categories = categories;
        this.statuses = statuses;
        this.platforms = platforms;
        west = TileScheme.lon(z, x);
        east = TileScheme.lon(z, x + 1);
        north = TileScheme.lat(z, y);
        south = TileScheme.lat(z, y + 1);
        for (int r = 0; r <= CELLS; r++) rowEdge[r] = TileScheme.lat(z, y + r / (double) CELLS);
        columnsPerDegree = CELLS / (east - west);
        rowsPerDegree = CELLS / (north - south);
    }

    /** Counts one incident (lon/lat inside the tile's bounds, edges included). */
    void add(double lon, double lat, int category, int status, int platform) {
        int c = clamp((int) ((lon - west) * columnsPerDegree));
        // a linear guess, then to the row whose edges hold the latitude
        int r = clamp((int) ((north - lat) * rowsPerDegree));
        while (r > 0 && lat > rowEdge[r]) r--;
        while (r < CELLS - 1 && lat <= rowEdge[r + 1]) r++;
        int cell = r * CELLS + c;
        count[cell]++;
        int[] t = tallies[cell];
        if (t == null) tallies[cell] = t = new int[categories + statuses + platforms];
        if (category >= 0 && category < categories) t[category]++;
        if (status >= 0 && status < statuses) t[categories + status]++;
        if (platform >= 0 && platform < platforms) t[categories + statuses + platform]++;
    }

    private static int clamp(int i) {
        return Math.max(0, Math.min(CELLS - 1, i));
    }

    /** The index (from 0) of the largest count among t[from, from + n); -1 when all are 0. */
    private static int most(int[] t, int from, int n) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (t[from + i] > 0 && (best < 0 || t[from + i] > t[from + best])) best = i;
        }
        return best;
    }

    /** The occupied cells, by id. */
    List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (int cell = 0; cell < count.length; cell++) {
            if (count[cell] == 0) continue;
            int[] t = tallies[cell];
            out.add(
                    new Cell(
                            cell + 1,
                            cell % CELLS,
                            cell / CELLS,
                            count[cell],
                            most(t, 0, categories),
                            most(t, categories, statuses),
                            most(t, categories + statuses, platforms)));
        }
        return out;
    }

    /** Incidents counted. */
    long total() {
        long n = 0;
        for (int c : count) n += c;
        return n;
    }
}
