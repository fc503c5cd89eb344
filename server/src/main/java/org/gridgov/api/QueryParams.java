package org.gridgov.api;

import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;

/** Typed query parameters; each refusal is a 400 problem naming the parameter. */
public final class QueryParams {

    private QueryParams() {}

    public static OffsetDateTime time(RoutingContext ctx, String name) {
        String v = Handlers.param(ctx, name);
        if (v == null) return null;
        try {
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            name,
                            "'"
                                    + v
                                    + "' is not an ISO-8601 date-time with offset, e.g. 2026-11-01T00:00:00+08:00"));
        }
    }

    public static Long positiveLong(RoutingContext ctx, String name) {
        String v = Handlers.param(ctx, name);
        if (v == null) return null;
        try {
            long id = Long.parseLong(v);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProblemException(
                Problem.invalidParameter(
                        name, "'" + name + "' must be a positive id, got '" + v + "'"));
    }

    public static String oneOf(RoutingContext ctx, String name, Collection<String> allowed) {
        String v = Handlers.param(ctx, name);
        if (v != null && !allowed.contains(v)) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            name,
                            "'"
                                    + v
                                    + "' is not a valid "
                                    + name
                                    + "; one of "
                                    + allowed.stream().sorted().toList()));
        }
        return v;
    }

    /** A number within [min, max], or the default when absent. */
    public static double number(
            RoutingContext ctx, String name, double min, double max, double defaultValue) {
        String v = Handlers.param(ctx, name);
        if (v == null) return defaultValue;
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= min && d <= max)) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            name,
                            "'"
                                    + name
                                    + "' must be a number from "
                                    + min
                                    + " to "
                                    + max
                                    + ", got '"
                                    + v
                                    + "'"));
        }
        return d;
    }

    public static int whole(RoutingContext ctx, String name, int min, int max, int defaultValue) {
        String v = Handlers.param(ctx, name);
        if (v == null) return defaultValue;
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            n = min - 1;
        }
        if (n < min || n > max) {
            throw new ProblemException(
                    Problem.invalidParameter(
                            name,
                            "'"
                                    + name
                                    + "' must be a whole number from "
                                    + min
                                    + " to "
                                    + max
                                    + ", got '"
                                    + v
                                    + "'"));
        }
        return n;
    }

    /** 'to' must come after 'from' when both are given. */
    public static void requireOrder(OffsetDateTime from, OffsetDateTime to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw new ProblemException(
                    Problem.invalidParameter("to", "'to' must be later than 'from'"));
        }
    }
}
