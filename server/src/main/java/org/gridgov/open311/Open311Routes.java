package org.gridgov.open311;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.gridgov.api.ClientAddress;
import org.gridgov.api.Multipart;
import org.gridgov.api.ProblemException;
import org.gridgov.api.RateLimit;
import org.gridgov.api.Responses;
import org.gridgov.category.Category;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.geocode.AddressInput;
import org.gridgov.incident.AddressIntake;
import org.gridgov.incident.Channel;
import org.gridgov.incident.FirstStep;
import org.gridgov.incident.IncidentReport;
import org.gridgov.incident.IncidentRouter;
import org.gridgov.incident.IncidentStore;
import org.gridgov.incident.LookupCode;
import org.gridgov.incident.ReportPhotos;
import org.gridgov.incident.Routing;
import org.gridgov.media.PublicPhotos;

/**
 * Open311 GeoReport v2 at /open311/v2/: services and service requests, JSON or XML by the path's
 * suffix, mapped onto the category taxonomy and the case flow (channel PUBLIC_ONLINE). Errors are
 * GeoReport's [{"code", "description"}], so existing Open311 clients work unchanged. Extensions:
 * GET requests with lat/long/radius lists nearby open requests; POST with follow_request_id follows
 * one of them instead of filing a duplicate. Lists show only what the public reported in public
 * categories ({@link Open311Store}); every POST counts against the caller's address in the limit
 * shared by all anonymous writes. docs/open311.md.
 */
public final class Open311Routes {

    static final String BASE = "/open311/v2";
    static final int DEFAULT_RADIUS_M = 50;
    private static final int MAX_DESCRIPTION = 4000;

    private final CategoryCatalog catalog;
    private final IncidentRouter router;
    private final IncidentStore incidents;
    private final FirstStep.Planner firstStep;
    private final Open311Store store;
    private final RateLimit anonymousWrites;
    private final Clock clock;
    private final ZoneId zone;
    private final ServiceDefinitions definitions;
    private final LookupCode lookupCodes;
    // GeoReport's photo: the file "media" on POST, "media_url" on requests (docs/media.md)
    private final ReportPhotos photos;
    private final PublicPhotos publicPhotos;
    private final AddressIntake addresses;

    static final String MEDIA_PART = "media";

    /**
     * @param photos checks and stores a request's {@code media} file; null: none taken
     * @param publicPhotos the approved photos that requests show as {@code media_url}; null: none
     */
    public Open311Routes(
            CategoryCatalog catalog,
            IncidentRouter router,
            IncidentStore incidents,
            FirstStep.Planner firstStep,
            Open311Store store,
            RateLimit anonymousWrites,
            Clock clock,
            ZoneId zone,
            ServiceDefinitions definitions,
            LookupCode lookupCodes,
            ReportPhotos photos,
            PublicPhotos publicPhotos,
            AddressIntake addresses) {
        this.photos = photos == null ? ReportPhotos.NONE : photos;
        this.publicPhotos = publicPhotos;
        this.addresses = addresses;
        this.catalog = catalog;
        this.router = router;
        this.incidents = incidents;
        this.firstStep = firstStep;
        this.store = store;
        this.anonymousWrites = anonymousWrites;
        this.clock = clock;
        this.zone = zone;
        this.definitions = definitions;
        this.lookupCodes = lookupCodes;
    }

    public void mount(Router r) {
        r.route(BASE + "/*").order(-1).failureHandler(this::failure);
        for (String f : List.of("json", "xml")) {
            boolean xml = f.equals("xml");
            r.get(BASE + "/services." + f).handler(ctx -> services(ctx, xml));
            r.get(BASE + "/services/:code." + f).handler(ctx -> definition(ctx, xml));
            r.get(BASE + "/requests." + f).handler(ctx -> requests(ctx, xml));
            r.post(BASE + "/requests." + f)
                    .handler(Multipart.reader(photos.limits(MEDIA_PART)))
                    .handler(ctx -> create(ctx, xml));
            r.get(BASE + "/requests/:id." + f).handler(ctx -> one(ctx, xml));
        }
    }

    private void failure(RoutingContext ctx) {
        boolean xml = ctx.request().path().endsWith(".xml");
        int status;
        String description;
        Throwable t = ctx.failure();
        if (t instanceof Open311Error e) {
            status = e.status;
            description = e.getMessage();
        } else if (t instanceof ProblemException p) {
            status = p.problem().status();
            description =
                    p.problem().detail()
                            + (p.problem().field() == null ? "" : " (" + p.problem().field() + ")");
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            status = ctx.statusCode();
            description = t == null ? "bad request" : t.getMessage();
        } else {
            ctx.next(); // a bug: the server's failure handler logs it
            return;
        }
        ArrayNode arr = Responses.JSON.createArrayNode();
        arr.addObject().put("code", status).put("description", description);
        Format.send(ctx, xml, status, "errors", "error", arr);
    }

