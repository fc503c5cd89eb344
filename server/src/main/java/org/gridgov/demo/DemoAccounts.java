package org.gridgov.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.gridgov.demo.DemoData.Community;
import org.gridgov.demo.DemoData.Grid;
import org.gridgov.demo.DemoData.Staff;

/**
 * Memorable usernames for the demo staff (one password for all, given to {@link DemoLoader#load}):
 * {@code operator}, {@code director}, {@code chief}, {@code planner}, {@code liaison}, {@code
 * auditor}, {@code admin}; {@code doperator}, {@code dcommander} (the district command centre);
 * {@code <platform>.commander} and {@code <platform>.handler1…}; grid workers {@code gw<grid code>}
 * (a part-time second worker {@code gw<grid code>-2}); grid leaders {@code gl<community code>},
 * village cadres {@code vc<community code>}. Second and later holders of a centre role get a
 * number: {@code operator2}.
 */
final class DemoAccounts {

    private DemoAccounts() {}

    /** One username per staff member, in the order of {@link DemoData#staff()}. */
    static List<String> usernames(DemoData d) {
        return usernames(d, "");
    }

    /**
     * As {@link #usernames(DemoData)}, the names not made from a grid or community code (those are
     * unique across a district already) with {@code prefix}: {@code s2.chief}, {@code
     * s2.enforcement.handler1} for a district's second subdistrict.
     */
    static List<String> usernames(DemoData d, String prefix) {
        Map<Long, String> gridCode = new HashMap<>();
        for (Grid g : d.grids()) gridCode.put(g.id(), g.code());
        Map<Long, String> communityCode = new HashMap<>();
        for (Community c : d.communities()) communityCode.put(c.id(), c.code());
        Set<String> used = new HashSet<>();
        List<String> out = new ArrayList<>();
        for (Staff s : d.staff()) {
            String base =
                    switch (s.role()) {
                        case "GRID_WORKER" -> "gw" + gridCode.get(s.gridId());
                        case "GRID_LEADER" -> "gl" + communityCode.get(s.communityId());
                        case "VILLAGE_CADRE" -> "vc" + communityCode.get(s.communityId());
                        case "PLATFORM_HANDLER" -> s.platform().toLowerCase() + ".handler";
                        case "PLATFORM_COMMANDER" -> s.platform().toLowerCase() + ".commander";
                        case "CENTRE_OPERATOR" -> "operator";
                        case "CENTRE_DIRECTOR" -> "director";
                        case "CHIEF_COMMANDER" -> "chief";
                        case "PLANNER" -> "planner";
                        case "DISTRICT_LIAISON" -> "liaison";
                        case "AUDITOR" -> "auditor";
                        case "ADMIN" -> "admin";
                        case "DISTRICT_OPERATOR" -> "doperator";
                        case "DISTRICT_COMMANDER" -> "dcommander";
                        default -> "staff" + s.id();
                    };
            if (!s.role().equals("GRID_WORKER")
                    && !s.role().equals("GRID_LEADER")
                    && !s.role().equals("VILLAGE_CADRE")) base = prefix + base;
            String name = base;
            if (s.role().equals("PLATFORM_HANDLER")) {
                int n = 1;
                while (!used.add(name = base + n)) n++;
            } else {
                String sep = s.role().equals("GRID_WORKER") ? "-" : "";
                int n = 2;
                while (!used.add(name)) name = base + sep + n++;
            }
            out.add(name);
        }
        return out;
    }
}
