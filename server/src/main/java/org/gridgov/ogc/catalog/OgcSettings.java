package org.gridgov.ogc.catalog;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * OGC publishing settings (README "Configuration").
 *
 * @param mapserverUrl an external MapServer endpoint (http://host:port/path); null = start our own
 * @param workers MapServer FastCGI worker processes lighttpd runs (cap on concurrent MapServer
 *     requests)
 * @param stateDir where the generated config, mapfile, templates and sockets go; null = a temporary
 *     folder
 * @param timeoutMs longest a MapServer request may take before the gateway answers 503
 * @param publicUrl the address clients reach gridgov at (for capabilities); null = from the request
 * @param publicLayers layers anonymous clients may see; null = those marked public in the catalog
 * @param tileCacheMb memory for recently built vector tiles (0 = no cache)
 * @param planarSrid the deployment's planar CRS (GRIDGOV_PLANAR_SRID), offered by WMS and WFS
 *     besides the geographic ones and Web Mercator
 */
public record OgcSettings(
        String mapserverUrl,
        int workers,
        Path stateDir,
        int timeoutMs,
        String publicUrl,
        Set<String> publicLayers,
        int tileCacheMb,
        int planarSrid) {

    public static Set<String> parseLayers(String text) {
        if (text == null) return null;
        Set<String> s = new LinkedHashSet<>();
        Arrays.stream(text.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(s::add);
        return s;
    }
}
