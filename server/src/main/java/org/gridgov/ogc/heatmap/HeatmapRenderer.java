package org.gridgov.ogc.heatmap;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import org.gridgov.analytics.CellCounts;
import org.gridgov.analytics.Cells;
import org.gridgov.analytics.IncidentPoints;
import org.gridgov.analytics.PointFilter;
import org.gridgov.category.Platforms;
import org.gridgov.ogc.catalog.Style;

/**
 * Renders the {@code heatmap} WMS layer in gridgov from the in-memory incident points: filter, bin
 * into pixels, Gaussian kernel, normalise to the densest pixel (as MapServer's
 * KERNELDENSITY_NORMALIZATION=AUTO), colour with the style's ramp. Advertised by the same
 * capabilities as the MapServer layer of that name (the gateway routes GetMap here); tens of
 * milliseconds where MapServer 8.0.0's kernel density over PostGIS takes seconds.
 */
public final class HeatmapRenderer {

    private static final double R = 6378137.0;
    private final IncidentPoints points;
    private final DataSource ds;
    private final int planarSrid;
    private final int[] ramp = new int[256]; // ARGB per density 0..255
    private final float[] kernel;

    /** planarSrid: the deployment's planar CRS (GRIDGOV_PLANAR_SRID), one of the offered ones. */
    public HeatmapRenderer(IncidentPoints points, DataSource ds, int planarSrid, Style style) {
        this.points = points;
        this.ds = ds;
        this.planarSrid = planarSrid;
        List<Style.RampStop> stops = style.ramp();
        for (int v = 0; v < 256; v++) {
            Style.RampStop lo = stops.get(0), hi = stops.get(stops.size() - 1);
            for (int k = 0; k + 1 < stops.size(); k++) {
                if (v >= stops.get(k).value() && v <= stops.get(k + 1).value()) {
                    lo = stops.get(k);
                    hi = stops.get(k + 1);
                    break;
                }
            }
            double t =
                    hi.value() == lo.value()
                            ? 0
                            : (v - lo.value()) / (double) (hi.value() - lo.value());
            ramp[v] = mix(argb(lo.color()), argb(hi.color()), t);
        }
        int r = HeatmapFilter.RADIUS_PX;
        kernel = new float[2 * r + 1];
        double sigma = r / 2.0;
        for (int k = -r; k <= r; k++)
            kernel[k + r] = (float) Math.exp(-(k * k) / (2 * sigma * sigma));
    }

    /**
     * Edge of the cells a public heatmap counts in, metres (as the public analytics,
     * docs/analytics.md).
     */
    static final double PUBLIC_CELL_M = 100;

    /** A public heatmap leaves out cells holding fewer incidents than this. */
    static final int PUBLIC_MIN_COUNT = 3;

    /** The picture for a validated GetMap naming only the heatmap, at full resolution. */
    public byte[] render(HeatmapView v) throws SQLException, IOException {
        return render(v, false, 0);
    }

    /**
     * The picture; coarse (callers without credentials): incidents counted in 100 m cells, cells
     * under three left out, each drawn at its cell's centre, so no warm spot marks one case. Only
     * the incidents of subdistrict {@code subdistrictId} (0: all), the isolation rule.
     */
    public byte[] render(HeatmapView view, boolean coarse, long subdistrictId)
            throws SQLException, IOException {
        int w = view.width(), h = view.height();
        Projector proj = projector(view);
        float[] grid =
                coarse
                        ? coarseDensity(proj, view.filter(), subdistrictId, w, h)
                        : density(proj, view.filter(), subdistrictId, w, h);
        blur(grid, w, h);
        float max = 0;
        for (float v : grid) max = Math.max(max, v);
        boolean transparent = view.transparent();
        int bg = view.background();
        boolean png = view.png();
        byte[] rgba = new byte[w * h * 4];
        for (int i = 0; i < w * h; i++) {
            int level = max <= 0 ? 0 : Math.min(255, (int) (grid[i] / max * 255));
            int c = ramp[level];
            int a = c >>> 24;
            int rr = (c >> 16) & 0xff, gg = (c >> 8) & 0xff, bb = c & 0xff;
            if (!transparent || !png) { // composite onto the background
                rr = (rr * a + ((bg >> 16) & 0xff) * (255 - a)) / 255;
                gg = (gg * a + ((bg >> 8) & 0xff) * (255 - a)) / 255;
                bb = (bb * a + (bg & 0xff) * (255 - a)) / 255;
                a = 255;
            }
            rgba[i * 4] = (byte) rr;
            rgba[i * 4 + 1] = (byte) gg;
            rgba[i * 4 + 2] = (byte) bb;
            rgba[i * 4 + 3] = (byte) a;
        }
        if (png) return PngEncoder.rgba(w, h, rgba);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < w * h; i++) {
            img.setRGB(
                    i % w,
                    i / w,
                    ((rgba[i * 4] & 0xff) << 16)
                            | ((rgba[i * 4 + 1] & 0xff) << 8)
                            | (rgba[i * 4 + 2] & 0xff));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", out);
        return out.toByteArray();
    }

