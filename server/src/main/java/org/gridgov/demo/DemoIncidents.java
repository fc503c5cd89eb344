package org.gridgov.demo;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gridgov.area.LandUse;
import org.gridgov.demo.DemoData.Community;
import org.gridgov.demo.DemoData.CommunityKind;
import org.gridgov.demo.DemoData.Grid;
import org.gridgov.demo.DemoData.Staff;
import org.gridgov.demo.DemoData.Unit;
import org.locationtech.jts.algorithm.Distance;
import org.locationtech.jts.algorithm.RayCrossingCounter;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygon;

/**
 * The incident history of the demo subdistrict: {@link DemoParams#incidents()} reports over the
 * {@value #HISTORY_DAYS} days ending at {@link DemoParams#anchor()}, with hotspots, daily and
 * weekly rhythm, a realistic category and channel mix and a plausible status for the age of each
 * case at the anchor, as a working subdistrict has them: most open cases within their deadline, a
 * few overdue for days (never months). Pure Java: rows go to a {@link Sink}; the same data,
 * categories and parameters (anchor included) give the same rows.
 */
public final class DemoIncidents {

    public static final int HISTORY_DAYS = 365;

    /** The area's zone: days, hours and holidays are counted in it. */
    static final ZoneOffset ZONE = ZoneOffset.ofHours(8);

    /** Spring Festival (春节) of the years a history may touch: reports dip around it. */
    private static final List<LocalDate> SPRING_FESTIVALS =
            List.of(
                    LocalDate.of(2023, 1, 22),
                    LocalDate.of(2024, 2, 10),
                    LocalDate.of(2025, 1, 29),
                    LocalDate.of(2026, 2, 17),
                    LocalDate.of(2027, 2, 6),
                    LocalDate.of(2028, 1, 26),
                    LocalDate.of(2029, 2, 13),
                    LocalDate.of(2030, 2, 3),
                    LocalDate.of(2031, 1, 23),
                    LocalDate.of(2032, 2, 11),
                    LocalDate.of(2033, 1, 31),
                    LocalDate.of(2034, 2, 19),
                    LocalDate.of(2035, 2, 8));

    /**
     * Open cases past their deadline: a subdistrict case stays open and overdue (under supervision)
     * with this probability while at most {@link #OVERDUE_DAYS} days late; a district case stays
     * escalated with {@link #DISTRICT_WAITING}. Older cases are closed.
     */
    static final double SUPERVISED_OVERDUE = 0.004;

    static final double DISTRICT_WAITING = 0.1;
    static final int OVERDUE_DAYS = 14;

    /** Share of reports located in the district but outside the subdistrict. */
    public static final double OUTSIDE_SHARE = 0.005;

    /** A category as the loader reads it from the category table. */
    public record DemoCategory(
            String code,
            String platform,
            String nameZh,
            double weight,
            int deadlineHours,
            String authority) {
        boolean district() {
            return "DISTRICT".equals(authority);
        }
    }

    /**
     * One incident, times in epoch seconds, location planar EPSG:4549. Events: the REPORTED event
     * (id reportedEventId, at receivedAt) and, when importedEventId > 0, the IMPORTED event from
     * REPORTED to status at importedAt.
     */
    public record Incident(
            long id,
            int version,
            String status,
            String category,
            String channel,
            String description,
            double x,
            double y,
            long reportedAt,
            long receivedAt,
            String reporterName,
            String reporterPhone,
            String jurisdiction,
            Long gridId,
            Long communityId,
            Long unitId,
            String platform,
            Long assigneeId,
            long dueAt,
            long updatedAt,
            long reportedEventId,
            Long reportedActorId,
            String reportedActorRole,
            long importedEventId,
            long importedAt) {}

    @FunctionalInterface
    public interface Sink {
        void accept(Incident incident) throws java.sql.SQLException;
    }

