package org.gridgov.category;

import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;

/** The {@code category} query parameter of list, feed and analytics endpoints. */
public final class CategoryParam {

    private CategoryParam() {}

    /** The category code given, or null; an unknown code is a 400 problem. */
    public static String of(RoutingContext ctx, CategoryCatalog catalog) {
        String category = Handlers.param(ctx, "category");
        if (category != null && catalog.find(category).isEmpty()) {
            throw new ProblemException(
                    Problem.of(
                            400,
                            "unknown-category",
                            "Unknown category",
                            "'"
                                    + category
                                    + "' is not a category; GET /api/v1/categories lists them",
                            "category"));
        }
        return category;
    }
}
