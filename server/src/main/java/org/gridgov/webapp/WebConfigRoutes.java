package org.gridgov.webapp;

import io.vertx.ext.web.Router;
import org.gridgov.api.Responses;

/** GET /api/v1/web-config: the web map's settings (public: the login screen needs them too). */
public final class WebConfigRoutes {

    private final byte[] body;

    public WebConfigRoutes(WebConfig config) {
        this.body = config.json();
    }

    public void mount(Router router) {
        router.get("/api/v1/web-config")
                .handler(
                        ctx -> {
                            ctx.response().putHeader("Cache-Control", "no-cache");
                            Responses.json(ctx, 200, body);
                        });
    }
}
