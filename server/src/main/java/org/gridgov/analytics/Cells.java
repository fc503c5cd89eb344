package org.gridgov.analytics;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;

/**
 * A tessellation of the planar CRS into squares or hexagons of a given size, fixed to the CRS
 * origin so a cell means the same place in every query. A cell is named by a long key.
 *
 * <p>Squares: {@code size} is the side. Hexagons are pointy-top with {@code size} the distance
 * between opposite sides (the "width" as map readers measure it); axial coordinates (q, r) with
 * cube rounding as in Red Blob Games' hexagon guide.
 */
public final class Cells {

    public enum Shape {
        SQUARE,
        HEX
    }

    private static final GeometryFactory GF = new GeometryFactory();
    private static final double SQRT3 = Math.sqrt(3);

    private final Shape shape;
    private final double size;
    private final double radius; // hexagon circumradius

    public Cells(Shape shape, double size) {
        this.shape = shape;
        this.size = size;
        this.radius = size / SQRT3;
    }

    public Shape shape() {
        return shape;
    }

    public double size() {
        return size;
    }

    /** The area of one cell in m². */
    public double cellArea() {
        return shape == Shape.SQUARE ? size * size : 1.5 * SQRT3 * radius * radius;
    }

    public long key(double x, double y) {
        if (shape == Shape.SQUARE)
            return pack((int) Math.floor(x / size), (int) Math.floor(y / size));
        double q = (SQRT3 / 3 * x - y / 3) / radius;
        double r = (2.0 / 3 * y) / radius;
        double s = -q - r;
        long rq = Math.round(q), rr = Math.round(r), rs = Math.round(s);
        double dq = Math.abs(rq - q), dr = Math.abs(rr - r), ds = Math.abs(rs - s);
        if (dq > dr && dq > ds) rq = -rr - rs;
        else if (dr > ds) rr = -rq - rs;
        return pack((int) rq, (int) rr);
    }

    public static long pack(int i, int j) {
        return ((long) i << 32) | (j & 0xffffffffL);
    }

    public static int i(long key) {
        return (int) (key >> 32);
    }

    public static int j(long key) {
        return (int) key;
    }

    public double[] centre(long key) {
        int i = i(key), j = j(key);
        if (shape == Shape.SQUARE) return new double[] {(i + 0.5) * size, (j + 0.5) * size};
        return new double[] {radius * SQRT3 * (i + j / 2.0), radius * 1.5 * j};
    }

    public Polygon polygon(long key) {
        double[] c = centre(key);
        Coordinate[] ring;
        if (shape == Shape.SQUARE) {
            double h = size / 2;
            ring =
                    new Coordinate[] {
                        new Coordinate(c[0] - h, c[1] - h),
                        new Coordinate(c[0] + h, c[1] - h),
                        new Coordinate(c[0] + h, c[1] + h),
                        new Coordinate(c[0] - h, c[1] + h),
                        new Coordinate(c[0] - h, c[1] - h)
                    };
        } else {
            ring = new Coordinate[7];
            for (int k = 0; k < 6; k++) {
                double a = Math.toRadians(60 * k - 30);
                ring[k] = new Coordinate(c[0] + radius * Math.cos(a), c[1] + radius * Math.sin(a));
            }
            ring[6] = ring[0];
        }
        return GF.createPolygon(ring);
    }
}
