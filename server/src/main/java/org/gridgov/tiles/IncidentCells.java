package org.gridgov.tiles;

import java.util.ArrayList;
import java.util.Arrays;
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
    private final int[][] categories = new int[CELLS * CELLS][];
    private final int[][] statuses = new int[CELLS * CELLS][];
    private final int[][] platforms = new int[CELLS * CELLS][];

    IncidentCells(int z, int x, int y) {
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
        categories[cell] = bump(categories[cell], category);
        statuses[cell] = bump(statuses[cell], status);
        platforms[cell] = bump(platforms[cell], platform);
    }

    private static int clamp(int i) {
        return Math.max(0, Math.min(CELLS - 1, i));
    }

    private static int[] bump(int[] counts, int index) {
        if (index < 0) return counts;
        if (counts == null) counts = new int[Math.max(8, index + 1)];
        else if (index >= counts.length) counts = Arrays.copyOf(counts, index + 1);
        counts[index]++;
        return counts;
    }

    private static int most(int[] counts) {
        if (counts == null) return -1;
        int best = -1;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0 && (best < 0 || counts[i] > counts[best])) best = i;
        }
        return best;
    }

    /** The occupied cells, by id. */
    List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (int cell = 0; cell < count.length; cell++) {
            if (count[cell] == 0) continue;
            out.add(
                    new Cell(
                            cell + 1,
                            cell % CELLS,
                            cell / CELLS,
                            count[cell],
                            most(categories[cell]),
                            most(statuses[cell]),
                            most(platforms[cell])));
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
