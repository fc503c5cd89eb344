package org.gridgov.ogc.ows;

import io.vertx.core.MultiMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.gridgov.ogc.catalog.Layer;
import org.gridgov.ogc.catalog.LayerCatalog;
import org.gridgov.ogc.catalog.TimeExtent;

/**
 * A WMS or WFS key-value request, validated before anything reaches MapServer: only the parameters
 * of the operation asked for are forwarded (never {@code map=}, never unknown ones), every value is
 * checked against what the service offers, and each layer it names is collected for the access
 * check. Immutable; read by one reader per service ({@link WmsRequestReader}, {@link
 * WfsRequestReader}).
 */
public sealed interface OwsRequest permits WmsRequest, WfsRequest {

    /** WMS or WFS. */
    String service();

    /** The version asked for; null for a GetCapabilities that lets MapServer negotiate. */
    String version();

    /** The operation, spelt as the service defines it. */
    String request();

    /** What MapServer receives: canonical upper-case names, validated values, in order. */
    Map<String, String> forward();

    /** Every layer the request names (LAYERS, QUERY_LAYERS, LAYER, TYPENAMES, RESOURCEID, SLD). */
    Set<Layer> layers();

    /** planarSrid: the deployment's planar CRS, offered besides the geographic ones. */
    static OwsRequest parse(
            MultiMap raw, LayerCatalog catalog, int planarSrid, Predicate<String> knownCategory) {
        return parse(
                raw,
                catalog,
                planarSrid,
                knownCategory,
                catalog::isPublic,
                l -> new TimeExtent(null, java.time.Instant.now()));
    }

    /**
     * visible: the layers the caller may see (what the WMS root layer stands for); timeExtent: a
     * time dimension's extent now (WMS TIME).
     */
    static OwsRequest parse(
            MultiMap raw,
            LayerCatalog catalog,
            int planarSrid,
            Predicate<String> knownCategory,
            Predicate<Layer> visible,
            java.util.function.Function<Layer, TimeExtent> timeExtent) {
        KvpReader.Head head = KvpReader.head(raw);
        return head.service().equals("WMS")
                ? new WmsRequestReader(
                                head, catalog, planarSrid, knownCategory, visible, timeExtent)
                        .read()
                : new WfsRequestReader(head, catalog, planarSrid).read();
    }
}
