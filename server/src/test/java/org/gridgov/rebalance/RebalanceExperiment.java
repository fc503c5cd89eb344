package org.gridgov.rebalance;

import org.gridgov.demo.DemoData;
import org.gridgov.demo.DemoParams;
import org.gridgov.demo.DemoSubdistrict;
import org.gridgov.grid.PlanLayout;

import java.util.HashMap;
import java.util.Map;

/** Manual run on the default demo: java -cp ... org.gridgov.rebalance.RebalanceExperiment */
public final class RebalanceExperiment {
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        DemoData d = DemoSubdistrict.generate(DemoParams.defaults());
        UnitGraph g = DemoGraphs.graph(d);
        PlanLayout cur = DemoGraphs.layout(d);
        double[] load = DemoGraphs.load(d, g);
        System.out.printf("setup %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        UnitWorkloads w = new UnitWorkloads(null, null, load, new int[g.size()], new double[g.size()]);
        report("current", g, w, cur, cur, 0);
        var cs = GridCounts.communities(g, load, cur, false);
        Map<Long, Integer> counts = GridCounts.apportion(cs, GridCounts.total(cs));
        double maxUnit = 0; for (double l : load) maxUnit = Math.max(maxUnit, l);
        System.out.printf("countBound keep-each=%.3f apportioned=%.3f unitBound=%.3f%n", GridCounts.countBound(cs, GridCounts.keepEach(cs)), GridCounts.countBound(cs, counts), maxUnit);
        for (int rep = 0; rep < 3; rep++) {
            long t = System.nanoTime();
            PlanLayout r = Rebalancer.rebalance(g, load, cur, counts, Rebalancer.Params.defaults(), Rebalancer.Progress.NONE);
            report("keep", g, w, cur, r, System.nanoTime() - t);
            t = System.nanoTime();
            PlanLayout b = Rebalancer.regrow(g, load, cur, counts, Rebalancer.Params.defaults());
            report("naive", g, w, cur, b, System.nanoTime() - t);
        }
    }

    static void report(String name, UnitGraph g, UnitWorkloads w, PlanLayout cur, PlanLayout r, long ns) {
        PlanMetrics m = new PlanMetrics(g, w, r);
        var s = m.summary(r.grids);
        System.out.printf("%s: %d ms grids=%d maxDev=%.3f pp=%.3f contig=%.3f moved=%.3f%n", name, ns / 1_000_000, s.basicGrids(),
                s.maxDeviation(), s.meanPolsbyPopper(), s.contiguousShare(), r.unitsMovedFrom(cur) / (double) g.size());
    }
}
