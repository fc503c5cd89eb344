package org.gridgov.ogc.ows;

import java.util.Map;
import java.util.Set;
import org.gridgov.ogc.catalog.Layer;

/** A validated WFS request (read by {@link WfsRequestReader}). */
public record WfsRequest(
        String version, String request, Map<String, String> forward, Set<Layer> layers)
        implements OwsRequest {

    /** The one stored query WFS 2.0 requires (and MapServer offers): a feature by its id. */
    public static final String GET_FEATURE_BY_ID = "urn:ogc:def:query:OGC-WFS::GetFeatureById";

    @Override
    public String service() {
        return "WFS";
    }
}