    /**
     * Pixel counts of the filtered points in view (plus a kernel's margin outside), from the
     * server's in-memory incident points (docs/analytics.md): current to the last committed change.
     */
    private float[] density(Projector p, HeatmapFilter f, long sid, int w, int h) {
        int margin = HeatmapFilter.RADIUS_PX;
        float[] grid = new float[w * h];
        PointFilter filter = filter(p, f, sid);
        if (filter == null) return grid; // no incident has the category
        double[] px = new double[2];
        points.scanLonLat(
                filter,
                (lon, lat) -> {
                    p.toPixel(lon, lat, px);
                    int ix = (int) Math.floor(px[0]), iy = (int) Math.floor(px[1]);
                    if (ix < -margin || iy < -margin || ix >= w + margin || iy >= h + margin)
                        return;
                    // Points just outside still warm the border (MapServer's COMPUTE_BORDERS=ON):
                    // clamp in.
                    ix = Math.max(0, Math.min(w - 1, ix));
                    iy = Math.max(0, Math.min(h - 1, iy));
                    grid[iy * w + ix] += 1;
                });
        return grid;
    }

    /**
     * Counts per 100 m cell (a fixed lon/lat grid: the metres per degree of longitude are taken at
     * the whole degree of latitude, so the cells do not move with the view), cells under three
     * dropped, each cell's count put on the pixel of its centre.
     */
    private float[] coarseDensity(Projector p, HeatmapFilter f, long sid, int w, int h) {
        int margin = HeatmapFilter.RADIUS_PX;
        float[] grid = new float[w * h];
        PointFilter filter = filter(p, f, sid);
        if (filter == null) return grid;
        double[] b = p.lonLatBounds(margin);
        double dLat = PUBLIC_CELL_M / 111_320.0;
        double dLon =
                PUBLIC_CELL_M
                        / (111_320.0 * Math.cos(Math.toRadians(Math.floor((b[1] + b[3]) / 2))));
        // primitive counts (a boxed map entry per incident cost 150 ns: 3 s for 20M incidents)
        CellCounts cells = new CellCounts();
        points.scanLonLat(
                filter,
                (lon, lat) -> {
                    cells.add(
                            Cells.pack((int) Math.floor(lon / dLon), (int) Math.floor(lat / dLat)));
                });
        double[] px = new double[2];
        for (long key : cells.sortedKeys()) {
            int n = cells.get(key);
            if (n < PUBLIC_MIN_COUNT) continue;
            addCell(p, grid, w, h, (Cells.i(key) + 0.5) * dLon, (Cells.j(key) + 0.5) * dLat, n, px);
        }
        return grid;
    }

    /** A public cell's count on the pixel of its centre (clamped in from the kernel's margin). */
    private static void addCell(
            Projector p, float[] grid, int w, int h, double lon, double lat, int n, double[] px) {
        int margin = HeatmapFilter.RADIUS_PX;
        p.toPixel(lon, lat, px);
        int ix = (int) Math.floor(px[0]), iy = (int) Math.floor(px[1]);
        if (ix < -margin || iy < -margin || ix >= w + margin || iy >= h + margin) return;
        ix = Math.max(0, Math.min(w - 1, ix));
        iy = Math.max(0, Math.min(h - 1, iy));
        grid[iy * w + ix] += n;
    }

