package org.gridgov.category;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import org.gridgov.api.Responses;

/**
 * GET /api/v1/categories: the taxonomy, with platform, deadline, weight, authority and whether its
 * cases are publicly listed.
 */
public final class CategoryRoutes {

    private final byte[] body;

    public CategoryRoutes(CategoryCatalog catalog) {
        ObjectNode root = Responses.JSON.createObjectNode();
        ArrayNode list = root.putArray("categories");
        for (Category c : catalog.all()) {
            list.addObject()
                    .put("code", c.code())
                    .put("platform", c.platform())
                    .put("nameZh", c.nameZh())
                    .put("nameEn", c.nameEn())
                    .put("deadlineHours", c.deadlineHours())
                    .put("weight", c.weight())
                    .put("authority", c.authority())
                    .put("urgency", c.urgency())
                    .put("public", c.isPublic());
        }
        this.body = root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public void mount(Router router) {
        router.get("/api/v1/categories").handler(ctx -> Responses.json(ctx, 200, body));
    }
}
