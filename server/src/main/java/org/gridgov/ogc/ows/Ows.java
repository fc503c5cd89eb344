package org.gridgov.ogc.ows;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.gridgov.api.XmlText;

/** OGC exception reports in the dialect of the service and version asked for. */
public final class Ows {

    private Ows() {}

    /** Writes the exception report; WMS 1.1.1 has its own MIME type, WFS uses OWS Common. */
    public static void sendException(
            HttpServerResponse response, String service, String version, OwsException e) {
        if (response.ended()) return;
        String body, type;
        String msg = XmlText.escape(e.getMessage());
        String locator =
                e.locator() == null ? "" : " locator=\"" + XmlText.escape(e.locator()) + "\"";
        if ("WFS".equals(service) || "OAPIF".equals(service)) {
            boolean v2 = version == null || version.startsWith("2");
            String owsNs = v2 ? "http://www.opengis.net/ows/1.1" : "http://www.opengis.net/ows";
            StringBuilder b =
                    new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                            .append("<ows:ExceptionReport xmlns:ows=\"")
                            .append(owsNs)
                            .append("\" version=\"")
                            .append(v2 ? "2.0.0" : "1.1.0")
                            .append("\" xml:lang=\"en\">\n");
            for (OwsException one : e.all()) {
                b.append("  <ows:Exception exceptionCode=\"").append(one.code()).append('"');
                if (one.locator() != null)
                    b.append(" locator=\"").append(XmlText.escape(one.locator())).append('"');
                b.append(">\n    <ows:ExceptionText>")
                        .append(XmlText.escape(one.getMessage()))
                        .append("</ows:ExceptionText>\n  </ows:Exception>\n");
            }
            body = b.append("</ows:ExceptionReport>\n").toString();
            type = "application/xml; charset=UTF-8";
        } else if (version != null && version.startsWith("1.1")) {
            body =
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceExceptionReport version=\"1.1.1\">\n  <ServiceException code=\""
                            + e.code()
                            + "\""
                            + locator
                            + ">"
                            + msg
                            + "</ServiceException>\n</ServiceExceptionReport>\n";
            type = "application/vnd.ogc.se_xml; charset=UTF-8";
        } else {
            body =
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceExceptionReport version=\"1.3.0\" xmlns=\"http://www.opengis.net/ogc\">\n"
                            + "  <ServiceException code=\""
                            + e.code()
                            + "\""
                            + locator
                            + ">"
                            + msg
                            + "</ServiceException>\n</ServiceExceptionReport>\n";
            type = "text/xml; charset=UTF-8";
        }
        response.setStatusCode(e.status())
                .putHeader("Content-Type", type)
                .putHeader("Cache-Control", "no-store");
        if (e.status() == 401) {
            response.headers().add("WWW-Authenticate", "Bearer");
            response.headers().add("WWW-Authenticate", "Basic realm=\"gridgov\"");
        }
        if (e.status() == 503) response.putHeader("Retry-After", "2");
        response.end(Buffer.buffer(body));
    }
}