    private void services(RoutingContext ctx, boolean xml) {
        ArrayNode arr = Responses.JSON.createArrayNode();
        for (Category c : catalog.all()) {
            if (c.districtAuthority())
                continue; // district matters are not taken from the public here
            arr.addObject()
                    .put("service_code", c.code())
                    .put("service_name", c.nameZh())
                    .put("description", c.nameEn())
                    .put("metadata", definitions.has(c.code()))
                    .put("type", "realtime")
                    .put("keywords", c.urgency().equals("URGENT") ? "urgent" : "")
                    .put("group", c.platform());
        }
        Format.send(ctx, xml, 200, "services", "service", arr);
    }

    private void definition(RoutingContext ctx, boolean xml) {
        String code = ctx.pathParam("code");
        if (catalog.find(code).isEmpty()) throw new Open311Error(404, "no service '" + code + "'");
        Format.sendTree(ctx, xml, 200, "service_definition", definitions.definition(code));
    }

    private void one(RoutingContext ctx, boolean xml) {
        long id = id(ctx.pathParam("id"));
        blocking(
                ctx,
                xml,
                () -> withMedia(ctx, store.byIds(List.of(id))),
                list -> {
                    if (list.isEmpty()) throw new Open311Error(404, "no service request " + id);
                    return list;
                });
    }

    private void requests(RoutingContext ctx, boolean xml) {
        String ids = param(ctx, "service_request_id");
        if (ids != null) {
            List<Long> list = new ArrayList<>();
            for (String s : ids.split(",")) list.add(id(s.trim()));
            if (list.size() > 100)
                throw new Open311Error(400, "at most 100 service_request_id values");
            blocking(ctx, xml, () -> withMedia(ctx, store.byIds(list)), l -> l);
            return;
        }
        String code = param(ctx, "service_code");
        if (code != null && catalog.find(code).isEmpty())
            throw new Open311Error(400, "unknown service_code '" + code + "'");
        String status = param(ctx, "status");
        if (status != null && !status.equals("open") && !status.equals("closed"))
            throw new Open311Error(400, "status is open or closed");
        OffsetDateTime now = OffsetDateTime.now(clock);
        OffsetDateTime end = time(ctx, "end_date", now.plusMinutes(5));
        OffsetDateTime start = time(ctx, "start_date", end.minusDays(90));
        if (!start.isBefore(end)) throw new Open311Error(400, "start_date must be before end_date");
        if (start.plusDays(90).isBefore(end))
            throw new Open311Error(400, "at most 90 days between start_date and end_date");
        Double lat = number(ctx, "lat"), lon = number(ctx, "long");
        if ((lat == null) != (lon == null))
            throw new Open311Error(400, "give lat and long together");
        String radiusText = param(ctx, "radius");
        int radius = DEFAULT_RADIUS_M;
        if (radiusText != null) {
            try {
                radius = Integer.parseInt(radiusText);
            } catch (NumberFormatException e) {
                radius = -1;
            }
            if (radius < 1 || radius > 1000)
                throw new Open311Error(400, "radius is a whole number of metres from 1 to 1000");
        }
        int r = radius;
        blocking(
                ctx,
                xml,
                () ->
                        withMedia(
                                ctx,
                                store.search(
                                        code,
                                        status,
                                        start,
                                        end,
                                        lon,
                                        lat,
                                        r,
                                        1000,
                                        JurisdictionCheck.subdistrictOf(ctx))),
                l -> l);
    }

