package org.gridgov.people;

import java.util.EnumSet;
import java.util.Set;

/** The roles of docs/access.md, as stored in staff.role and carried in tokens. */
public enum Role {
    GRID_WORKER,
    GRID_LEADER,
    VILLAGE_CADRE,
    PLATFORM_HANDLER,
    PLATFORM_COMMANDER,
    CENTRE_OPERATOR,
    CENTRE_DIRECTOR,
    CHIEF_COMMANDER,
    PLANNER,
    DISTRICT_LIAISON,
    AUDITOR,
    ADMIN,
    /** The district command centre (区指挥中心): the queue of escalated cases, every subdistrict. */
    DISTRICT_OPERATOR,
    DISTRICT_COMMANDER;

    /** The district command centre: act on escalated cases of every subdistrict. */
    public static final Set<Role> DISTRICT_CENTRE =
            EnumSet.of(DISTRICT_OPERATOR, DISTRICT_COMMANDER);

    /**
     * May hold scope DISTRICT (every subdistrict); anyone else is scoped inside one subdistrict.
     */
    public static final Set<Role> DISTRICT_SCOPED =
            EnumSet.of(DISTRICT_OPERATOR, DISTRICT_COMMANDER, ADMIN, AUDITOR);

    /** The comprehensive command centre (综合指挥室): acts on every case. */
    public static final Set<Role> COMMAND_CENTRE =
            EnumSet.of(CENTRE_OPERATOR, CENTRE_DIRECTOR, CHIEF_COMMANDER);

    /**
     * May list staff with their scopes, and read rosters, leave, who is on duty and patrol tracks.
     * The district command centre reads every subdistrict's (it assigns district departments and
     * needs to know who answers where); it changes none of them ({@link #MANAGES_ROSTERS}).
     */
    public static final Set<Role> SEES_STAFF =
            EnumSet.of(
                    CENTRE_OPERATOR,
                    CENTRE_DIRECTOR,
                    CHIEF_COMMANDER,
                    PLATFORM_COMMANDER,
                    GRID_LEADER,
                    PLANNER,
                    AUDITOR,
                    ADMIN,
                    DISTRICT_OPERATOR,
                    DISTRICT_COMMANDER);

    /** May read assessment figures. */
    public static final Set<Role> SEES_KPIS =
            EnumSet.of(
                    CENTRE_DIRECTOR,
                    CHIEF_COMMANDER,
                    AUDITOR,
                    ADMIN,
                    CENTRE_OPERATOR,
                    PLATFORM_COMMANDER,
                    GRID_LEADER,
                    // the district compares its subdistricts (kpis?by=subdistrict)
                    DISTRICT_OPERATOR,
                    DISTRICT_COMMANDER);

    /**
     * May change grid plans: drafts, edits, adoption, rebalancing, imports, exports, their jobs.
     */
    public static final Set<Role> PLANNERS = EnumSet.of(PLANNER, ADMIN);

    /**
     * May create and cancel field tasks (docs/tasks.md): the command centre for any target, grid
     * leaders for targets in their community.
     */
    public static final Set<Role> ASSIGNS_TASKS =
            EnumSet.of(CENTRE_OPERATOR, CENTRE_DIRECTOR, CHIEF_COMMANDER, GRID_LEADER);

    /** May read grid plans (drafts included), their comparisons and the workload per grid. */
    public static final Set<Role> SEES_PLANS =
            EnumSet.of(PLANNER, ADMIN, AUDITOR, CENTRE_DIRECTOR, CHIEF_COMMANDER);

    /** May see who is near a case (GET /api/v1/incidents/{id}/responders). */
    public static final Set<Role> SEES_RESPONDERS =
            EnumSet.of(
                    CENTRE_OPERATOR, CENTRE_DIRECTOR, CHIEF_COMMANDER, PLATFORM_COMMANDER, ADMIN);

    /** May manage staff accounts (create, change, disable, reset passwords). */
    public static final Set<Role> ADMINS = EnumSet.of(ADMIN);

    /** May check the system's own bookkeeping (analytics consistency). */
    public static final Set<Role> AUDITS = EnumSet.of(ADMIN, AUDITOR);

    /**
     * May roster shifts and record or cancel leave (docs/rosters.md): grid leaders for the staff of
     * their community, the others for anyone ({@link #MANAGES_ALL_ROSTERS}).
     */
    public static final Set<Role> MANAGES_ROSTERS =
            EnumSet.of(GRID_LEADER, CENTRE_DIRECTOR, CHIEF_COMMANDER, ADMIN);

    /** May manage the roster and leave of any member of staff. */
    public static final Set<Role> MANAGES_ALL_ROSTERS =
            EnumSet.of(CENTRE_DIRECTOR, CHIEF_COMMANDER, ADMIN);

    /**
     * May see a place's owner (name, phone) unmasked, reading one place (docs/places.md): those who
     * visit and call the places; lists are masked for everyone.
     */
    public static final Set<Role> SEES_PLACE_OWNERS =
            EnumSet.of(
                    GRID_WORKER,
                    GRID_LEADER,
                    VILLAGE_CADRE,
                    CENTRE_OPERATOR,
                    CENTRE_DIRECTOR,
                    CHIEF_COMMANDER);

    public static Role parse(String s) {
        try {
            return valueOf(s);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
