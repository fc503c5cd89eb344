package org.gridgov.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;

/**
 * GET /openapi.json. The document is written by hand in openapi.yaml beside the code (a test checks
 * that every route the server mounts is described there) and served as JSON.
 */
public final class OpenApiRoutes {

    private static final String RESOURCE = "/openapi.yaml";

    private OpenApiRoutes() {}

    public static JsonNode document() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " missing from the build");
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    public static void mount(Router router) {
        byte[] json;
        try {
            json = Responses.JSON.writeValueAsBytes(document());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        router.get("/openapi.json")
                .handler(
                        ctx -> {
                            ctx.response().putHeader("Access-Control-Allow-Origin", "*");
                            Responses.json(ctx, 200, json);
                        });
    }
}
