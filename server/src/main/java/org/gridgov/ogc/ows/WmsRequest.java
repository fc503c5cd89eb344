package org.gridgov.ogc.ows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.TimeInterval;
import org.gridgov.ogc.heatmap.HeatmapFilter;
import org.gridgov.ogc.heatmap.HeatmapView;

/**
 * A validated WMS request (read by {@link WmsRequestReader}).
 *
 * @param mapLayers the layers GetMap and GetFeatureInfo draw, in order
 * @param bbox the map box in the request CRS, axes as the client gave them (null when none)
 * @param crs EPSG code of the map, or 84 for CRS:84
 * @param northFirst WMS 1.3.0 with a geographic (or northing-first) CRS: BBOX lists north first
 * @param heatmap the heatmap's vendor filters (NONE when the heatmap is not drawn)
 * @param jsonFeatureInfo GetFeatureInfo in JSON, which gridgov answers itself
 * @param sldBody whether SLD_BODY was given (a restyled heatmap is MapServer's to draw)
 * @param time the TIME interval of the layers with a time dimension (null when none is drawn)
 */
public record WmsRequest(
        String version,
        String request,
        Map<String, String> forward,
        Set<Layer> layers,
        List<Layer> mapLayers,
        Bbox bbox,
        int width,
        int height,
        int crs,
        boolean northFirst,
        HeatmapFilter heatmap,
        boolean jsonFeatureInfo,
        boolean sldBody,
        TimeInterval time)
        implements OwsRequest {

    /** A bounding box in the request CRS, axes as the client gave them. */
    public record Bbox(double a, double b, double c, double d) {

        /** This box as minEast, minNorth, maxEast, maxNorth. */
        Bbox eastNorth(boolean northFirst) {
            return northFirst ? new Bbox(b, a, d, c) : this;
        }
    }

    @Override
    public String service() {
        return "WMS";
    }

    /** The map box as minEast, minNorth, maxEast, maxNorth whatever the CRS axis order. */
    public Bbox eastNorth() {
        return bbox.eastNorth(northFirst);
    }

    /** A GetMap of the heatmap alone, not restyled: drawn by gridgov, not MapServer. */
    public boolean drawsHeatmapOnly() {
        String styles = forward.get("STYLES");
        return request.equals("GetMap")
                && mapLayers.size() == 1
                && mapLayers.get(0).isRaster()
                && !sldBody
                && (styles == null || styles.isEmpty());
    }

    /** The heatmap picture this GetMap asks for. */
    public HeatmapView heatmapView() {
        Bbox en = eastNorth();
        String bg = forward.get("BGCOLOR");
        return new HeatmapView(
                en.a(),
                en.b(),
                en.c(),
                en.d(),
                width,
                height,
                crs,
                heatmap,
                "image/png".equals(forward.get("FORMAT")),
                "TRUE".equals(forward.get("TRANSPARENT")),
                bg != null ? Integer.parseInt(bg.substring(2), 16) : 0xffffff);
    }
}
