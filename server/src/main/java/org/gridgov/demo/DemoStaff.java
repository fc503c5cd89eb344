package org.gridgov.demo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.gridgov.category.Platforms;
import org.gridgov.demo.DemoData.Community;
import org.gridgov.demo.DemoData.CommunityKind;
import org.gridgov.demo.DemoData.Grid;
import org.gridgov.demo.DemoData.Staff;

/**
 * The staff: a full-time grid worker per grid, part-time workers for ~30 % of grids, a grid leader
 * per community and a cadre per village, handlers and a commander per platform, and the centre's
 * roles. Invented names and unique fake mobile numbers.
 */
final class DemoStaff {

    private DemoStaff() {}

    /**
     * Staff in id order, grid workers first (so a grid's full-time worker has its id); the
     * district's two accounts last, in the first subdistrict only ({@code withDistrict}).
     */
    static List<Staff> make(
            List<Grid> grids,
            List<Community> communities,
            boolean withDistrict,
            SplittableRandom rnd) {
        List<Staff> out = new ArrayList<>();
        Set<String> phones = new HashSet<>();
        for (Grid g : grids) {
            out.add(
                    new Staff(
                            out.size() + 1,
                            DemoNames.person(rnd),
                            "GRID_WORKER",
                            "FULL_TIME",
                            "GRID",
                            g.id(),
                            null,
                            null,
                            DemoNames.phone(rnd, phones),
                            true));
        }
        for (Grid g : grids) {
            if (rnd.nextDouble() < 0.3) {
                out.add(
                        new Staff(
                                out.size() + 1,
                                DemoNames.person(rnd),
                                "GRID_WORKER",
                                "PART_TIME",
                                "GRID",
                                g.id(),
                                null,
                                null,
                                DemoNames.phone(rnd, phones),
                                rnd.nextDouble() < 0.7));
            }
        }
        for (Community c : communities) {
            out.add(
                    new Staff(
                            out.size() + 1,
                            DemoNames.person(rnd),
                            "GRID_LEADER",
                            "FULL_TIME",
                            "COMMUNITY",
                            null,
                            c.id(),
                            null,
                            DemoNames.phone(rnd, phones),
                            true));
        }
        for (Community c : communities) {
            if (c.kind() != CommunityKind.VILLAGE) continue;
            out.add(
                    new Staff(
                            out.size() + 1,
                            DemoNames.person(rnd),
                            "VILLAGE_CADRE",
                            "FULL_TIME",
                            "COMMUNITY",
                            null,
                            c.id(),
                            null,
                            DemoNames.phone(rnd, phones),
                            true));
        }
        for (String pf : Platforms.CODES) {
            int handlers = 3 + rnd.nextInt(3);
            for (int i = 0; i < handlers; i++) {
                out.add(
                        new Staff(
                                out.size() + 1,
                                DemoNames.person(rnd),
                                "PLATFORM_HANDLER",
                                "FULL_TIME",
                                "PLATFORM",
                                null,
                                null,
                                pf,
                                DemoNames.phone(rnd, phones),
                                true));
            }
            out.add(
                    new Staff(
                            out.size() + 1,
                            DemoNames.person(rnd),
                            "PLATFORM_COMMANDER",
                            "FULL_TIME",
                            "PLATFORM",
                            null,
                            null,
                            pf,
                            DemoNames.phone(rnd, phones),
                            true));
        }
        String[][] centre = {
            {"CENTRE_OPERATOR", "4"},
            {"CENTRE_DIRECTOR", "1"},
            {"CHIEF_COMMANDER", "1"},
            {"PLANNER", "2"},
            {"DISTRICT_LIAISON", "1"},
            {"AUDITOR", "1"},
            {"ADMIN", "1"}
        };
        for (String[] r : centre) {
            for (int i = 0; i < Integer.parseInt(r[1]); i++) {
                out.add(
                        new Staff(
                                out.size() + 1,
                                DemoNames.person(rnd),
                                r[0],
                                "FULL_TIME",
                                "SUBDISTRICT",
                                null,
                                null,
                                null,
                                DemoNames.phone(rnd, phones),
                                true));
            }
        }
        // The district command centre, above the subdistrict (scope DISTRICT). A random stream of
        // its own, so the staff and incidents drawn from rnd stay what they were.
        if (!withDistrict) return out;
        SplittableRandom district = new SplittableRandom(20261206);
        for (String role : List.of("DISTRICT_OPERATOR", "DISTRICT_COMMANDER")) {
            out.add(
                    new Staff(
                            out.size() + 1,
                            DemoNames.person(district),
                            role,
                            "FULL_TIME",
                            "DISTRICT",
                            null,
                            null,
                            null,
                            DemoNames.phone(district, phones),
                            true));
        }
        return out;
    }
}
