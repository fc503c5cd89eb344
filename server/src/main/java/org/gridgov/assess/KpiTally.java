package org.gridgov.assess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sums one unit's figures are made of, over some cases: counts, never rates, and handling times
 * as a histogram of working minutes. Two tallies add up to the tally of both sets of cases,
 * exactly, mean and 90th percentile of handling included, which is what lets a settled month stand
 * for its cases in any longer period (docs/assessment.md, "Settled months"). {@link #toJson} is the
 * stored form of a settlement: its names are part of the schema.
 */
final class KpiTally {

    /** The counters, in their stored order and names. */
    enum Count {
        REPORTS,
        REJECTED,
        CLOSED,
        DUE_BASE,
        PARKED,
        ON_TIME_CLOSED,
        ACCEPTED,
        ACCEPT_ON_TIME,
        DISPATCHED,
        DISPATCH_ON_TIME,
        REWORKS,
        REWORKED_CASES,
        RESOLVED_CASES,
        OVERDUE,
        SUPERVISED,
        ESCALATIONS,
        RATINGS,
        SATISFACTION_SUM,
        NOT_SOLVED,
        LEADER_SUPERVISIONS,
        LEADER_SUPERVISIONS_MET
    }

    private final long[] counts = new long[Count.values().length];
    private final Map<String, Long> byChannel = new TreeMap<>();

    /** Working minutes from first dispatch to last resolve → how many cases took that long. */
    private final TreeMap<Long, Long> handlingMinutes = new TreeMap<>();

    void add(Count c, long n) {
        counts[c.ordinal()] += n;
    }

    long get(Count c) {
        return counts[c.ordinal()];
    }

    void addChannel(String channel, long n) {
        byChannel.merge(channel, n, Long::sum);
    }

    void addHandling(long workingMinutes) {
        handlingMinutes.merge(workingMinutes, 1L, Long::sum);
    }

    /** Adds another tally's cases to this one. */
    KpiTally merge(KpiTally o) {
        for (int i = 0; i < counts.length; i++) counts[i] += o.counts[i];
        o.byChannel.forEach((k, v) -> byChannel.merge(k, v, Long::sum));
        o.handlingMinutes.forEach((k, v) -> handlingMinutes.merge(k, v, Long::sum));
        return this;
    }

    /** The unit's figures (definitions in docs/assessment.md). */
    Kpi toKpi(String unit) {
        long reports = get(Count.REPORTS), handled = 0, minutes = 0;
        for (var e : handlingMinutes.entrySet()) {
            handled += e.getValue();
            minutes += e.getKey() * e.getValue();
        }
        long ratings = get(Count.RATINGS);
        return new Kpi(
                unit,
                reports,
                Map.copyOf(byChannel),
                get(Count.REJECTED),
                get(Count.CLOSED),
                ratio(get(Count.CLOSED), reports - get(Count.REJECTED)),
                get(Count.DUE_BASE),
                get(Count.PARKED),
                get(Count.ON_TIME_CLOSED),
                ratio(get(Count.ON_TIME_CLOSED), get(Count.DUE_BASE)),
                ratio(get(Count.ACCEPT_ON_TIME), get(Count.ACCEPTED)),
                ratio(get(Count.DISPATCH_ON_TIME), get(Count.DISPATCHED)),
                handled == 0 ? null : round(minutes / 60.0 / handled),
                handled == 0 ? null : round(p90Minutes(handlingMinutes, handled) / 60.0),
                get(Count.REWORKS),
                ratio(get(Count.REWORKED_CASES), get(Count.RESOLVED_CASES)),
                get(Count.OVERDUE),
                get(Count.SUPERVISED),
                get(Count.ESCALATIONS),
                ratings == 0 ? null : round((double) get(Count.SATISFACTION_SUM) / ratings),
                ratings,
                get(Count.NOT_SOLVED),
                get(Count.LEADER_SUPERVISIONS),
                get(Count.LEADER_SUPERVISIONS_MET));
    }

    /** The nearest-rank 90th percentile of a histogram of {@code n} values. */
    static long p90Minutes(TreeMap<Long, Long> histogram, long n) {
        long rank = Math.max(1, (long) Math.ceil(0.9 * n)), seen = 0;
        for (var e : histogram.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) return e.getKey();
        }
        throw new IllegalArgumentException("an empty histogram has no percentile");
    }

    /** The stored form: {"counts": {...}, "byChannel": {...}, "handlingMinutes": {"95": 3}}. */
    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ObjectNode c = n.putObject("counts");
        for (Count k : Count.values()) if (get(k) != 0) c.put(k.name(), get(k));
        ObjectNode ch = n.putObject("byChannel");
        byChannel.forEach(ch::put);
        ObjectNode h = n.putObject("handlingMinutes");
        handlingMinutes.forEach((k, v) -> h.put(Long.toString(k), v));
        return n;
    }

    /** Reads the stored form; a counter this build does not know is an error, not a silent 0. */
    static KpiTally fromJson(JsonNode n) {
        KpiTally t = new KpiTally();
        for (var e : n.path("counts").properties())
            t.add(Count.valueOf(e.getKey()), e.getValue().asLong());
        for (var e : n.path("byChannel").properties())
            t.addChannel(e.getKey(), e.getValue().asLong());
        for (var e : n.path("handlingMinutes").properties())
            t.handlingMinutes.merge(Long.parseLong(e.getKey()), e.getValue().asLong(), Long::sum);
        return t;
    }

    private static Double ratio(long a, long b) {
        return b <= 0 ? null : round((double) a / b);
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
