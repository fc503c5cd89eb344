package org.gridgov.rebalance;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.gridgov.demo.DemoData;
import org.gridgov.demo.DemoParams;
import org.gridgov.demo.DemoSubdistrict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine on the small generated subdistrict: every produced plan is contiguous, in-community,
 * and better balanced.
 */
class RebalancerTest {

    static DemoData d;
    static UnitGraph g;
    static PlanLayout current;
    static double[] load;

    @BeforeAll
    static void generate() {
        d = DemoSubdistrict.generate(DemoParams.small());
        g = DemoGraphs.graph(d);
        current = DemoGraphs.layout(d);
        load = DemoGraphs.load(d, g);
    }

    static void assertSound(PlanLayout l) {
        List<List<Integer>> members = l.members();
        for (int u = 0; u < g.size(); u++)
            assertTrue(l.gridOf[u] >= 0, "unit " + g.id[u] + " assigned");
        for (int gi = 0; gi < l.gridCount(); gi++) {
            GridInfo info = l.grids.get(gi);
            assertFalse(members.get(gi).isEmpty(), "grid " + gi + " not empty");
            assertEquals(
                    1,
                    l.pieces(g, gi, members.get(gi)).size(),
                    "grid " + info.code() + " contiguous");
            for (int u : members.get(gi))
                assertEquals(
                        info.communityId(),
                        g.community[u],
                        "grid " + info.code() + " inside its community");
        }
    }

    static double withinCommunityDeviation(PlanLayout l) {
        Map<Long, GridCounts.Community> cs = GridCounts.communities(g, load, l, false);
        PlanMetrics m =
                new PlanMetrics(
                        g,
                        new UnitWorkloads(
                                null, null, load, new int[g.size()], new double[g.size()]),
                        l);
        double worst = 0;
        for (int gi = 0; gi < l.gridCount(); gi++) {
            GridInfo info = l.grids.get(gi);
            if (info.special()) continue;
            var c = cs.get(info.communityId());
            worst = Math.max(worst, Math.abs(m.load[gi] / (c.workload() / c.grids()) - 1));
        }
        return worst;
    }

    @Test
    void keepEachCommunityBalancesInsideCommunitiesWithFewMoves() {
        var cs = GridCounts.communities(g, load, current, false);
        PlanLayout r =
                Rebalancer.rebalance(
                        g,
                        load,
                        current,
                        GridCounts.keepEach(cs),
                        Rebalancer.Params.defaults(),
                        Rebalancer.Progress.NONE);
        assertSound(r);
        assertEquals(current.gridCount(), r.gridCount(), "grid count kept");
        double before = withinCommunityDeviation(current), after = withinCommunityDeviation(r);
        assertTrue(
                after < before && after <= 0.10,
                "deviation within communities " + before + " -> " + after);
        assertTrue(
                r.unitsMovedFrom(current) < 0.25 * g.size(), "moved " + r.unitsMovedFrom(current));
        for (int gi = 0; gi < r.gridCount(); gi++)
            assertNotNull(r.grids.get(gi).code(), "identities kept");
    }

    @Test
    void keepCountApportionsAndStaysSound() {
        var cs = GridCounts.communities(g, load, current, false);
        Map<Long, Integer> counts = GridCounts.apportion(cs, GridCounts.total(cs));
        assertEquals(
                GridCounts.total(cs), counts.values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(
                GridCounts.countBound(cs, counts)
                        <= GridCounts.countBound(cs, GridCounts.keepEach(cs)) + 1e-9);
        PlanLayout r =
                Rebalancer.rebalance(
                        g,
                        load,
                        current,
                        counts,
                        Rebalancer.Params.defaults(),
                        Rebalancer.Progress.NONE);
        assertSound(r);
        PlanLayout naive =
                Rebalancer.regrow(g, load, current, counts, Rebalancer.Params.defaults());
        assertSound(naive);
    }

    @Test
    void capacityModeAddsGridsWhereWorkloadSurges() {
        var cs = GridCounts.communities(g, load, current, false);
        double capacity =
                cs.values().stream().mapToDouble(GridCounts.Community::workload).sum()
                        / GridCounts.total(cs);
        long surged = cs.keySet().iterator().next();
        UnitWorkloads w =
                new UnitWorkloads(null, null, load, new int[g.size()], new double[g.size()])
                        .scaled(g, Map.of(surged, 1.6));
        var cs2 = GridCounts.communities(g, w.load(), current, false);
        Map<Long, Integer> counts = GridCounts.byCapacity(cs2, capacity);
        PlanLayout r =
                Rebalancer.rebalance(
                        g,
                        w.load(),
                        current,
                        counts,
                        Rebalancer.Params.defaults(),
                        Rebalancer.Progress.NONE);
        assertSound(r);
        long inSurged =
                r.grids.stream().filter(x -> x.communityId() == surged && !x.special()).count();
        assertEquals((long) counts.get(surged), inSurged, "the surged community has its new count");
        assertTrue(inSurged > cs.get(surged).grids(), "more grids where the workload grew");
    }

    @Test
    void specialGridsAreLeftAlone() {
        var cs = GridCounts.communities(g, load, current, false);
        PlanLayout r =
                Rebalancer.rebalance(
                        g,
                        load,
                        current,
                        GridCounts.apportion(cs, GridCounts.total(cs)),
                        Rebalancer.Params.defaults(),
                        Rebalancer.Progress.NONE);
        int specials = 0;
        for (int u = 0; u < g.size(); u++) {
            GridInfo before = current.grids.get(current.gridOf[u]);
            if (!before.special()) continue;
            specials++;
            assertEquals(
                    before.code(), r.grids.get(r.gridOf[u]).code(), "unit of a special grid stays");
        }
        assertTrue(specials > 0, "the demo has special grids");
    }

    @Test
    void cancellationStopsTheEngine() {
        AtomicInteger calls = new AtomicInteger();
        Rebalancer.Progress cancelAtOnce =
                new Rebalancer.Progress() {
                    public void report(double f) {}

                    public boolean cancelled() {
                        return calls.incrementAndGet() > 0;
                    }
                };
        assertThrows(
                Rebalancer.CancelledException.class,
                () ->
                        Rebalancer.rebalance(
                                g,
                                load,
                                current,
                                Map.of(),
                                Rebalancer.Params.defaults(),
                                cancelAtOnce));
    }
}
