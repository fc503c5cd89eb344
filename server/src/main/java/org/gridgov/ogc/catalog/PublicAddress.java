package org.gridgov.ogc.catalog;

import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.ClientAddress;

/**
 * scheme://host[:port] clients reached gridgov at: the setting, else the request — X-Forwarded-*
 * first, but only from a trusted proxy (GRIDGOV_TRUSTED_PROXIES): anyone else could write their
 * host into capabilities that are cached for every client.
 */
public final class PublicAddress {

    private PublicAddress() {}

    public static String of(RoutingContext ctx, String configured) {
        if (configured != null) return configured.replaceAll("/+$", "");
        boolean proxied = ClientAddress.viaTrustedProxy(ctx);
        String proto = proxied ? ctx.request().getHeader("X-Forwarded-Proto") : null;
        String host = proxied ? ctx.request().getHeader("X-Forwarded-Host") : null;
        if (host == null) host = ctx.request().getHeader("Host");
        if (host == null && ctx.request().authority() != null)
            host = ctx.request().authority().toString();
        if (proto == null || !proto.matches("https?"))
            proto = ctx.request().isSSL() ? "https" : "http";
        // Only a plain host[:port] is echoed into documents: anything else could inject markup.
        if (host == null
                || !host.matches(
                        "^[A-Za-z0-9.\\-]+(:[0-9]{1,5})?$|^\\[[0-9a-fA-F:]+\\](:[0-9]{1,5})?$"))
            host = "localhost";
        return proto + "://" + host;
    }
}