    private void create(RoutingContext ctx, boolean xml) {
        // keyed on the address, not on api_key: a key is whatever the caller says, so it limited
        // nothing
        String address = ClientAddress.of(ctx);
        if (!anonymousWrites.tryTake(address)) {
            ctx.response()
                    .putHeader(
                            "Retry-After",
                            Integer.toString(Math.max(1, 60 / anonymousWrites.perMinute())));
            throw new Open311Error(
                    429,
                    "at most "
                            + anonymousWrites.perMinute()
                            + " requests a minute from one address; try again shortly");
        }
        String follow = param(ctx, "follow_request_id");
        if (follow != null) {
            long id = id(follow);
            String phone = phone(ctx);
            String follower = phone != null ? "phone:" + phone : "address:" + address;
            blocking(
                    ctx,
                    xml,
                    () -> {
                        if (!store.follow(id, follower, clock.instant()))
                            throw new Open311Error(
                                    404, "no open service request " + id + " to follow");
                        ArrayNode arr = Responses.JSON.createArrayNode();
                        arr.addObject()
                                .put("service_request_id", Long.toString(id))
                                .put("service_notice", "您已关注该事项 (you now follow this request)")
                                .putNull("account_id");
                        return arr;
                    },
                    a -> a);
            return;
        }
        String code = param(ctx, "service_code");
        if (code == null) throw new Open311Error(400, "service_code is required");
        Category category =
                catalog.find(code)
                        .orElseThrow(
                                () -> new Open311Error(400, "unknown service_code '" + code + "'"));
        Double lat = number(ctx, "lat"), lon = number(ctx, "long");
        // address_string stands in for lat/long (docs/addresses.md); with them, the point wins
        String addressString = lat == null && lon == null ? param(ctx, "address_string") : null;
        if ((lat == null || lon == null) && addressString == null)
            throw new Open311Error(
                    400,
                    lat == null && lon == null
                            ? "lat and long are required (or address_string instead)"
                            : "give lat and long together");
        if (addressString != null) {
            if (addresses == null)
                throw new Open311Error(400, "lat and long are required (no address lookup here)");
            AddressInput.check(addressString, "address_string", 400);
            lat = Double.NaN;
            lon = Double.NaN;
        } else if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
            throw new Open311Error(400, "lat/long out of range");
        String description = param(ctx, "description");
        if (description != null && description.length() > MAX_DESCRIPTION)
            throw new Open311Error(400, "description is longer than " + MAX_DESCRIPTION);
        String name = join(param(ctx, "first_name"), param(ctx, "last_name"));
        if (name != null && name.length() > 100)
            throw new Open311Error(400, "name is longer than 100");
        String phone = phone(ctx);
        // the answers to the service's own questions, kept on the REPORTED event for staff
        ObjectNode asked = Responses.JSON.createObjectNode();
        ArrayNode answers = definitions.answers(code, params(ctx));
        if (!answers.isEmpty()) asked.set("attributes", answers);
        IncidentReport report =
                new IncidentReport(
                        category,
                        Channel.PUBLIC_ONLINE,
                        lon,
                        lat,
                        description == null ? "" : description,
                        OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MICROS),
                        name,
                        phone);
        Multipart.Form form = Multipart.form(ctx);
        List<Multipart.FilePart> files = form == null ? List.of() : form.files();
        if (addressString != null) {
            if (!files.isEmpty())
                throw new Open311Error(
                        400,
                        "a photo goes with a request given by lat/long; a request given by"
                                + " address_string waits to be placed and cannot hold one yet");
            byAddress(ctx, xml, report, addressString.strip(), asked);
            return;
        }
        blocking(
                ctx,
                xml,
                () -> {
                    // the file is checked, then written, once the request is valid
                    ReportPhotos.Staged staged = photos.stage(files, null);
                    Routing routing = router.route(report);
                    var intake =
                            incidents.insert(
                                    report,
                                    routing,
                                    firstStep.plan(report, routing),
                                    null,
                                    null,
                                    null,
                                    asked,
                                    staged.isEmpty() ? null : staged::insert);
                    ArrayNode arr = Responses.JSON.createArrayNode();
                    filed(arr, intake.incident().id(), routing.transferred());
                    return arr;
                },
                a -> a);
    }

    /**
     * The answer to a filed request. The lookup code goes where every app shows it (the notice)
     * and, for apps that know it, in a field of its own (docs/open311.md).
     */
    private void filed(ArrayNode arr, long ticket, boolean transferred) {
        String lookup = lookupCodes.of(ticket);
        arr.addObject()
                .put("service_request_id", Long.toString(ticket))
                .put(
                        "service_notice",
                        (transferred
                                        ? "已转区指挥中心 (referred to the district command centre)"
                                        : "已收到 (received)")
                                + "。受理编号 "
                                + ticket
                                + "，查询码 "
                                + lookup
                                + " (ticket "
                                + ticket
                                + ", lookup code "
                                + lookup
                                + ")")
                .putNull("account_id")
                .put("lookup_code", lookup);
    }

    /**
     * GeoReport's media_url: the first photo an operator approved, as an absolute URL (GeoReport
     * clients fetch it as given) on the origin the request came to.
     */
    private List<ObjectNode> withMedia(RoutingContext ctx, List<ObjectNode> requests)
            throws java.sql.SQLException {
        if (publicPhotos == null || requests.isEmpty()) return requests;
        List<Long> ids =
                requests.stream()
                        .map(n -> Long.parseLong(n.get("service_request_id").asText()))
                        .toList();
        var urls = publicPhotos.approved(ids);
        String origin = origin(ctx);
        for (ObjectNode n : requests) {
            List<String> u = urls.get(Long.parseLong(n.get("service_request_id").asText()));
            if (u != null && !u.isEmpty()) n.put("media_url", origin + u.get(0));
        }
        return requests;
    }

    private static String origin(RoutingContext ctx) {
        var a = ctx.request().authority();
        return ctx.request().scheme() + "://" + (a == null ? "localhost" : a.toString());
    }

    /**
     * Placed by the address's best match (201, a service_request_id), or queued for an operator to
     * place (202 with a token: GeoReport's answer for a request that has no id yet).
     */
    private void byAddress(
            RoutingContext ctx, boolean xml, IncidentReport report, String text, ObjectNode asked) {
        ctx.vertx()
                .executeBlocking(
                        () ->
                                addresses.take(
                                        report, text, "address_string", null, null, null, asked),
                        false)
                .onComplete(
                        ar -> {
                            if (ar.failed()) {
                                ctx.fail(ar.cause());
                                return;
                            }
                            ArrayNode arr = Responses.JSON.createArrayNode();
                            int status;
                            if (ar.result() instanceof AddressIntake.Placed p) {
                                status = 201;
                                filed(arr, p.intake().incident().id(), p.routing().transferred());
                            } else {
                                AddressIntake.Queued q = (AddressIntake.Queued) ar.result();
                                status = 202;
                                arr.addObject()
                                        .put("token", "placement-" + q.held().id())
                                        .put(
                                                "service_notice",
                                                "已收到，地址待人工定位 (received; an operator will"
                                                        + " place the address on the map)")
                                        .putNull("account_id");
                            }
                            Format.send(ctx, xml, status, "service_requests", "request", arr);
                        });
    }

    private interface Work<T> {
        T run() throws Exception;
    }

    @SuppressWarnings("unchecked")
    private <T> void blocking(
            RoutingContext ctx,
            boolean xml,
            Work<T> work,
            java.util.function.Function<T, ?> shape) {
        ctx.vertx()
                .executeBlocking(work::run, false)
                .onComplete(
                        ar -> {
                            if (ar.failed()) {
                                ctx.fail(ar.cause());
                                return;
                            }
                            try {
                                Object out = shape.apply(ar.result());
                                ArrayNode arr;
                                if (out instanceof ArrayNode a) arr = a;
                                else {
                                    arr = Responses.JSON.createArrayNode();
                                    arr.addAll((List<ObjectNode>) out);
                                }
                                int status =
                                        ctx.request().method().name().equals("POST") ? 201 : 200;
                                Format.send(
                                        ctx,
                                        xml,
                                        status,
                                        ctx.request().path().contains("/requests")
                                                ? "service_requests"
                                                : "services",
                                        "request",
                                        arr);
                            } catch (RuntimeException e) {
                                ctx.fail(e);
                            }
                        });
    }

    private static String param(RoutingContext ctx, String name) {
        List<String> all = new ArrayList<>(ctx.request().params().getAll(name));
        if (all.isEmpty()) return null;
        if (all.size() > 1)
            throw new Open311Error(400, "'" + name + "' is given " + all.size() + " times");
        String v = all.get(0);
        // Vert.x decodes bytes that are not UTF-8 to U+FFFD: refuse them rather than store the
        // replacement
        if (v != null && v.indexOf('\uFFFD') >= 0)
            throw new Open311Error(400, "'" + name + "' is not valid UTF-8");
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** Every parameter by name (query and form), for the attribute[...] answers. */
    private static java.util.Map<String, List<String>> params(RoutingContext ctx) {
        java.util.Map<String, List<String>> all = new java.util.LinkedHashMap<>();
        for (String n : ctx.request().params().names())
            all.put(n, ctx.request().params().getAll(n));
        return all;
    }

    private static String phone(RoutingContext ctx) {
        String phone = param(ctx, "phone");
        if (phone != null && !phone.matches("[0-9+\\- ]{3,32}"))
            throw new Open311Error(400, "phone may contain only digits, '+', '-' and spaces");
        return phone;
    }

    private static Double number(RoutingContext ctx, String name) {
        String v = param(ctx, name);
        if (v == null) return null;
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) throw new NumberFormatException();
            return d;
        } catch (NumberFormatException e) {
            throw new Open311Error(400, "'" + name + "' must be a number, got '" + v + "'");
        }
    }

    private OffsetDateTime time(RoutingContext ctx, String name, OffsetDateTime def) {
        String v = param(ctx, name);
        if (v == null) return def;
        try {
            return OffsetDateTime.parse(v);
        } catch (DateTimeParseException e) {
            throw new Open311Error(
                    400,
                    "'"
                            + name
                            + "' must be a W3C date-time with offset, e.g. 2026-11-25T09:00:00+08:00");
        }
    }

    private static long id(String s) {
        try {
            long id = Long.parseLong(s);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new Open311Error(404, "'" + s + "' is not a service request id");
    }

    private static String join(String a, String b) {
        if (a == null) return b;
        return b == null ? a : a + " " + b;
    }
}