    /**
     * The points' filter for the view (with a kernel's margin), or null when the category has no
     * incident.
     */
    private PointFilter filter(Projector p, HeatmapFilter f, long sid) {
        double[] b = p.lonLatBounds(HeatmapFilter.RADIUS_PX);
        long fromS = f.fromEpochSecond(), toS = f.toEpochSecond();
        int fromMin = fromS == Long.MIN_VALUE ? Integer.MIN_VALUE : (int) Math.floorDiv(fromS, 60L);
        int toMin = toS == Long.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.floorDiv(toS, 60L);
        int category = f.category() == null ? -1 : points.categoryIndex(f.category());
        if (f.category() != null && category < 0) return null;
        return new PointFilter(
                fromMin,
                toMin,
                category,
                f.platform() == null ? -1 : Platforms.CODES.indexOf(f.platform()),
                0,
                0,
                b[0],
                b[1],
                b[2],
                b[3],
                true,
                sid);
    }

    /** Separable Gaussian. */
    private void blur(float[] g, int w, int h) {
        int r = HeatmapFilter.RADIUS_PX;
        float[] tmp = new float[g.length];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                float v = g[row + x];
                if (v == 0) continue;
                int lo = Math.max(0, x - r), hi = Math.min(w - 1, x + r);
                for (int k = lo; k <= hi; k++) tmp[row + k] += v * kernel[k - x + r];
            }
        }
        java.util.Arrays.fill(g, 0);
        // Vertical pass row by row (sequential memory): each source row adds into 2r+1 target rows.
        for (int y = 0; y < h; y++) {
            int src = y * w;
            int lo = Math.max(0, y - r), hi = Math.min(h - 1, y + r);
            for (int k = lo; k <= hi; k++) {
                float wk = kernel[k - y + r];
                int dst = k * w;
                for (int x = 0; x < w; x++) g[dst + x] += tmp[src + x] * wk;
            }
        }
    }

    /** Longitude/latitude → pixel for the request's CRS and box. */
    interface Projector {
        void toPixel(double lon, double lat, double[] out);

        /** minLon, minLat, maxLon, maxLat of the map, widened by margin pixels. */
        double[] lonLatBounds(int marginPx);
    }

    private Projector projector(HeatmapView b) throws SQLException {
        int w = b.width(), h = b.height();
        double sx = w / (b.maxEast() - b.minEast()), sy = h / (b.maxNorth() - b.minNorth());
        if (b.crs() == 3857) return mercator(b, w, h, sx, sy);
        if (b.crs() == planarSrid) return affine(b, w, h);
        return new Projector() { // geographic: 4326, 4490 (within centimetres of it), CRS:84
            public void toPixel(double lon, double lat, double[] out) {
                out[0] = (lon - b.minEast()) * sx;
                out[1] = (b.maxNorth() - lat) * sy;
            }

            public double[] lonLatBounds(int m) {
                return new double[] {
                    b.minEast() - m / sx,
                    b.minNorth() - m / sy,
                    b.maxEast() + m / sx,
                    b.maxNorth() + m / sy
                };
            }
        };
    }

    /**
     * Web Mercator. Its northing needs a logarithm of a tangent per point, which over a million
     * points costs more than the rest of the map; the view's rows are sampled once instead (4,096
     * steps across the view's latitudes, linearly interpolated: far below a pixel).
     */
    private static Projector mercator(HeatmapView b, int w, int h, double sx, double sy) {
        int margin = HeatmapFilter.RADIUS_PX;
        double mx = margin / sx, my = margin / sy;
        double[] bounds = {
            Math.toDegrees((b.minEast() - mx) / R),
            Math.toDegrees(Math.atan(Math.sinh((b.minNorth() - my) / R))),
            Math.toDegrees((b.maxEast() + mx) / R),
            Math.toDegrees(Math.atan(Math.sinh((b.maxNorth() + my) / R)))
        };
        int steps = 4096;
        double lat0 = bounds[1], step = (bounds[3] - bounds[1]) / steps;
        double[] rows = new double[steps + 1];
        for (int k = 0; k <= steps; k++) {
            rows[k] =
                    (b.maxNorth()
                                    - R
                                            * Math.log(
                                                    Math.tan(
                                                            Math.PI / 4
                                                                    + Math.toRadians(
                                                                                    lat0 + k * step)
                                                                            / 2)))
                            * sy;
        }
        return new Projector() {
            public void toPixel(double lon, double lat, double[] out) {
                out[0] = (R * Math.toRadians(lon) - b.minEast()) * sx;
                double t = (lat - lat0) / step;
                int k = Math.max(0, Math.min(steps - 1, (int) t));
                out[1] = rows[k] + (rows[k + 1] - rows[k]) * (t - k);
            }

            public double[] lonLatBounds(int m) {
                return bounds;
            }
        };
    }

    /**
     * Projected CRSs other than Web Mercator (the planar one): PostGIS transforms three corners;
     * within a subdistrict-sized map an affine fit is exact to well under a pixel.
     */
    private Projector affine(HeatmapView b, int w, int h) throws SQLException {
        double[][] c = new double[3][2];
        try (Connection conn = ds.getConnection();
                PreparedStatement ps =
                        conn.prepareStatement(
                                """
                SELECT ST_X(p), ST_Y(p) FROM (VALUES (1, ?::float8, ?::float8), (2, ?, ?), (3, ?, ?)) v(k, x, y),
                       LATERAL ST_Transform(ST_SetSRID(ST_MakePoint(v.x, v.y), ?::int), 4326) p ORDER BY v.k""")) {
            double[] xy = {
                b.minEast(), b.minNorth(), b.maxEast(), b.minNorth(), b.minEast(), b.maxNorth()
            };
            for (int i = 0; i < 6; i++) ps.setDouble(i + 1, xy[i]);
            ps.setInt(7, planarSrid);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    c[i][0] = rs.getDouble(1);
                    c[i][1] = rs.getDouble(2);
                }
            }
        }
        // lonlat = c0 + u*(c1-c0) + v*(c2-c0), u,v in [0,1] across the map (v up): invert the 2x2.
        double ax = c[1][0] - c[0][0],
                ay = c[1][1] - c[0][1],
                bx = c[2][0] - c[0][0],
                by = c[2][1] - c[0][1];
        double det = ax * by - bx * ay;
        return new Projector() {
            public void toPixel(double lon, double lat, double[] out) {
                double dx = lon - c[0][0], dy = lat - c[0][1];
                double u = (dx * by - bx * dy) / det, v = (ax * dy - dx * ay) / det;
                out[0] = u * w;
                out[1] = (1 - v) * h;
            }

            public double[] lonLatBounds(int m) {
                double minX = Math.min(Math.min(c[0][0], c[1][0]), c[2][0]),
                        maxX = Math.max(Math.max(c[0][0], c[1][0]), c[2][0] + ax);
                double minY = Math.min(Math.min(c[0][1], c[1][1]), c[2][1]),
                        maxY = Math.max(Math.max(c[0][1], c[1][1]), c[2][1] + ay);
                double mx = (maxX - minX) * m / w, my = (maxY - minY) * m / h;
                return new double[] {minX - mx, minY - my, maxX + mx, maxY + my};
            }
        };
    }

    private static int argb(String hex) {
        long v = Long.parseLong(hex.substring(1), 16);
        if (hex.length() == 7) return (int) (0xff000000L | v);
        return (int) (((v & 0xff) << 24) | (v >>> 8));
    }

    private static int mix(int a, int b, double t) {
        int out = 0;
        for (int s = 0; s < 32; s += 8) {
            int ca = (a >>> s) & 0xff, cb = (b >>> s) & 0xff;
            out |= ((int) Math.round(ca + (cb - ca) * t) & 0xff) << s;
        }
        return out;
    }
}
