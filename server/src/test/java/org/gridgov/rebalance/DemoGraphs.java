package org.gridgov.rebalance;

import java.util.ArrayList;
import java.util.List;
import org.gridgov.demo.DemoData;
import org.locationtech.jts.geom.Point;

/**
 * The unit graph and plan of a generated demo subdistrict, straight from the generator (no
 * database).
 */
final class DemoGraphs {

    private DemoGraphs() {}

    static UnitGraph graph(DemoData d) {
        int n = d.units().size();
        long[] id = new long[n], comm = new long[n];
        int[] hh = new int[n], pop = new int[n];
        double[] area = new double[n], per = new double[n], x = new double[n], y = new double[n];
        double[][] shared = new double[n][];
        for (int i = 0; i < n; i++) {
            DemoData.Unit u = d.units().get(i);
            id[i] = u.id();
            comm[i] = u.communityId();
            hh[i] = u.households();
            pop[i] = u.population();
            area[i] = u.geom().getArea();
            per[i] = u.geom().getLength();
            Point c = u.geom().getInteriorPoint();
            x[i] = c.getX();
            y[i] = c.getY();
        }
        for (int i = 0; i < n; i++) {
            int[] nb = d.neighbours()[i];
            shared[i] = new double[nb.length];
            for (int k = 0; k < nb.length; k++) {
                shared[i][k] =
                        d.units()
                                .get(i)
                                .geom()
                                .intersection(d.units().get(nb[k]).geom())
                                .getLength();
            }
        }
        return new UnitGraph(id, comm, hh, pop, area, per, x, y, d.neighbours(), shared);
    }

    static PlanLayout layout(DemoData d) {
        List<GridInfo> grids = new ArrayList<>();
        for (DemoData.Grid g : d.grids())
            grids.add(
                    new GridInfo(
                            g.id(),
                            g.code(),
                            g.name(),
                            g.communityId(),
                            g.kind(),
                            g.workerId(),
                            null));
        int[] gridOf = new int[d.units().size()];
        for (int i = 0; i < gridOf.length; i++) gridOf[i] = (int) d.gridOfUnit()[i] - 1;
        return new PlanLayout(grids, gridOf);
    }

    /**
     * A workload like the model's: 2 h per household, incidents by the generator's hot weights,
     * patrol by area.
     */
    static double[] load(DemoData d, UnitGraph g) {
        double[] l = new double[g.size()];
        double hot = 0;
        for (DemoData.Unit u : d.units()) hot += u.incidentWeight();
        double incidentsPerYear = 50_000 * 1.6;
        for (int i = 0; i < l.length; i++) {
            l[i] =
                    2.0 * g.households[i]
                            + incidentsPerYear * d.units().get(i).incidentWeight() / hot
                            + 300 * g.area[i] / 1e6;
        }
        return l;
    }
}
