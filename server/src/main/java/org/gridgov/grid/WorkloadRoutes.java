package org.gridgov.grid;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import org.gridgov.api.Handlers;
import org.gridgov.api.Responses;
import org.gridgov.people.Access;
import org.gridgov.people.Principal;
import org.gridgov.rebalance.GridInfo;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.PlanMetrics;
import org.gridgov.rebalance.UnitGraph;
import org.gridgov.rebalance.UnitWorkloads;
import org.gridgov.rebalance.WorkloadModel;

/**
 * GET /api/v1/analytics/workload?plan=&from=&to=: one GeoJSON feature per grid with its workload
 * (hours per year, {@link WorkloadModel}), households, incidents, area and Polsby-Popper
 * compactness measured in the planar CRS, and the signed deviation from the mean of the plan's
 * basic grids. The plan is weighed over its subdistrict's units by its subdistrict's measured
 * handling times (V38), as a rebalance, validation or adoption of it is.
 */
public final class WorkloadRoutes {

    private final Planning planning;
    private final WorkloadQueries queries;

    public WorkloadRoutes(Planning planning) {
        this.planning = planning;
        this.queries = new WorkloadQueries(planning);
    }

    public void mount(Router router) {
        router.get("/api/v1/analytics/workload").handler(this::workload);
    }

    private void workload(RoutingContext ctx) {
        String planText = Handlers.param(ctx, "plan");
        Planning.Window window = planning.window(ctx);
        // the isolation rule: the caller's subdistrict's plans only (null: district-wide)
        Principal caller = Access.caller(ctx);
        Long scope = caller == null ? null : caller.subdistrictId();
        Handlers.blocking(
                ctx,
                () -> {
                    PlanStore.PlanRow row = queries.resolve(planText, scope);
                    long planId = row.id();
                    // the plan's subdistrict's units, so another's do not weigh on its mean, and
                    // its own measured cases, as rebalance, validation and adoption weigh the plan
                    UnitGraph g = planning.graph(row.subdistrictId());
                    UnitWorkloads w = planning.workloads(g, row.subdistrictId(), window);
                    WorkloadQueries.Plan plan = queries.plan(planId, g);
                    PlanLayout layout = plan.layout();
                    PlanMetrics m = new PlanMetrics(g, w, layout);
                    Map<Long, Integer> pos = new HashMap<>();
                    for (int i = 0; i < layout.gridCount(); i++)
                        pos.put(layout.grids.get(i).id(), i);
                    ObjectNode fc = Responses.JSON.createObjectNode();
                    fc.put("type", "FeatureCollection");
                    fc.put("planId", planId);
                    fc.put("from", window.from().toString());
                    fc.put("to", window.to().toString());
                    fc.put("unit", "hours per year");
                    fc.put("meanWorkload", round(m.basicMean, 1));
                    WorkloadModel wm = planning.model();
                    ObjectNode model = fc.putObject("model");
                    model.put("incidentHours", wm.incidentHours());
                    model.put("householdHours", wm.householdHours());
                    model.put("personHours", wm.personHours());
                    model.put("roadHoursPerKm", wm.roadHoursPerKm());
                    model.put("patrolHoursPerKm2", wm.patrolHoursPerKm2());
                    model.put("handlingCapHours", wm.handlingCapHours());
                    model.put("handlingMinCases", wm.handlingMinCases());
                    model.put("handlingFactorCap", wm.handlingFactorCap());
                    ArrayNode features = fc.putArray("features");
                    for (WorkloadQueries.Shape shape : plan.shapes()) {
                        int i = pos.get(shape.gridId());
                        GridInfo gi = layout.grids.get(i);
                        ObjectNode f = features.addObject();
                        f.put("type", "Feature");
                        f.put("id", gi.id());
                        f.set("geometry", Responses.JSON.readTree(shape.geometry()));
                        ObjectNode p = f.putObject("properties");
                        p.put("id", gi.id());
                        p.put("code", gi.code());
                        p.put("name", gi.name());
                        p.put("kind", gi.kind());
                        p.put("communityId", gi.communityId());
                        if (gi.workerId() == null) p.putNull("workerId");
                        else p.put("workerId", gi.workerId());
                        if (gi.backupWorkerId() == null) p.putNull("backupWorkerId");
                        else p.put("backupWorkerId", gi.backupWorkerId());
                        p.put("workload", round(m.load[i], 1));
                        p.put("households", m.households[i]);
                        p.put("incidents", m.incidents[i]);
                        p.put("units", m.units[i]);
                        double area = shape.areaM2(), per = shape.perimeterM();
                        p.put("areaM2", round(area, 1));
                        p.put("perimeterM", round(per, 1));
                        p.put(
                                "polsbyPopper",
                                per <= 0 ? 0 : round(4 * Math.PI * area / (per * per), 4));
                        p.put("deviation", round(m.deviation(i), 4));
                        p.put("contiguous", m.contiguous[i]);
                    }
                    return fc;
                },
                Responses::geoJson);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
