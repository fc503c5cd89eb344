package org.gridgov.workflow;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Step deadlines as data (gis-data/workflow/deadlines.csv): per category (or platform, or any),
 * urgency and step, a limit in working hours, working days or calendar hours, when to remind and
 * when to escalate. {@link #plan} turns a rule into the instants of one step's clock.
 */
public final class DeadlineRules {

    static final String RESOURCE = "/gis-data/workflow/deadlines.csv";
    private static final String HEADER =
            "category,urgency,step,limit,unit,remindBefore,escalateAfter,escalateTo";

    public enum Unit {
        WH,
        WD,
        H
    }

    public record Rule(
            String category,
            String urgency,
            Step step,
            double limit,
            Unit unit,
            double remindBefore,
            double escalateAfter,
            String escalateTo) {
        int specificity() {
            int s = category.equals("*") ? 0 : category.startsWith("platform:") ? 2 : 4;
            return s + (urgency.equals("*") ? 0 : 1);
        }

        boolean matches(String cat, String platform, String urg, Step st) {
            if (st != step) return false;
            if (!urgency.equals("*") && !urgency.equals(urg)) return false;
            return category.equals("*")
                    || category.equals(cat)
                    || category.equals("platform:" + platform);
        }
    }

    /**
     * One step's clock: when it is due, when to remind (null: no reminder), when to escalate (null:
     * never).
     */
    public record StepClock(
            Step step, Instant dueAt, Instant remindAt, Instant escalateAt, String escalateTo) {}

    private final List<Rule> rules;
    private final WorkingCalendar calendar;

    public DeadlineRules(List<Rule> rules, WorkingCalendar calendar) {
        this.rules = List.copyOf(rules);
        this.calendar = calendar;
    }

    public static DeadlineRules fromClasspath(WorkingCalendar calendar) {
        try (InputStream in = DeadlineRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null)
                throw new IllegalStateException(
                        "deadline rules missing from the build: " + RESOURCE);
            return new DeadlineRules(parse(in), calendar);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    static List<Rule> parse(InputStream in) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        List<Rule> out = new ArrayList<>();
        String line;
        int n = 0;
        boolean header = false;
        while ((line = r.readLine()) != null) {
            n++;
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (!header) {
                if (!line.equals(HEADER))
                    throw new IllegalStateException(RESOURCE + ": header must be '" + HEADER + "'");
                header = true;
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                if (f.length != 8) throw new IllegalArgumentException("8 fields expected");
                if (!f[7].equals("CHIEF") && !f[7].equals("DISTRICT"))
                    throw new IllegalArgumentException("escalateTo must be CHIEF or DISTRICT");
                double limit = Double.parseDouble(f[3]);
                if (!(limit > 0)) throw new IllegalArgumentException("limit must be positive");
                out.add(
                        new Rule(
                                f[0],
                                f[1],
                                Step.valueOf(f[2]),
                                limit,
                                Unit.valueOf(f[4]),
                                Double.parseDouble(f[5]),
                                Double.parseDouble(f[6]),
                                f[7]));
            } catch (RuntimeException e) {
                throw new IllegalStateException(RESOURCE + " line " + n + ": " + e.getMessage(), e);
            }
        }
        for (Step s : Step.values()) {
            if (out.stream()
                    .noneMatch(
                            x ->
                                    x.step() == s
                                            && x.category().equals("*")
                                            && x.urgency().equals("*"))) {
                throw new IllegalStateException(RESOURCE + ": no default rule (*,*) for step " + s);
            }
        }
        return out;
    }

    public WorkingCalendar calendar() {
        return calendar;
    }

    public Rule rule(String category, String platform, String urgency, Step step) {
        Rule best = null;
        for (Rule r : rules) {
            if (r.matches(category, platform, urgency, step)
                    && (best == null || r.specificity() > best.specificity())) best = r;
        }
        return best;
    }

    /** The clock of a step entered at {@code start}. */
    public StepClock plan(
            String category, String platform, String urgency, Step step, Instant start) {
        Rule r = rule(category, platform, urgency, step);
        Instant due = after(start, r.limit(), r.unit());
        Instant remind =
                r.remindBefore() > 0 && r.remindBefore() < r.limit()
                        ? after(start, r.limit() - r.remindBefore(), r.unit())
                        : null;
        Instant escalate = r.escalateAfter() > 0 ? after(due, r.escalateAfter(), r.unit()) : null;
        return new StepClock(step, due, remind, escalate, r.escalateTo());
    }

    /** A step clock moved by an approved extension of {@code extraHours} working hours. */
    public StepClock extend(
            StepClock c, String category, String platform, String urgency, int extraHours) {
        Rule r = rule(category, platform, urgency, c.step());
        Instant due = calendar.plusWorkingMinutes(c.dueAt(), extraHours * 60L);
        Instant escalate = r.escalateAfter() > 0 ? after(due, r.escalateAfter(), r.unit()) : null;
        return new StepClock(c.step(), due, null, escalate, r.escalateTo());
    }

    Instant after(Instant start, double amount, Unit unit) {
        return switch (unit) {
            case H -> start.plusSeconds(Math.round(amount * 3600));
            case WH -> calendar.plusWorkingMinutes(start, Math.round(amount * 60));
            case WD ->
                    calendar.plusWorkingMinutes(start, Math.round(amount * calendar.dayMinutes()));
        };
    }
}
