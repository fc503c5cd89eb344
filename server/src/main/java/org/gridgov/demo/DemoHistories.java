package org.gridgov.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.gridgov.demo.DemoData.Staff;
import org.gridgov.demo.DemoIncidents.Incident;

/**
 * Full case histories for a sample of the demo's incidents, in place of their bare IMPORTED event:
 * the events the case engine and the scheduler write (same types, data keys, actors of the demo's
 * own staff), ending in the case's status at the time the import says. Most are clean (accept,
 * dispatch, start, resolve, verify, close); every {@link #MESSY_EVERY}th closed case has the
 * trouble the discipline committee looks for (docs/accountability.md): passed between platforms,
 * repeated extensions, a spell in the no-owner queue, reminders and 督办单 ignored, verification
 * failed twice. On its own random stream: the rest of the demo does not change.
 */
final class DemoHistories {

    /** Share of the eligible incidents given a full history. */
    static final double SHARE = 0.04;

    static final int MESSY_EVERY = 3;

    /** Histories stay clear of the last days before the anchor (tests look at "now"). */
    static final long QUIET_SECONDS = 3 * 86_400L;

    /** At most this much of the span goes to accepting and to dispatching. */
    static final long PROMPT_SECONDS = 2 * 3600L;

    enum Trouble {
        NONE,
        PASSED_BACK,
        EXTENSIONS,
        NO_OWNER,
        IGNORED_NOTICE,
        REWORK
    }

    /** One event; data is JSON text. */
    record Event(
            long at,
            Long actorId,
            String actorRole,
            String type,
            String from,
            String to,
            String note,
            String data) {}

    /** A case_exception row the events point to (decided: approved). */
    record Exception(
            long id,
            long incidentId,
            String kind,
            String reason,
            Integer extraHours,
            long requestedBy,
            long requestedAt,
            long decidedBy,
            long decidedAt) {}

    record History(Trouble trouble, List<Event> events, List<Exception> exceptions) {}

    private final SplittableRandom rnd;
    private final long anchor;
    private final List<Long> operators = new ArrayList<>();
    private final Map<String, List<Long>> handlers = new HashMap<>();
    private final List<Long> leaders = new ArrayList<>();
    private final Map<Long, String> roleOf = new HashMap<>();
    private int closedSeen;
    private final Map<Trouble, Integer> written = new java.util.EnumMap<>(Trouble.class);
    private long nextExceptionId;

    DemoHistories(DemoData d, DemoParams p) {
        this(d, p, 0);
    }

    /** exceptionIdsBefore: the case_exception ids a district's earlier subdistricts took. */
    DemoHistories(DemoData d, DemoParams p, long exceptionIdsBefore) {
        this.nextExceptionId = exceptionIdsBefore + 1;
        this.rnd = new SplittableRandom(p.seed() * 0x2545F4914F6CDD1DL + 91);
        this.anchor = p.anchor().getEpochSecond();
        for (Staff s : d.staff()) {
            roleOf.put(s.id(), s.role());
            switch (s.role()) {
                case "CENTRE_OPERATOR" -> operators.add(s.id());
                case "PLATFORM_HANDLER" ->
                        handlers.computeIfAbsent(s.platform(), k -> new ArrayList<>()).add(s.id());
                case "CENTRE_DIRECTOR", "CHIEF_COMMANDER" -> leaders.add(s.id());
                default -> {}
            }
        }
    }

    /**
     * Called for every incident in id order (one draw each, so the sample does not depend on
     * eligibility elsewhere); a history for the sampled, eligible ones, else null.
     */
    History next(Incident i) {
        double u = rnd.nextDouble();
        if (u >= SHARE || !eligible(i)) return null;
        if (i.status().equals("CLOSED")) {
            // every third closed case is messy, with the kind written least so far that fits its
            // span; a kind not yet on the demo takes any closed case it fits, so every kind is
            // there whatever the anchor (the spans depend on its clock time)
            boolean messy = closedSeen++ % MESSY_EVERY == MESSY_EVERY - 1;
            List<Trouble> kinds = new ArrayList<>(List.of(Trouble.values()).subList(1, 6));
            kinds.sort(java.util.Comparator.comparingInt(k -> written.getOrDefault(k, 0)));
            for (Trouble t : kinds) {
                if (!messy && written.containsKey(t)) continue;
                History h = build(i, t);
                if (h != null) {
                    written.merge(t, 1, Integer::sum);
                    return h;
                }
            }
        }
        return build(i, Trouble.NONE);
    }

    private boolean eligible(Incident i) {
        return i.importedEventId() > 0
                && i.jurisdiction().equals("SUBDISTRICT")
                && i.assigneeId() != null
                && i.importedAt() < anchor - QUIET_SECONDS
                && switch (i.status()) {
                    case "ACCEPTED", "DISPATCHED", "IN_PROGRESS", "RESOLVED", "CLOSED" -> true;
                    default -> false;
                };
    }