    static final String[] STAGES = {
        "REPORTED", "ACCEPTED", "DISPATCHED", "IN_PROGRESS", "RESOLVED", "CLOSED"
    };
    static final String[] CHANNELS = {
        "GRID_PATROL", "PUBLIC_ONLINE", "HOTLINE", "VILLAGE_CADRE", "INSPECTION"
    };
    private static final double[] CHANNEL_URBAN = {47, 24, 22, 2, 5};
    private static final double[] CHANNEL_VILLAGE = {42, 12, 16, 25, 5};
    private static final double[] CHANNEL_NIGHT = {8, 45, 45, 1, 1};
    private static final double[] HOUR = {
        0.15, 0.10, 0.08, 0.07, 0.08, 0.15, 0.35, 0.70, 1.20, 1.60, 1.70, 1.50, 1.00, 1.10, 1.50,
        1.60, 1.50, 1.20, 0.90, 0.80, 0.70, 0.55, 0.40, 0.25
    };

    private final DemoData d;
    private final List<DemoCategory> cats;
    private final SplittableRandom rnd;
    private final long end;
    private final long start;

    /** Local midnight on or before start: the hour slots are aligned to the area's clock. */
    private final long origin;

    private final double[] slotCum;
    private final double[] unitCum;
    private final Map<String, double[]> catCum = new HashMap<>();
    private final Map<Long, Long> cadreOf = new HashMap<>();
    private final Envelope[] unitEnv;

    /** Ids before this history's: a later subdistrict's share of a district's history. */
    private final long firstId;

    private final long firstEventId;

    /** The area every subdistrict covers: "outside" reports fall outside it. */
    private final Polygon served;

    private DemoIncidents(DemoData d, List<DemoCategory> cats, DemoParams p, Share share) {
        this.d = d;
        this.firstId = share.idsBefore();
        this.firstEventId = share.eventIdsBefore();
        this.served = share.served() == null ? d.subdistrict() : share.served();
        this.cats =
                cats.stream().sorted(java.util.Comparator.comparing(DemoCategory::code)).toList();
        if (this.cats.isEmpty())
            throw new IllegalArgumentException("no categories: fill the category table first");
        this.rnd = new SplittableRandom(p.seed() * 0x9E3779B97F4A7C15L + 17);
        this.end = p.anchor().getEpochSecond();
        this.start = end - HISTORY_DAYS * 86_400L;
        this.origin =
                LocalDate.ofInstant(java.time.Instant.ofEpochSecond(start), ZONE)
                        .atStartOfDay(ZONE)
                        .toEpochSecond();
        this.slotCum = slots();
        this.unitCum = new double[d.units().size()];
        double acc = 0;
        for (int i = 0; i < unitCum.length; i++)
            unitCum[i] = acc += d.units().get(i).incidentWeight();
        for (String lu : LandUse.NAMES) {
            double[] c = new double[this.cats.size()];
            double a = 0;
            for (int i = 0; i < c.length; i++) c[i] = a += categoryWeight(this.cats.get(i), lu);
            catCum.put(lu, c);
        }
        for (Staff s : d.staff())
            if (s.role().equals("VILLAGE_CADRE")) cadreOf.put(s.communityId(), s.id());
        unitEnv = new Envelope[d.units().size()];
        for (int i = 0; i < unitEnv.length; i++)
            unitEnv[i] = d.units().get(i).geom().getEnvelopeInternal();
    }

    /**
     * One subdistrict's part of a district's history: ids after {@code idsBefore} and {@code
     * eventIdsBefore}; reports "outside" fall outside {@code served} (every subdistrict's area;
     * null = this subdistrict's).
     */
    public record Share(long idsBefore, long eventIdsBefore, Polygon served) {
        public static final Share ALONE = new Share(0, 0, null);
    }

    /** Emits p.incidents() incidents with ids 1..n and event ids 1..m, in id order. */
    public static void generate(DemoData d, List<DemoCategory> categories, DemoParams p, Sink sink)
            throws java.sql.SQLException {
        generate(d, categories, p, Share.ALONE, sink);
    }

    /** As {@link #generate(DemoData, List, DemoParams, Sink)}, ids after the share's bases. */
    public static void generate(
            DemoData d, List<DemoCategory> categories, DemoParams p, Share share, Sink sink)
            throws java.sql.SQLException {
        new DemoIncidents(d, categories, p, share).run(p.incidents(), sink);
    }

