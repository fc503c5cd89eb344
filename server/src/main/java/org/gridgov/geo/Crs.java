package org.gridgov.geo;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
     * capabilities list them, for a deployment whose planar CRS is planarSrid
     * (GRIDGOV_PLANAR_SRID). The one list: add a CRS here and every surface offers it.
     */
    public static List<Integer> offered(int planarSrid) {
        return Stream.of(WGS84, CGCS2000, WEB_MERCATOR, planarSrid).distinct().toList();
    }

    /** offered(planarSrid) as "EPSG:4326" … joined by sep. */
    public static String offered(int planarSrid, String sep) {
        return offered(planarSrid).stream().map(c -> "EPSG:" + c).collect(Collectors.joining(sep));
    }

    /**
     * Whether the EPSG axis order of a CRS puts north first: latitude for the geographic CRSs,
     * northing for CGCS2000's Gauss-Kruger CRSs (EPSG:4491-4554, all on the northing-easting
     * coordinate system 4530). Other projected CRSs (Web Mercator, UTM) are easting first.
     */
    public static boolean northFirst(int srid) {
        return srid == WGS84 || srid == CGCS2000 || (srid >= 4491 && srid <= 4554);
    }

    private Crs() {}
}
