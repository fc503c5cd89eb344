package org.gridgov.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.gridgov.api.Responses;

/** GET /health: UP when every dependency answers, 503 naming the one that does not. */
public final class HealthRoutes {

    private final HealthProbe database;
    private final Map<String, Check> checks;

    /** A dependency check, run on a worker thread: true when the dependency answers. */
    @FunctionalInterface
    public interface Check {
        boolean up() throws Exception;
    }

    public HealthRoutes(HealthProbe database) {
        this(database, Map.of());
    }

    /** checks: further dependencies by name (e.g. "mapserver"), reported beside "db". */
    public HealthRoutes(HealthProbe database, Map<String, Check> checks) {
        this.database = database;
        this.checks = new TreeMap<>(checks);
    }

    public void mount(Router router) {
        router.get("/health").handler(this::health);
    }

    private void health(RoutingContext ctx) {
        ctx.vertx()
                .executeBlocking(
                        () -> {
                            Map<String, Boolean> results = new LinkedHashMap<>();
                            results.put("db", database.databaseUp());
                            for (var c : checks.entrySet()) {
                                boolean up;
                                try {
                                    up = c.getValue().up();
                                } catch (Exception e) {
                                    up = false;
                                }
                                results.put(c.getKey(), up);
                            }
                            return results;
                        },
                        false)
                .onComplete(
                        ar -> {
                            Map<String, Boolean> results =
                                    ar.succeeded() ? ar.result() : Map.of("db", false);
                            boolean all = results.values().stream().allMatch(Boolean::booleanValue);
                            ObjectNode n = Responses.JSON.createObjectNode();
                            n.put("status", all ? "UP" : "DOWN");
                            ObjectNode checksNode = n.putObject("checks");
                            results.forEach((k, v) -> checksNode.put(k, v ? "UP" : "DOWN"));
                            ctx.response().putHeader("Cache-Control", "no-store");
                            Responses.json(ctx, all ? 200 : 503, n);
                        });
    }
}