    /**
     * Cumulative weights of the hours from {@link #origin} to the anchor (365 days, one more when
     * the anchor is not at midnight: hours outside the window are drawn and rejected).
     */
    private double[] slots() {
        int days = (int) ((end - origin + 86_399) / 86_400);
        double[] cum = new double[days * 24];
        LocalDate first = LocalDate.ofInstant(java.time.Instant.ofEpochSecond(origin), ZONE);
        double acc = 0;
        for (int day = 0; day < days; day++) {
            LocalDate date = first.plusDays(day);
            double w =
                    date.getDayOfWeek() == DayOfWeek.SATURDAY
                            ? 0.75
                            : date.getDayOfWeek() == DayOfWeek.SUNDAY ? 0.65 : 1.0;
            w *=
                    1
                            + 0.15
                                    * Math.sin(
                                            2
                                                    * Math.PI
                                                    * (date.getDayOfYear() - 100)
                                                    / 365.0); // summer peak
            w *= 0.9 + 0.2 * day / HISTORY_DAYS; // slow growth
            for (LocalDate springFestival : SPRING_FESTIVALS)
                if (Math.abs(date.toEpochDay() - springFestival.toEpochDay()) <= 4) w *= 0.45;
            if (date.getMonthValue() == 10 && date.getDayOfMonth() <= 7)
                w *= 0.7; // National Day week
            for (int h = 0; h < 24; h++) cum[day * 24 + h] = acc += w * HOUR[h];
        }
        return cum;
    }

    static double categoryWeight(DemoCategory c, String landUse) {
        double w =
                switch (c.platform()) {
                    case "ENFORCEMENT" -> 35;
                    case "GOVERNANCE" -> 25;
                    case "SERVICE" -> 25;
                    default -> 15;
                };
        w /= Math.max(0.3, c.weight());
        if (c.district()) w *= 0.3;
        switch (c.code()) {
            case "ENF_STREET_VENDING",
                    "ENF_EXPOSED_GARBAGE",
                    "ENF_SIDEWALK_PARKING",
                    "ENF_SHOPFRONT_OVERFLOW" ->
                    w *= 2;
            case "GOV_NEIGHBOUR_DISPUTE", "SVC_STREETLIGHT_OUT", "GOV_EBIKE_INDOOR_CHARGING" ->
                    w *= 1.5;
            default -> {}
        }
        String pf = c.platform();
        switch (landUse) {
            case "COMMERCIAL" -> w *= pf.equals("MARKET") ? 3 : pf.equals("ENFORCEMENT") ? 2 : 1;
            case "INDUSTRIAL" ->
                    w *=
                            pf.equals("ENFORCEMENT")
                                    ? 1.5
                                    : pf.equals("GOVERNANCE") ? 1.3 : pf.equals("MARKET") ? 0.6 : 1;
            case "RESIDENTIAL" -> w *= pf.equals("GOVERNANCE") || pf.equals("SERVICE") ? 1.3 : 1;
            case "VILLAGE" ->
                    w *=
                            c.code().equals("ENF_ILLEGAL_CONSTRUCTION")
                                    ? 3
                                    : pf.equals("GOVERNANCE") ? 1.2 : 1;
            case "PUBLIC" -> w *= pf.equals("SERVICE") ? 1.5 : 1;
            case "OPEN" -> w *= pf.equals("ENFORCEMENT") ? 1.5 : pf.equals("MARKET") ? 0.3 : 1;
            default -> {}
        }
        return w;
    }

    private static int pick(double[] cum, double u) {
        double x = u * cum[cum.length - 1];
        int i = Arrays.binarySearch(cum, x);
        if (i < 0) i = -i - 1;
        return Math.min(i, cum.length - 1);
    }

    private static int pick(double[] weights, SplittableRandom r) {
        double total = 0;
        for (double w : weights) total += w;
        double x = r.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.length - 1;
    }

