package org.gridgov.ogc.ows;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.mapserver.Mapfile;

/** A validated WFS request (read by {@link WfsRequestReader}). */
public record WfsRequest(
        String version, String request, Map<String, String> forward, Set<Layer> layers)
        implements OwsRequest {

    /** The one stored query WFS 2.0 requires (and MapServer offers): a feature by its id. */
    public static final String GET_FEATURE_BY_ID = "urn:ogc:def:query:OGC-WFS::GetFeatureById";

    /** MapServer's GeoJSON output formats: RFC 7946 (WGS 84 lon/lat), and in the srsName's CRS. */
    static final String GEOJSON = Mapfile.GEOJSON, GEOJSON_CRS = Mapfile.GEOJSON_CRS;

    @Override
    public String service() {
        return "WFS";
    }

    /** Whether the answer is GeoJSON (relayed as application/json). */
    boolean geoJson() {
        String f = forward.get("OUTPUTFORMAT");
        return request.equals("GetFeature") && (GEOJSON.equals(f) || GEOJSON_CRS.equals(f));
    }

    /**
     * The CRS a GeoJSON answer is to name, as a URN, when SRSNAME asked for one (null otherwise):
     * CRS84 for EPSG:4326, whose GeoJSON axis order is longitude/latitude, else the EPSG code.
     */
    String geoJsonCrs() {
        String srs = forward.get("SRSNAME");
        if (!geoJson() || srs == null) return null;
        Matcher m = KvpReader.SRS.matcher(srs.trim());
        if (!m.matches()) return null;
        int code = Integer.parseInt(m.group(1));
        return code == 4326 ? "urn:ogc:def:crs:OGC:1.3:CRS84" : "urn:ogc:def:crs:EPSG::" + code;
    }
}
