package org.gridgov.grid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Map;
import org.gridgov.api.Handlers;
import org.gridgov.api.JsonBody;
import org.gridgov.api.Responses;
import org.gridgov.job.JobRoutes;
import org.gridgov.job.Jobs;
import org.gridgov.rebalance.GridCounts;
import org.gridgov.rebalance.PlanLayout;
import org.gridgov.rebalance.RebalanceRequest;
import org.gridgov.rebalance.Rebalancer;
import org.gridgov.rebalance.UnitGraph;
import org.gridgov.rebalance.UnitWorkloads;

/**
 * POST /api/v1/plans/{id}/rebalance: 202 with a job that produces a new draft plan of the plan's
 * subdistrict, grown over that subdistrict's units only.
 */
public final class RebalanceRoutes {

    private final Planning planning;
    private final Jobs jobs;
    private final RebalanceStore store;

    public RebalanceRoutes(Planning planning, Jobs jobs) {
        this.planning = planning;
        this.jobs = jobs;
        this.store = new RebalanceStore(planning);
    }

    public void mount(Router router) {
        router.post("/api/v1/plans/:id/rebalance").handler(this::rebalance);
    }

    private void rebalance(RoutingContext ctx) {
        Planning.requirePlanner(ctx);
        long planId = Handlers.pathId(ctx, "id");
        ObjectNode body = JsonBody.object(ctx.body().buffer());
        RebalanceRequest req = RebalanceRequest.parse(body);
        var caller = org.gridgov.people.Access.caller(ctx);
        Long scope = caller == null ? null : caller.subdistrictId();
        Handlers.blocking(
                ctx,
                () -> {
                    store.check(planId, req, scope);
                    body.put("planId", planId);
                    return jobs.submit("rebalance", body, jc -> run(planId, req, jc));
                },
                JobRoutes::accepted);
    }

    /** What a rebalance produced. */
    public record Outcome(
            long planId,
            long basedOn,
            int unitsMoved,
            int units,
            ObjectNode before,
            ObjectNode after,
            double countBound,
            double seconds,
            double engineSeconds,
            double graphSeconds,
            double workloadSeconds,
            double writeSeconds) {
        ObjectNode json() {
            ObjectNode n = Responses.JSON.createObjectNode();
            n.put("planId", planId);
            n.put("basedOn", basedOn);
            n.put("unitsMoved", unitsMoved);
            n.put(
                    "unitsMovedShare",
                    Math.round(unitsMoved * 10_000.0 / Math.max(1, units)) / 10_000.0);
            n.put("countBound", Math.round(countBound * 10_000) / 10_000.0);
            n.set("before", before);
            n.set("after", after);
            n.put("seconds", Math.round(seconds * 1000) / 1000.0);
            n.put("engineSeconds", Math.round(engineSeconds * 1000) / 1000.0);
            n.put("graphSeconds", Math.round(graphSeconds * 1000) / 1000.0);
            n.put("workloadSeconds", Math.round(workloadSeconds * 1000) / 1000.0);
            n.put("writeSeconds", Math.round(writeSeconds * 1000) / 1000.0);
            return n;
        }
    }

    /**
     * Computes the new layout, then writes it as a draft in the job's completing transaction;
     * returns the job's result.
     */
    public ObjectNode run(long planId, RebalanceRequest req, Jobs.Context jc) throws Exception {
        long t0 = System.nanoTime();
        Long subdistrict = store.subdistrictOf(planId);
        UnitGraph g = planning.graph(subdistrict);
        double graphSeconds = (System.nanoTime() - t0) / 1e9;
        jc.progress(0.05);
        long tw = System.nanoTime();
        Instant to = req.to() != null ? req.to() : planning.clock().instant();
        Instant from = req.from() != null ? req.from() : to.minus(planning.model().window());
        UnitWorkloads w =
                planning.workloads(g, subdistrict, new Planning.Window(from, to))
                        .scaled(g, req.communityFactors());
        double workloadSeconds = (System.nanoTime() - tw) / 1e9;
        if (!jc.progress(0.3)) throw new Jobs.Cancelled();
        RebalanceStore.Base base = store.base(planId, g);
        PlanLayout current = base.layout();
        String baseName = base.name();
        var communities =
                GridCounts.communities(g, w.load(), current, req.params().includeSpecial());
        Map<Long, Integer> counts =
                switch (req.mode()) {
                    case "keepEachCommunity" -> GridCounts.keepEach(communities);
                    case "capacity" -> GridCounts.byCapacity(communities, req.capacityPerWorker());
                    case "households" ->
                            GridCounts.byHouseholds(
                                    g,
                                    current,
                                    communities,
                                    req.householdsPerGrid(),
                                    req.params().includeSpecial());
                    case "targets" -> {
                        Map<Long, Integer> m = GridCounts.keepEach(communities);
                        m.putAll(req.gridsPerCommunity());
                        yield m;
                    }
                    default -> GridCounts.apportion(communities, GridCounts.total(communities));
                };
        long te = System.nanoTime();
        PlanLayout next;
        try {
            next =
                    Rebalancer.rebalance(
                            g,
                            w.load(),
                            current,
                            counts,
                            req.params(),
                            new Rebalancer.Progress() {
                                public void report(double f) {
                                    jc.progress(0.3 + 0.6 * f);
                                }

                                public boolean cancelled() {
                                    return jc.cancelled();
                                }
                            });
        } catch (Rebalancer.CancelledException e) {
            throw new Jobs.Cancelled();
        }
        double engine = (System.nanoTime() - te) / 1e9;
        if (jc.cancelled()) throw new Jobs.Cancelled();
        String name = req.name() != null ? req.name() : baseName + " (再平衡)";
        ObjectNode before = org.gridgov.grid.PlanComparison.metrics(g, w, current),
                after = org.gridgov.grid.PlanComparison.metrics(g, w, next);
        int moved = next.unitsMovedFrom(current);
        double countBound = GridCounts.countBound(communities, counts);
        // the draft and the job's DONE commit together, after a check under the job's row lock that
        // no cancel came first: a cancelled job leaves no draft, a finished one cannot be cancelled
        return (ObjectNode)
                jc.complete(
                        c -> {
                            long tWrite = System.nanoTime();
                            long newId =
                                    RebalanceStore.writeDraft(
                                            c, name, planId, subdistrict, next, g);
                            double writeSeconds = (System.nanoTime() - tWrite) / 1e9;
                            return new Outcome(
                                            newId,
                                            planId,
                                            moved,
                                            g.size(),
                                            before,
                                            after,
                                            countBound,
                                            (System.nanoTime() - t0) / 1e9,
                                            engine,
                                            graphSeconds,
                                            workloadSeconds,
                                            writeSeconds)
                                    .json();
                        });
    }
}