    private void run(int n, Sink sink) throws java.sql.SQLException {
        long eventId = firstEventId;
        for (long id = firstId + 1; id <= firstId + n; id++) {
            boolean outside = rnd.nextDouble() < OUTSIDE_SHARE;
            Unit unit = outside ? null : d.units().get(pick(unitCum, rnd.nextDouble()));
            double[] xy = outside ? pointOutside() : pointIn(unit);
            String lu = unit == null ? "OPEN" : unit.landUse();
            DemoCategory cat = cats.get(pick(catCum.get(lu), rnd.nextDouble()));
            Community community = unit == null ? null : d.community(unit.communityId());
            Grid grid = unit == null ? null : d.grid(d.gridOfUnit()[d.unitIndex(unit.id())]);

            long reported;
            int hour;
            do {
                int slot = pick(slotCum, rnd.nextDouble());
                hour = slot % 24;
                reported = origin + slot * 3600L + rnd.nextInt(3600);
            } while (reported > end - 2 * 3600 || reported < start);
            boolean night = hour < 7 || hour >= 21;
            double[] mix =
                    night
                            ? CHANNEL_NIGHT
                            : community != null && community.kind() == CommunityKind.VILLAGE
                                    ? CHANNEL_VILLAGE
                                    : CHANNEL_URBAN;
            String channel = CHANNELS[pick(mix, rnd)];
            if (channel.equals("VILLAGE_CADRE")
                    && (community == null || community.kind() != CommunityKind.VILLAGE))
                channel = "GRID_PATROL";
            long received =
                    reported
                            + switch (channel) {
                                case "GRID_PATROL" -> 5 + rnd.nextInt(55);
                                case "HOTLINE", "PUBLIC_ONLINE" -> 30 + rnd.nextInt(570);
                                default -> 60 + rnd.nextInt(1740);
                            };

            String reporterName = null, reporterPhone = null;
            if ((channel.equals("HOTLINE") || channel.equals("PUBLIC_ONLINE"))
                    && rnd.nextDouble() < 0.8) {
                reporterName = DemoNames.person(rnd).charAt(0) + (rnd.nextBoolean() ? "先生" : "女士");
                reporterPhone =
                        "1"
                                + (3 + rnd.nextInt(6))
                                + String.format("%09d", rnd.nextInt(1_000_000_000));
            }
            Long repActor = null;
            String repRole;
            switch (channel) {
                case "GRID_PATROL" -> {
                    repActor = grid == null ? null : grid.workerId();
                    repRole = "GRID_WORKER";
                }
                case "VILLAGE_CADRE" -> {
                    repActor = cadreOf.get(community.id());
                    repRole = "VILLAGE_CADRE";
                }
                case "INSPECTION" -> repRole = "CENTRE_OPERATOR";
                default -> repRole = "PUBLIC";
            }

            long dl = cat.deadlineHours() * 3600L;
            long age = end - received;
            boolean districtCase = outside || cat.district();
            String status;
            long at = 0;
            double u = rnd.nextDouble();
            long late = age - dl;
            if (districtCase) {
                if (late > 0 && (late > OVERDUE_DAYS * 86_400L || u >= DISTRICT_WAITING)) {
                    status = "CLOSED";
                    at = received + (long) (dl * (0.5 + 2.5 * rnd.nextDouble()));
                } else {
                    status = "ESCALATED"; // with the district, within or a little past its deadline
                    at = received + 300 + rnd.nextInt(6900);
                }
            } else if (late > 0) {
                if (u < 0.03) {
                    status = "REJECTED";
                    at = received + 300 + rnd.nextInt(6900);
                } else if (u < 0.03 + SUPERVISED_OVERDUE && late <= OVERDUE_DAYS * 86_400L) {
                    status =
                            rnd.nextBoolean()
                                    ? "IN_PROGRESS"
                                    : "DISPATCHED"; // overdue, under supervision
                    at = received + (long) (dl * (0.05 + 0.45 * rnd.nextDouble()));
                } else {
                    status = "CLOSED";
                    double f =
                            rnd.nextDouble() < 0.9
                                    ? 0.1 + 0.85 * rnd.nextDouble()
                                    : 1.02 + 0.78 * rnd.nextDouble();
                    at = received + (long) (dl * f);
                }
            } else if (u < 0.03 && age > 600) {
                status = "REJECTED";
                at = received + 60 + (long) ((Math.min(age, 7200) - 60) * rnd.nextDouble());
            } else {
                double f = (double) age / dl;
                int stage = (int) Math.floor(f * 6 + (rnd.nextDouble() - 0.5) * 3);
                status = STAGES[Math.max(0, Math.min(5, stage))];
                at = received + (long) (age * (0.2 + 0.75 * rnd.nextDouble()));
            }
            at = Math.max(received + 1, Math.min(at, end - 60));
            boolean imported = !status.equals("REPORTED");
            long impId = 0, repId = ++eventId;
            if (imported) impId = ++eventId;

            String description = describe(channel, community, cat);
            sink.accept(
                    new Incident(
                            id,
                            imported ? 2 : 1,
                            status,
                            cat.code(),
                            channel,
                            description,
                            xy[0],
                            xy[1],
                            reported,
                            received,
                            reporterName,
                            reporterPhone,
                            districtCase ? "DISTRICT" : "SUBDISTRICT",
                            grid == null ? null : grid.id(),
                            community == null ? null : community.id(),
                            unit == null ? null : unit.id(),
                            cat.platform(),
                            grid == null ? null : grid.workerId(),
                            reported + dl,
                            imported ? at : received,
                            repId,
                            repActor,
                            repRole,
                            impId,
                            imported ? at : 0));
        }
    }

