package org.gridgov.geo;

/** The coordinate reference systems gridgov uses (docs/data-model.md). */
public final class Crs {
    /** Storage: WGS84 longitude/latitude. */
    public static final int WGS84 = 4326;
    /** CGCS2000 geographic, offered to clients. */
    public static final int CGCS2000 = 4490;
    /** Planar metres for the demo area: CGCS2000 / 3-degree Gauss-Kruger CM 120E. */
    public static final int PLANAR_DEFAULT = 4549;

    private Crs() {
    }
}