    /** A step to write: its minimum gap after the previous one, and how it is filled in. */
    private record Step(long minGap, String type, String to, Long actor, String data) {}

    private History build(Incident i, Trouble t) {
        long op = pick(operators);
        long op2 = pick(operators);
        long worker = i.assigneeId();
        long leader = pick(leaders);
        String pf = i.platform();
        List<Step> s = new ArrayList<>();
        List<Exception> ex = new ArrayList<>();
        String dispatch = dispatchData(pf, worker, null);
        s.add(new Step(60, "ACCEPT", "ACCEPTED", op, "{}"));
        if (t == Trouble.NO_OWNER) {
            s.add(new Step(60, "DISPATCH", "DISPATCHED", op, dispatch));
            long exId = nextExceptionId++;
            s.add(
                    new Step(
                            1800,
                            "RETURN_REQUESTED",
                            "DISPATCHED",
                            worker,
                            exData(exId, "RETURN", "不属于本网格职责范围，申请退回", null)));
            s.add(
                    new Step(
                            600,
                            "RETURN_APPROVED",
                            "ACCEPTED",
                            leader,
                            "{\"exceptionId\":%d,\"kind\":\"RETURN\",\"fromAssigneeId\":%d}"
                                    .formatted(exId, worker)));
            // the no-owner queue: nobody took it for more than a day
            s.add(
                    new Step(
                            26 * 3600L + rnd.nextInt(20 * 3600),
                            "DISPATCH",
                            "DISPATCHED",
                            op2,
                            dispatch));
            ex.add(exception(exId, i, "RETURN", "不属于本网格职责范围，申请退回", null, worker, leader));
        } else {
            s.add(new Step(60, "DISPATCH", "DISPATCHED", op, dispatch));
        }
        if (t == Trouble.PASSED_BACK) {
            List<String> others = new ArrayList<>(handlers.keySet());
            others.remove(pf);
            java.util.Collections.sort(others);
            String other = others.get(rnd.nextInt(others.size()));
            long handler = pick(handlers.get(other));
            s.add(new Step(1800, "TRANSFER", "DISPATCHED", op2, dispatchData(other, handler, pf)));
            if (rnd.nextBoolean()) {
                s.add(
                        new Step(
                                1800,
                                "TRANSFER",
                                "DISPATCHED",
                                op,
                                dispatchData(pf, worker, other)));
                s.add(
                        new Step(
                                1800,
                                "TRANSFER",
                                "DISPATCHED",
                                op2,
                                dispatchData(other, handler, pf)));
            }
            s.add(new Step(1800, "TRANSFER", "DISPATCHED", op, dispatchData(pf, worker, other)));
        }
        if (t == Trouble.IGNORED_NOTICE) {
            // 催办 then 督办单 with nothing done in between; the reply comes days later
            s.add(new Step(3600, "REMINDER", "DISPATCHED", null, null));
            s.add(new Step(4 * 3600L, "SUPERVISION_NOTICE", "DISPATCHED", null, null));
            s.add(new Step(26 * 3600L, "START", "IN_PROGRESS", worker, "{}"));
        } else if (reaches(i.status(), "IN_PROGRESS")) {
            s.add(new Step(300, "START", "IN_PROGRESS", worker, "{}"));
        }
        if (t == Trouble.EXTENSIONS) {
            int n = 2 + rnd.nextInt(2);
            for (int k = 0; k < n; k++) {
                long exId = nextExceptionId++;
                int hours = 24 * (1 + rnd.nextInt(3));
                String reason = k == 0 ? "需协调相关部门，申请延期" : "当事人未到场，再次申请延期";
                s.add(
                        new Step(
                                3600,
                                "EXTENSION_REQUESTED",
                                "IN_PROGRESS",
                                worker,
                                exData(exId, "EXTENSION", reason, hours)));
                s.add(
                        new Step(
                                600,
                                "EXTENSION_APPROVED",
                                "IN_PROGRESS",
                                leader,
                                "{\"exceptionId\":%d,\"kind\":\"EXTENSION\",\"extraHours\":%d}"
                                        .formatted(exId, hours)));
                ex.add(exception(exId, i, "EXTENSION", reason, hours, worker, leader));
            }
        }
        if (reaches(i.status(), "RESOLVED")) {
            s.add(new Step(600, "RESOLVE", "RESOLVED", worker, "{}"));
            if (t == Trouble.REWORK) {
                for (int k = 0; k < 2; k++) {
                    s.add(new Step(600, "REWORK", "IN_PROGRESS", op2, "{}"));
                    s.add(new Step(1800, "RESOLVE", "RESOLVED", worker, "{}"));
                }
            }
        }
        if (reaches(i.status(), "CLOSED")) {
            s.add(new Step(300, "VERIFY", "VERIFIED", op2, "{}"));
            s.add(new Step(60, "CLOSE", "CLOSED", op, "{}"));
        }
        return place(i, t, s, ex);
    }