    private static String describe(String channel, Community community, DemoCategory cat) {
        String where = community == null ? "街道辖区外" : community.name();
        return switch (channel) {
            case "GRID_PATROL" -> "网格员巡查发现" + where + "存在" + cat.nameZh() + "问题";
            case "PUBLIC_ONLINE" -> "群众通过\u201c互联网+\u201d反映" + where + cat.nameZh() + "问题";
            case "HOTLINE" -> "热线来电反映" + where + cat.nameZh() + "，请尽快处理";
            case "VILLAGE_CADRE" -> "驻村干部上报" + where + cat.nameZh();
            default -> "专项督查发现" + where + cat.nameZh() + "问题";
        };
    }

    /**
     * Rejection sampling: a point at least 0.5 m inside the unit (so it stays inside after
     * reprojection).
     */
    private double[] pointIn(Unit unit) {
        Polygon g = unit.geom();
        Coordinate[] ring = g.getExteriorRing().getCoordinates();
        Envelope env = unitEnv[d.unitIndex(unit.id())];
        Coordinate c = new Coordinate();
        for (int attempt = 0; attempt < 1000; attempt++) {
            c.x = env.getMinX() + rnd.nextDouble() * env.getWidth();
            c.y = env.getMinY() + rnd.nextDouble() * env.getHeight();
            if (RayCrossingCounter.locatePointInRing(c, ring) != Location.INTERIOR) continue;
            if (distanceToRing(c, ring) < 0.5) continue;
            return new double[] {round(c.x), round(c.y)};
        }
        Coordinate ip = g.getInteriorPoint().getCoordinate();
        return new double[] {ip.x, ip.y};
    }

    /** A point in the district, at least 1 m outside the subdistrict (every subdistrict). */
    private double[] pointOutside() {
        Coordinate[] districtRing = d.district().getExteriorRing().getCoordinates();
        Coordinate[] subRing = served.getExteriorRing().getCoordinates();
        Envelope env = d.district().getEnvelopeInternal();
        Coordinate c = new Coordinate();
        while (true) {
            c.x = env.getMinX() + rnd.nextDouble() * env.getWidth();
            c.y = env.getMinY() + rnd.nextDouble() * env.getHeight();
            if (RayCrossingCounter.locatePointInRing(c, districtRing) != Location.INTERIOR)
                continue;
            if (RayCrossingCounter.locatePointInRing(c, subRing) != Location.EXTERIOR) continue;
            if (distanceToRing(c, subRing) < 1 || distanceToRing(c, districtRing) < 1) continue;
            return new double[] {round(c.x), round(c.y)};
        }
    }

    private static double distanceToRing(Coordinate c, Coordinate[] ring) {
        double m = Double.MAX_VALUE;
        for (int i = 0; i + 1 < ring.length; i++)
            m = Math.min(m, Distance.pointToSegment(c, ring[i], ring[i + 1]));
        return m;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
