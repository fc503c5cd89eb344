package org.gridgov.ogc.heatmap;

/**
 * The picture a heatmap GetMap asks for, validated: the box in the map CRS as east/north minima and
 * maxima (whatever the CRS's axis order), its size in pixels, the incidents it counts and how it is
 * encoded.
 *
 * @param crs EPSG code of the map, or 84 for CRS:84
 * @param background 0xRRGGBB under a picture that is not transparent
 */
public record HeatmapView(
        double minEast,
        double minNorth,
        double maxEast,
        double maxNorth,
        int width,
        int height,
        int crs,
        HeatmapFilter filter,
        boolean png,
        boolean transparent,
        int background) {}
