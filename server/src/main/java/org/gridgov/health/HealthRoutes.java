package org.gridgov.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Responses;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;

/** GET /health: UP when every dependency answers, 503 naming the one that does not. */
public final class HealthRoutes {

    private final DataSource ds;

    public HealthRoutes(DataSource ds) {
        this.ds = ds;
    }

    public void mount(Router router) {
        router.get("/health").handler(this::health);
    }

    private void health(RoutingContext ctx) {
        ctx.vertx().executeBlocking(this::databaseUp, false).onComplete(ar -> {
            boolean db = ar.succeeded() && ar.result();
            ObjectNode n = Responses.JSON.createObjectNode();
            n.put("status", db ? "UP" : "DOWN");
            n.putObject("checks").put("db", db ? "UP" : "DOWN");
            ctx.response().putHeader("Cache-Control", "no-store");
            Responses.json(ctx, db ? 200 : 503, n);
        });
    }

    private boolean databaseUp() {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(2);
            st.execute("SELECT 1");
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
