package org.gridgov.open311;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;
import org.gridgov.api.Responses;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.ogc.catalog.PublicAddress;

/**
 * The Open311 service discovery document (/open311/discovery.{json,xml}, and the same under
 * /open311/v2/): where the GeoReport v2 endpoint is, in which formats, and a changeset clients
 * compare to know when to read the services and their definitions again. The endpoint's address is
 * gridgov's public address (GRIDGOV_PUBLIC_URL, else the request's, as OGC capabilities write it),
 * never a fixed host. docs/open311.md.
 */
public final class Discovery {

    static final String SPECIFICATION = "http://wiki.open311.org/GeoReport_v2";
    static final List<String> FORMATS = List.of("text/xml", "application/json");
    private static final DateTimeFormatter CHANGESET =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final CategoryCatalog catalog;
    private final String publicUrl;
    private final Supplier<String> contact;
    private final Instant started;

    /**
     * @param publicUrl GRIDGOV_PUBLIC_URL, or null to take the address from each request
     * @param contact who to ask about this service, in words
     * @param started when this server started: the service definitions ship with the build, so a
     *     new build (a restart) may have changed them
     */
    public Discovery(
            CategoryCatalog catalog, String publicUrl, Supplier<String> contact, Instant started) {
        this.catalog = catalog;
        this.publicUrl = publicUrl;
        this.contact = contact;
        this.started = started.truncatedTo(ChronoUnit.SECONDS);
    }

    public void mount(Router r) {
        for (String f : List.of("json", "xml")) {
            boolean xml = f.equals("xml");
            r.get("/open311/discovery." + f).handler(ctx -> answer(ctx, xml));
            r.get(Open311Routes.BASE + "/discovery." + f).handler(ctx -> answer(ctx, xml));
        }
    }

    private void answer(RoutingContext ctx, boolean xml) {
        Format.sendTree(
                ctx,
                xml,
                200,
                "discovery",
                document(PublicAddress.of(ctx, publicUrl) + Open311Routes.BASE));
    }

    ObjectNode document(String endpoint) {
        String changeset = changeset();
        ObjectNode d =
                Responses.JSON
                        .createObjectNode()
                        .put("changeset", changeset)
                        .put("contact", contact.get())
                        .put(
                                "key_service",
                                "无需密钥：api_key 可不填 (no key is needed; api_key is accepted"
                                        + " and ignored)");
        ObjectNode e =
                d.putArray("endpoints")
                        .addObject()
                        .put("specification", SPECIFICATION)
                        .put("url", endpoint)
                        .put("changeset", changeset)
                        .put("type", "production");
        FORMATS.forEach(e.putArray("formats")::add);
        return d;
    }

    /**
     * When the services or their definitions last changed, as a sortable UTC time: the later of
     * when the categories in force were written or took effect, and the server's start.
     */
    String changeset() {
        var v = catalog.versions().versionAt(Instant.now());
        Instant t = v.effectiveFrom().isAfter(v.createdAt()) ? v.effectiveFrom() : v.createdAt();
        return CHANGESET.format(t.isAfter(started) ? t : started);
    }
}
