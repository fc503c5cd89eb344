package org.gridgov.geo;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The coordinate reference systems gridgov uses (docs/data-model.md). */
public final class Crs {
    /** Storage: WGS84 longitude/latitude. */
    public static final int WGS84 = 4326;

    /** CGCS2000 geographic, offered to clients. */
    public static final int CGCS2000 = 4490;

    /** Planar metres for the demo area: CGCS2000 / 3-degree Gauss-Kruger CM 120E. */
    public static final int PLANAR_DEFAULT = 4549;

    /** Web Mercator, the web maps' CRS. */
    public static final int WEB_MERCATOR = 3857;

    /**
     * The CRSs gridgov takes and gives — OGC services, plan export, imports — in the order
     * capabilities list them. The one list: add a CRS here and every surface offers it.
     */
    public static final List<Integer> OFFERED =
            List.of(WGS84, CGCS2000, WEB_MERCATOR, PLANAR_DEFAULT);

    /**
     * Those of OFFERED whose EPSG axis order puts north first (latitude; northing for the
     * Gauss-Kruger CRS).
     */
    public static final Set<Integer> NORTH_FIRST = Set.of(WGS84, CGCS2000, PLANAR_DEFAULT);

    /** OFFERED as "EPSG:4326" … joined by sep. */
    public static String offered(String sep) {
        return OFFERED.stream().map(c -> "EPSG:" + c).collect(Collectors.joining(sep));
    }

    private Crs() {}
}
