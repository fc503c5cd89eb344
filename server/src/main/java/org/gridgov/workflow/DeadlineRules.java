package org.gridgov.workflow;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.gridgov.api.Csv;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.RefKind;
import org.gridgov.category.ReferenceData;
import org.gridgov.category.Versioned;

/**
 * Step deadlines as data (gis-data/workflow/deadlines.csv): per category (or platform, or any),
 * urgency and step, a limit in working hours, working days or calendar hours, when to remind and
 * when to escalate. {@link #plan} turns a rule into the instants of one step's clock.
 */
public final class DeadlineRules {

    static final String RESOURCE = "/gis-data/workflow/deadlines.csv";

    /** Versioned reference data (docs/reference-data.md), seeded from deadlines.csv. */
    public static final RefKind<List<Rule>> KIND =
            new RefKind<>(
                    "deadlines",
                    RESOURCE,
                    List.of(
                            RefKind.text("category"),
                            RefKind.text("urgency"),
                            RefKind.text("step"),
                            RefKind.number("limit"),
                            RefKind.text("unit"),
                            RefKind.number("remindBefore"),
                            RefKind.number("escalateAfter"),
                            RefKind.text("escalateTo")),
                    rows -> checked(rows.stream().map(DeadlineRules::row).toList()));

    private static final List<String> COLUMNS = KIND.columnNames();

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
    // null for a fixed set of rules; else the versions at(reportedAt) picks from
    private final Versioned<List<Rule>> versions;
    private final Versioned<WorkingCalendar> calendars;

    public DeadlineRules(List<Rule> rules, WorkingCalendar calendar) {
        this.rules = List.copyOf(rules);
        this.calendar = calendar;
        this.versions = null;
        this.calendars = null;
    }

    /**
     * The rules as the server keeps them: {@link #at} gives those in force when a case was
     * reported, counted in the calendar in force now (a calendar lists the days, it is no rule a
     * case was promised); the other methods use the rules in force now.
     */
    public DeadlineRules(Versioned<List<Rule>> versions, Versioned<WorkingCalendar> calendars) {
        this.rules = null;
        this.calendar = null;
        this.versions = versions;
        this.calendars = calendars;
    }

    /** The rules in force at a case's report time. */
    public DeadlineRules at(Instant reportedAt) {
        return versions == null
                ? this
                : new DeadlineRules(versions.at(reportedAt), calendars.current());
    }

    private List<Rule> rules() {
        return versions == null ? rules : versions.current();
    }

    /**
     * The rules as the server keeps them, registered with {@code data} (seeded on a new database);
     * a rule's category must be a category (or "platform:CODE" a platform) in force when the rules
     * take effect, and a category a rule names cannot be removed.
     */
    public static DeadlineRules register(
            ReferenceData data, Versioned<WorkingCalendar> calendars, CategoryCatalog categories)
            throws java.sql.SQLException {
        Versioned<List<Rule>> v = data.register(KIND);
        data.check(
                KIND,
                (list, rows, from) -> {
                    for (int i = 0; i < list.size(); i++)
                        RuleTargets.check(list.get(i).category(), categories.at(from), i);
                });
        data.check(
                CategoryCatalog.KIND,
                (set, rows, from) ->
                        RuleTargets.stillNamed(
                                v.at(from).stream().map(Rule::category).toList(),
                                set,
                                "deadline rules"));
        return new DeadlineRules(v, calendars);
    }

    public static DeadlineRules fromClasspath(WorkingCalendar calendar) {
        // the seed the server starts from on a new database
        return new DeadlineRules(
                checked(
                        Csv.fromClasspath(
                                DeadlineRules.class, RESOURCE, COLUMNS, DeadlineRules::row)),
                calendar);
    }

    static List<Rule> parse(InputStream in) {
        return checked(Csv.read(RESOURCE.substring(1), in, COLUMNS, DeadlineRules::row));
    }

    private static Rule row(Csv.Row r) {
        String urgency = r.text("urgency");
        if (!List.of("*", "NORMAL", "URGENT").contains(urgency))
            throw r.error("urgency", "must be *, NORMAL or URGENT, found '" + urgency + "'");
        if (r.text("category").isEmpty()) throw r.error("category", "must not be empty");
        for (String c : List.of("remindBefore", "escalateAfter"))
            if (r.number(c) < 0) throw r.error(c, "must not be negative, found " + r.text(c));
        String escalateTo = r.text("escalateTo");
        if (!escalateTo.equals("CHIEF") && !escalateTo.equals("DISTRICT"))
            throw r.error("escalateTo", "must be CHIEF or DISTRICT, found '" + escalateTo + "'");
        double limit = r.number("limit");
        if (!(limit > 0)) throw r.error("limit", "must be positive, found " + r.text("limit"));
        return new Rule(
                r.text("category"),
                r.text("urgency"),
                r.oneOf(Step.class, "step"),
                limit,
                r.oneOf(Unit.class, "unit"),
                r.number("remindBefore"),
                r.number("escalateAfter"),
                escalateTo);
    }

    private static List<Rule> checked(List<Rule> out) {
        for (Step s : Step.values()) {
            if (out.stream()
                    .noneMatch(
                            x ->
                                    x.step() == s
                                            && x.category().equals("*")
                                            && x.urgency().equals("*"))) {
                throw new IllegalStateException(
                        "deadline rules: no default rule (*,*) for step " + s);
            }
        }
        return out;
    }

    public WorkingCalendar calendar() {
        return calendars == null ? calendar : calendars.current();
    }

    public Rule rule(String category, String platform, String urgency, Step step) {
        Rule best = null;
        for (Rule r : rules()) {
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
        Instant due = calendar().plusWorkingMinutes(c.dueAt(), extraHours * 60L);
        Instant escalate = r.escalateAfter() > 0 ? after(due, r.escalateAfter(), r.unit()) : null;
        return new StepClock(c.step(), due, null, escalate, r.escalateTo());
    }

    Instant after(Instant start, double amount, Unit unit) {
        return switch (unit) {
            case H -> start.plusSeconds(Math.round(amount * 3600));
            case WH -> calendar().plusWorkingMinutes(start, Math.round(amount * 60));
            case WD ->
                    calendar()
                            .plusWorkingMinutes(
                                    start, Math.round(amount * calendar().dayMinutes()));
        };
    }
}
