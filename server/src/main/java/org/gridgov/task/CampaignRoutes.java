package org.gridgov.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.api.Responses;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.people.Role;

/** Campaigns (docs/tasks.md): the command centre creates them; progress for those who see KPIs. */
public final class CampaignRoutes {

    private final CampaignStore store;
    private final CategoryCatalog catalog;

    public CampaignRoutes(CampaignStore store, CategoryCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    public void mount(Router r) {
        r.post("/api/v1/campaigns").handler(this::create);
        r.get("/api/v1/campaigns").handler(this::list);
        r.get("/api/v1/campaigns/:id/progress").handler(this::progress);
    }

    private void create(RoutingContext ctx) {
        Principal p = Access.requireAny(ctx, Role.COMMAND_CENTRE);
        NewCampaign n = NewCampaign.parse(JsonBody.object(ctx.body().buffer()), catalog);
        Handlers.blocking(
                ctx,
                () -> {
                    CampaignStore.Created made = store.create(n, p.staffId());
                    ObjectNode o = store.find(made.id()).orElseThrow();
                    o.put("tasks", made.tasks());
                    o.put("generatedMillis", made.millis());
                    return o;
                },
                (c, o) -> Responses.json(c, 201, o));
    }

    private void list(RoutingContext ctx) {
        Access.requireAny(ctx, Role.SEES_KPIS);
        Handlers.blocking(ctx, store::list, (c, o) -> Responses.json(c, 200, o));
    }

    private void progress(RoutingContext ctx) {
        Access.requireAny(ctx, Role.SEES_KPIS);
        long id = Handlers.pathId(ctx, "id");
        String by = Handlers.param(ctx, "by");
        CampaignStore.By b;
        if (by == null || by.equals("grid")) b = CampaignStore.By.GRID;
        else if (by.equals("community")) b = CampaignStore.By.COMMUNITY;
        else throw new ProblemException(Problem.invalidParameter("by", "by is grid or community"));
        Handlers.blocking(ctx, () -> store.progress(id, b), (c, o) -> Responses.json(c, 200, o));
    }
}
