package org.gridgov.demo;

import java.util.TreeMap;

/** Prints figures of a generated subdistrict: {@code java ... DemoStats [small]}. */
public final class DemoStats {
    public static void main(String[] args) {
        DemoParams p =
                args.length > 0 && args[0].equals("small")
                        ? DemoParams.small()
                        : DemoParams.defaults();
        long t0 = System.nanoTime();
        DemoData d = DemoSubdistrict.generate(p);
        System.out.printf("generated in %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        System.out.printf(
                "area %.0f m2, outline pts %d, units %d, communities %d, households %d, grids %d, vertices %d, edges %d, staff %d%n",
                d.subdistrict().getArea(),
                d.subdistrict().getNumPoints(),
                d.units().size(),
                d.communities().size(),
                d.totalHouseholds(),
                d.grids().size(),
                d.roadVertices().size(),
                d.roadEdges().size(),
                d.staff().size());
        for (DemoData.Community c : d.communities()) {
            int n = 0, h = 0;
            for (DemoData.Unit u : d.units())
                if (u.communityId() == c.id()) {
                    n++;
                    h += u.households();
                }
            long g = d.grids().stream().filter(x -> x.communityId() == c.id()).count();
            System.out.printf(
                    "  %s %s %s units=%d hh=%d area=%.2fkm2 grids=%d type=%s%n",
                    c.code(),
                    c.name(),
                    c.kind(),
                    n,
                    h,
                    c.geom().getArea() / 1e6,
                    g,
                    c.geom().getGeometryType());
        }
        TreeMap<String, Integer> lu = new TreeMap<>();
        for (DemoData.Unit u : d.units()) lu.merge(u.landUse(), 1, Integer::sum);
        System.out.println("land use " + lu);
        for (DemoData.Grid g : d.grids())
            System.out.print(g.households() + (g.kind().equals("SPECIAL") ? "S " : " "));
        System.out.println();
        TreeMap<String, Integer> roles = new TreeMap<>();
        for (DemoData.Staff s : d.staff())
            roles.merge(s.role() + "/" + s.employment(), 1, Integer::sum);
        System.out.println(roles);
        System.out.println("fingerprint " + d.fingerprint());
    }
}
