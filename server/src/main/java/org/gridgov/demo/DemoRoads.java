package org.gridgov.demo;

import static org.gridgov.demo.DemoGeography.unkey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.gridgov.demo.DemoData.Community;
import org.gridgov.demo.DemoData.CommunityKind;
import org.gridgov.demo.DemoData.RoadEdge;
import org.gridgov.demo.DemoData.RoadVertex;
import org.gridgov.demo.DemoGeography.Seg;
import org.locationtech.jts.geom.Coordinate;

/**
 * The road network: every distinct unit edge segment is a two-way road edge, its end points the
 * vertices (ids by sorted coordinate). MAIN on community lines and the outline, STREET inside urban
 * communities, LANE inside villages; cost in seconds at the class's speed.
 */
final class DemoRoads {

    record Network(List<RoadVertex> vertices, List<RoadEdge> edges) {}

    private DemoRoads() {}

    /**
     * @param commId community id of each working community index
     */
    static Network build(DemoGeography geo, int[] commId, List<Community> communities) {
        long[] keys =
                geo.segOwners.keySet().stream()
                        .flatMapToLong(s -> LongStream.of(s.a(), s.b()))
                        .distinct()
                        .sorted()
                        .toArray();
        List<RoadVertex> vertices = new ArrayList<>();
        Map<Long, Integer> vid = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            vid.put(keys[i], i + 1);
            vertices.add(new RoadVertex(i + 1, unkey(keys[i])));
        }
        record E(int s, int t, String cls, Seg seg) {}
        List<E> es = new ArrayList<>();
        int[] comm = geo.comm;
        for (Map.Entry<Seg, int[]> e : geo.segOwners.entrySet()) {
            int[] o = e.getValue();
            String cls;
            if (o.length == 1 || comm[o[0]] != comm[o[1]]) cls = "MAIN";
            else
                cls =
                        communities.get(commId[comm[o[0]]] - 1).kind() == CommunityKind.URBAN
                                ? "STREET"
                                : "LANE";
            es.add(new E(vid.get(e.getKey().a()), vid.get(e.getKey().b()), cls, e.getKey()));
        }
        es.sort(Comparator.comparingInt(E::s).thenComparingInt(E::t));
        List<RoadEdge> edges = new ArrayList<>();
        long id = 0;
        for (E e : es) {
            Coordinate a = unkey(e.seg().a()), b = unkey(e.seg().b());
            double len = a.distance(b);
            double kmh =
                    switch (e.cls()) {
                        case "MAIN" -> 40;
                        case "STREET" -> 25;
                        default -> 15;
                    };
            double cost = len / (kmh / 3.6);
            edges.add(
                    new RoadEdge(
                            ++id,
                            e.s(),
                            e.t(),
                            e.cls(),
                            len,
                            cost,
                            DemoSubdistrict.GF.createLineString(new Coordinate[] {a, b})));
        }
        return new Network(List.copyOf(vertices), List.copyOf(edges));
    }
}
