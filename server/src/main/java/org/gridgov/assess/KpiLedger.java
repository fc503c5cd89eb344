package org.gridgov.assess;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.gridgov.assess.KpiCalculator.By;
import org.gridgov.assess.KpiCalculator.Slice;

/**
 * A period's figures: the months of it that are settled from their settlement, the rest computed
 * now, summed per unit (docs/assessment.md, "Settled months").
 */
public final class KpiLedger {

    /** The figures, and the months among them that came from a settlement. */
    public record Figures(List<Kpi> kpis, List<YearMonth> settledMonths) {}

    private final KpiCalculator live;
    private final KpiSettlementStore settlements;

    public KpiLedger(KpiCalculator live, KpiSettlementStore settlements) {
        this.live = live;
        this.settlements = settlements;
    }

    /**
     * The figures of the cases reported in [from, to), per unit; of one subdistrict's cases when
     * {@code subdistrict} is given, else of every case.
     */
    public Figures compute(By by, OffsetDateTime from, OffsetDateTime to, Long subdistrict)
            throws SQLException {
        var zone = settlements.zone();
        YearMonth first = YearMonth.from(from.atZoneSameInstant(zone)),
                last = YearMonth.from(to.atZoneSameInstant(zone));
        TreeSet<YearMonth> settled = settlements.settled(first, last);
        List<YearMonth> used = new ArrayList<>();
        Map<Slice, KpiTally> tallies = new java.util.HashMap<>();
        OffsetDateTime liveFrom = null; // the start of the run of months computed now
        for (YearMonth m = first; ; m = m.plusMonths(1)) {
            Period month = Period.month(m, zone);
            OffsetDateTime start = month.from(), end = month.to();
            if (!start.isBefore(to)) {
                if (liveFrom != null) add(tallies, live.tally(by, liveFrom, to, subdistrict));
                break;
            }
            if (!start.isBefore(from) && !end.isAfter(to) && settled.contains(m)) {
                if (liveFrom != null) add(tallies, live.tally(by, liveFrom, start, subdistrict));
                liveFrom = null;
                used.add(m);
            } else if (liveFrom == null) liveFrom = start.isBefore(from) ? from : start;
        }
        add(tallies, settlements.load(by, used, subdistrict));
        // a unit's figures over all the subdistricts its cases came from (one, for a
        // subdistrict's caller)
        Map<String, KpiTally> units = new TreeMap<>();
        tallies.forEach((k, v) -> units.merge(k.unit(), v, KpiTally::merge));
        List<Kpi> out = new ArrayList<>();
        units.forEach((u, t) -> out.add(t.toKpi(u)));
        return new Figures(out, used);
    }

    private static void add(Map<Slice, KpiTally> into, Map<Slice, KpiTally> more) {
        more.forEach((k, v) -> into.merge(k, v, KpiTally::merge));
    }
}