    /** Times: the minimum gaps, and the rest of the span shared out at random; the last at end. */
    private History place(Incident i, Trouble t, List<Step> s, List<Exception> ex) {
        long start = i.receivedAt(), end = i.importedAt();
        long min = 0;
        for (Step st : s) min += st.minGap();
        if (end - start < min) {
            nextExceptionId -= ex.size();
            return null;
        }
        double[] w = new double[s.size()];
        double total = 0;
        for (int k = 0; k < w.length; k++) total += w[k] = rnd.nextDouble();
        long slack = end - start - min;
        List<Event> out = new ArrayList<>();
        String from = "REPORTED";
        long at = start;
        for (int k = 0; k < s.size(); k++) {
            Step st = s.get(k);
            long share = (long) (slack * w[k] / total);
            // the centre accepts and dispatches within hours: a clean case never waits a day
            // unowned (the rest of the span goes to the handling after)
            if (k < 2) share = Math.min(share, PROMPT_SECONDS);
            at += st.minGap() + share;
            if (k == s.size() - 1) at = end;
            out.add(
                    new Event(
                            at,
                            st.actor(),
                            st.actor() == null ? "SYSTEM" : roleOf.get(st.actor()),
                            st.type(),
                            from,
                            st.to(),
                            note(st.type()),
                            st.data()));
            from = st.to();
        }
        fillNotices(out, i);
        // exceptions: requested and decided at the times of their events
        List<Exception> placed = new ArrayList<>();
        for (Exception e : ex) {
            long req = 0, dec = 0;
            for (Event ev : out) {
                if (ev.data() == null || !ev.data().contains("\"exceptionId\":" + e.id() + ","))
                    continue;
                if (ev.type().endsWith("_REQUESTED")) req = ev.at();
                else dec = ev.at();
            }
            placed.add(
                    new Exception(
                            e.id(),
                            e.incidentId(),
                            e.kind(),
                            e.reason(),
                            e.extraHours(),
                            e.requestedBy(),
                            req,
                            e.decidedBy(),
                            dec));
        }
        return new History(t, out, placed);
    }

    /**
     * A reminder and the 督办单 after it, as the scheduler writes them: the step's deadline falls
     * between them, and both notify the assignee (the notice also a centre operator).
     */
    private void fillNotices(List<Event> out, Incident i) {
        for (int k = 0; k < out.size(); k++) {
            Event e = out.get(k);
            if (!e.type().equals("REMINDER")) continue;
            Event notice = out.get(k + 1);
            long due = notice.at() - 60;
            String dueAt = Instant.ofEpochSecond(due).toString();
            String common =
                    "\"step\":\"HANDLE\",\"stepDueAt\":\"%s\",\"notify\":[%d"
                            .formatted(dueAt, i.assigneeId());
            out.set(k, withData(e, "{" + common + "]}"));
            out.set(k + 1, withData(notice, "{" + common + "," + pick(operators) + "]}"));
        }
    }

    private static Event withData(Event e, String data) {
        return new Event(
                e.at(), e.actorId(), e.actorRole(), e.type(), e.from(), e.to(), e.note(), data);
    }

    private static String note(String type) {
        return switch (type) {
            case "REMINDER" -> "催办: the HANDLE deadline is near";
            case "SUPERVISION_NOTICE" -> "督办单: the HANDLE deadline has passed";
            case "REWORK" -> "现场核查未整改到位，退回重办";
            case "RESOLVE" -> "已处置完毕";
            default -> null;
        };
    }

    private static boolean reaches(String status, String stage) {
        List<String> order =
                List.of("ACCEPTED", "DISPATCHED", "IN_PROGRESS", "RESOLVED", "VERIFIED", "CLOSED");
        return order.indexOf(status) >= order.indexOf(stage);
    }

    private static String dispatchData(String platform, long assignee, String fromPlatform) {
        return "{\"platform\":\"%s\",\"assigneeId\":%d,\"auto\":%s%s}"
                .formatted(
                        platform,
                        assignee,
                        fromPlatform == null,
                        fromPlatform == null ? "" : ",\"fromPlatform\":\"" + fromPlatform + "\"");
    }

    private static String exData(long id, String kind, String reason, Integer hours) {
        return "{\"exceptionId\":%d,\"kind\":\"%s\",\"reason\":\"%s\"%s}"
                .formatted(id, kind, reason, hours == null ? "" : ",\"extraHours\":" + hours);
    }

    private static Exception exception(
            long id, Incident i, String kind, String reason, Integer hours, long by, long dec) {
        return new Exception(id, i.id(), kind, reason, hours, by, 0, dec, 0);
    }

    private long pick(List<Long> ids) {
        return ids.get(rnd.nextInt(ids.size()));
    }
}
