package org.gridgov.app;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.gridgov.accountability.AccountabilityQueries;
import org.gridgov.accountability.AccountabilityRoutes;
import org.gridgov.analytics.AnalyticsQueries;
import org.gridgov.analytics.AnalyticsRoutes;
import org.gridgov.analytics.BinTiles;
import org.gridgov.analytics.IncidentPoints;
import org.gridgov.analytics.StudyArea;
import org.gridgov.api.ApiRouter;
import org.gridgov.api.ClientAddress;
import org.gridgov.api.HeaderTimeout;
import org.gridgov.api.OpenApiRoutes;
import org.gridgov.api.RateLimit;
import org.gridgov.area.AreaQueries;
import org.gridgov.area.AreaRoutes;
import org.gridgov.area.Jurisdictions;
import org.gridgov.assess.KpiCalculator;
import org.gridgov.assess.KpiRoutes;
import org.gridgov.assess.KpiSettlementStore;
import org.gridgov.assess.ScoringScheme;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.category.CategoryRoutes;
import org.gridgov.category.ReferenceData;
import org.gridgov.category.ReferenceRoutes;
import org.gridgov.category.ReferenceStore;
import org.gridgov.category.Versioned;
import org.gridgov.db.Database;
import org.gridgov.district.DistrictRoutes;
import org.gridgov.district.DistrictStore;
import org.gridgov.geocode.GazetteerStore;
import org.gridgov.geocode.GeocodeRoutes;
import org.gridgov.geocode.Geocoder;
import org.gridgov.grid.GridQueries;
import org.gridgov.grid.GridRoutes;
import org.gridgov.grid.GridTransactions;
import org.gridgov.grid.ImportRoutes;
import org.gridgov.grid.PlanRoutes;
import org.gridgov.grid.PlanTimeline;
import org.gridgov.grid.Planning;
import org.gridgov.grid.RebalanceRoutes;
import org.gridgov.grid.UploadConversion;
import org.gridgov.grid.WorkloadRoutes;
import org.gridgov.health.HealthProbe;
import org.gridgov.health.HealthRoutes;
import org.gridgov.incident.AddressIntake;
import org.gridgov.incident.EscalationQueries;
import org.gridgov.incident.IncidentPartitionStore;
import org.gridgov.incident.IncidentRouter;
import org.gridgov.incident.IncidentRoutes;
import org.gridgov.incident.IncidentStore;
import org.gridgov.incident.IntakeBatcher;
import org.gridgov.incident.LookupCode;
import org.gridgov.incident.PlacementRoutes;
import org.gridgov.incident.PlacementStore;
import org.gridgov.incident.ReporterRetention;
import org.gridgov.job.JobRoutes;
import org.gridgov.job.Jobs;
import org.gridgov.live.EventRelay;
import org.gridgov.live.LiveRoutes;
import org.gridgov.media.FileMediaStore;
import org.gridgov.media.MediaIntake;
import org.gridgov.media.MediaQueries;
import org.gridgov.media.MediaRoutes;
import org.gridgov.media.MediaSettings;
import org.gridgov.media.MediaStore;
import org.gridgov.media.MediaSweep;
import org.gridgov.media.Photos;
import org.gridgov.media.PublicPhotos;
import org.gridgov.media.S3MediaStore;
import org.gridgov.notify.Notifications;
import org.gridgov.ogc.OgcPublishing;
import org.gridgov.open311.Discovery;
import org.gridgov.open311.JurisdictionCheck;
import org.gridgov.open311.Open311Routes;
import org.gridgov.open311.Open311Store;
import org.gridgov.open311.ServiceDefinitions;
import org.gridgov.patrol.PatrolRoutes;
import org.gridgov.patrol.PatrolStore;
import org.gridgov.patrol.RoadGraph;
import org.gridgov.people.Access;
import org.gridgov.people.AccessGuard;
import org.gridgov.people.Authentication;
import org.gridgov.people.LoginThrottle;
import org.gridgov.people.PeopleRoutes;
import org.gridgov.people.Sessions;
import org.gridgov.people.StaffDirectory;
import org.gridgov.people.StaffRoutes;
import org.gridgov.people.StaffStore;
import org.gridgov.people.Tokens;
import org.gridgov.place.Departments;
import org.gridgov.place.PlaceRoutes;
import org.gridgov.place.PlaceStore;
import org.gridgov.place.PlaceSubjects;
import org.gridgov.rebalance.WorkloadModel;
import org.gridgov.roster.DutyRoster;
import org.gridgov.roster.RosterRoutes;
import org.gridgov.roster.RosterStore;
import org.gridgov.task.CampaignRoutes;
import org.gridgov.task.CampaignStore;
import org.gridgov.task.Rechecks;
import org.gridgov.task.TaskRoutes;
import org.gridgov.task.TaskStore;
import org.gridgov.tiles.IncidentTiles;
import org.gridgov.tiles.OgcTilesRoutes;
import org.gridgov.tiles.TileCache;
import org.gridgov.tiles.TileRoutes;
import org.gridgov.tiles.TileSource;
import org.gridgov.track.CallbackRoutes;
import org.gridgov.track.CallbackStore;
import org.gridgov.track.Guesses;
import org.gridgov.track.PhotoSource;
import org.gridgov.track.TrackRoutes;
import org.gridgov.track.TrackStore;
import org.gridgov.webapp.WebApp;
import org.gridgov.webapp.WebConfig;
import org.gridgov.webapp.WebConfigRoutes;
import org.gridgov.workflow.CalendarRoutes;
import org.gridgov.workflow.CaseEngine;
import org.gridgov.workflow.DeadlineRules;
import org.gridgov.workflow.DispatchRules;
import org.gridgov.workflow.Duplicates;
import org.gridgov.workflow.IntakeDeadlines;
import org.gridgov.workflow.Queues;
import org.gridgov.workflow.Scheduler;
import org.gridgov.workflow.Subtasks;
import org.gridgov.workflow.WorkflowRoutes;
import org.gridgov.workflow.WorkingCalendar;
import org.gridgov.workorder.HotlineCategories;
import org.gridgov.workorder.WorkOrderRoutes;
import org.gridgov.workorder.WorkOrderStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires gridgov's capabilities into one HTTP server. Nothing but wiring lives here. */
public final class Gridgov implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gridgov.class);

    /**
     * How often adopted plans are checked for changes made by another instance: the bound on how
     * long another instance routes under an old plan (docs/cluster.md). The fingerprint query reads
     * grid_plan and a hash of staff, cheap at district scale.
     */
    private static final long PLAN_REFRESH_MS = 5_000;

    /**
     * The reporter retention job: a minute after the start, then hourly (docs/personal-data.md).
     */
    private static final long RETENTION_FIRST_MS = 60_000, RETENTION_PERIOD_MS = 3_600_000;

    // the months due are settled a minute after start, then looked for hourly
    private static final long KPI_SETTLE_FIRST_MS = 60_000, KPI_SETTLE_PERIOD_MS = 3_600_000;

    /**
     * The incident partitions' roll: a minute after the start, then hourly (docs/partitions.md).
     */
    private static final long INCIDENT_PARTITIONS_FIRST_MS = 60_000,
            INCIDENT_PARTITIONS_PERIOD_MS = 3_600_000;

    /** The media sweep: ten minutes after the start, then every six hours; files an hour old. */
    private static final long MEDIA_SWEEP_FIRST_MS = 600_000, MEDIA_SWEEP_PERIOD_MS = 21_600_000;

    private static final java.time.Duration MEDIA_SWEEP_GRACE = java.time.Duration.ofHours(1);

    /** The partitions' upkeep (docs/partitions.md): at the start, then daily. */
    private static final long PARTITIONS_PERIOD_MS = 86_400_000;

    // Rosters and leave written through another instance reach this one's routing within this.
    private static final long ROSTER_REFRESH_MS = 5_000;

    /**
     * How often reference data is checked for versions written by another instance (one small
     * query) and for a version dated ahead that has come into force.
     */
    private static final long REFERENCE_REFRESH_MS = 5_000;

    private final Vertx vertx;
    private final HttpServer server;
    private final Router router;
    private final EventRelay relay;
    private final OgcPublishing ogc;
    private final Jobs jobs;
    private final Sessions sessions;
    private final LoginThrottle loginThrottle;
    private final Notifications notifications;
    // set once by start; null when intake writes each report on its own
    private IntakeBatcher intakeBatcher;
    private Jurisdictions areas;
    private AreaRefresh areaRefresh;

    private Gridgov(
            Vertx vertx,
            HttpServer server,
            Router router,
            EventRelay relay,
            OgcPublishing ogc,
            Jobs jobs,
            Sessions sessions,
            LoginThrottle loginThrottle,
            Notifications notifications) {
        this.vertx = vertx;
        this.notifications = notifications;
        this.server = server;
        this.router = router;
        this.relay = relay;
        this.ogc = ogc;
        this.jobs = jobs;
        this.sessions = sessions;
        this.loginThrottle = loginThrottle;
    }

    /** Starts the server; the database must be reachable and migrated. Blocks until listening. */
    public static Gridgov start(Config config, Database db) throws Exception {
        // settings a scheduled job reads later are checked now: a bad one stops the start
        int retentionDays = config.reporterRetentionDays();
        int kpiSettleDays = config.kpiSettleDays();
        db.requireMigrated();
        var ds = db.dataSource();
        // Reference data (docs/reference-data.md): seeded from gis-data on a new database, then
        // versioned in reference_version; each case reads the rules in force when it was reported.
        ReferenceData reference = new ReferenceData(new ReferenceStore(ds));
        CategoryCatalog catalog = CategoryCatalog.register(reference);
        Versioned<WorkingCalendar> calendar = WorkingCalendar.register(reference);
        DeadlineRules deadlines = DeadlineRules.register(reference, calendar, catalog);
        Versioned<DispatchRules> dispatch = DispatchRules.register(reference, catalog);
        Versioned<ScoringScheme> scoring = reference.register(ScoringScheme.KIND);
        Versioned<HotlineCategories> hotlineCategories =
                HotlineCategories.register(reference, catalog);
        PlanTimeline plans = PlanTimeline.load(ds);
        Jurisdictions areas = Jurisdictions.load(ds);
        // This process's name among the instances sharing the database (docs/cluster.md): the
        // owner of its jobs and of its outbox claims. The random part keeps it unique where host,
        // port and pid repeat (containers: pid 1 everywhere).
        String instance =
                config.host()
                        + ":"
                        + config.port()
                        + "/"
                        + ProcessHandle.current().pid()
                        + "/"
                        + java.util.UUID.randomUUID().toString().substring(0, 8);
        Jobs.failOrphans(ds, instance);

        OgcPublishing ogc = OgcPublishing.start(config.ogc(), config.mapDb(), ds);

        // Native epoll where Netty has it (Linux x86-64): fewer system calls per relayed byte than
        // NIO, which the OWS gateway pays on every map it streams (docs/ogc.md).
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
        log.info(
                "network transport: {}",
                vertx.isNativeTransportEnabled()
                        ? "native epoll"
                        : "NIO (" + vertx.unavailableNativeTransportCause() + ")");
        // An exception no handler caught is a bug: logged with its stack, and counted so tests can
        // assert that a path (clients hanging up, workers dying) raises none.
        vertx.exceptionHandler(
                e -> {
                    UNCAUGHT.incrementAndGet();
                    log.error("uncaught exception on an event loop", e);
                });
        // a place or facility import's file: up to the import limit (GRIDGOV_IMPORT_LIMIT_MB)
        Router router = ApiRouter.create(vertx, config.bodyLimit());
        ClientAddress.trusting(config.trustedProxies()).mount(router);
        // before authentication: preflights carry no credentials, and errors get CORS headers too
        config.cors().mount(router);
        // first, so that every route mounted after it sees ctx.user() for a valid Bearer token
        Tokens tokens = new Tokens(vertx, config.jwtSecret(), config.tokenTtlSeconds());
        StaffDirectory staffDirectory = new StaffDirectory(ds);
        Sessions sessions = new Sessions(ds, staffDirectory, config.authRecheckSeconds());
        LoginThrottle loginThrottle =
                new LoginThrottle(
                        config.loginFailuresPerUser(),
                        java.time.Duration.ofMinutes(config.loginFailureWindowMinutes()),
                        config.loginFailuresPerAddress());
        new Authentication(tokens, staffDirectory, sessions, loginThrottle).mount(router);
        new AccessGuard()
                .mount(router); // people/AccessRules: who may call each route, before its handler
        Clock clock = Clock.systemUTC();
        new HealthRoutes(new HealthProbe(ds), java.util.Map.of("mapserver", ogc::mapServerUp))
                .mount(router);
        java.util.function.Function<io.vertx.ext.web.RoutingContext, Long> actor =
                ctx -> Access.require(ctx).staffId();
        new CalendarRoutes(calendar, reference, actor)
                .mount(router); // before /api/v1/reference/:kind/...
        new ReferenceRoutes(reference, actor).mount(router);
        new CategoryRoutes(catalog, reference, actor).mount(router);
        new AreaRoutes(new AreaQueries(ds)).mount(router);
        new GridRoutes(new GridQueries(ds, plans)).mount(router);
        new PeopleRoutes(staffDirectory, tokens, sessions, loginThrottle).mount(router);
        // a change to staff may change who the routing index names (PlanTimeline's fingerprint)
        Runnable staffChanged =
                () -> {
                    try {
                        plans.refreshIfChanged();
                    } catch (SQLException e) {
                        log.warn("routing index refresh after a staff change: {}", e.getMessage());
                    }
                };
        new StaffRoutes(new StaffStore(ds), sessions, staffChanged).mount(router);
        // rosters and leave in memory for the on-duty rule, in the working calendar's time zone
        RosterStore rosterStore = new RosterStore(ds);
        DutyRoster roster = DutyRoster.load(rosterStore, deadlines.calendar().zone());
        new RosterRoutes(rosterStore, roster, d -> calendar.current().isWorkingDay(d), clock)
                .mount(router);
        IncidentStore incidents = new IncidentStore(ds);
        // group commit of plain reports (docs/intake.md)
        IntakeBatcher intakeBatcher =
                config.intakeBatch() > 1
                        ? new IntakeBatcher(incidents, config.intakeBatch(), config.intakeWriters())
                        : null;
        IncidentRouter incidentRouter = new IncidentRouter(areas, plans, roster);
        IntakeDeadlines firstStep = new IntakeDeadlines(deadlines, clock);
        // one budget per address for every write without a token, whichever door it comes through
        RateLimit anonymousWrites =
                new RateLimit("writes without a token", config.anonymousWritesPerMinute());
        // ticket number + lookup code open a case's tracking page (docs/tracking.md)
        LookupCode lookupCodes = new LookupCode(config.jwtSecret());
        // photos: files by content hash in the media folder, rows in PostgreSQL (docs/media.md)
        MediaSettings mediaSettings = config.media();
        // (or an S3-compatible object store when GRIDGOV_MEDIA_S3_ENDPOINT is set)
        MediaStore mediaFiles =
                config.mediaS3()
                        .<MediaStore>map(S3MediaStore::new)
                        .orElseGet(() -> new FileMediaStore(mediaSettings.dir()));
        MediaQueries mediaQueries = new MediaQueries(ds);
        Photos photos = new Photos(mediaSettings, mediaFiles, deadlines.calendar().zone());
        MediaIntake mediaIntake = new MediaIntake(photos, mediaQueries);
        // the approved photos of a case, for what the public sees (Open311, the tracking page)
        PublicPhotos publicPhotos = new PublicPhotos(mediaQueries);
        // addresses instead of points (docs/addresses.md): the gazetteer, public lookups limited
        // per address, and the queue of reports whose address matched too weakly
        GazetteerStore plates = new GazetteerStore(ds);
        Geocoder geocoder =
                new Geocoder(
                        plates,
                        () -> {
                            List<String> names = new ArrayList<>(config.addressPlaces());
                            if (areas.hasBoundary()) {
                                names.add(areas.districtName());
                                areas.subdistricts().forEach(sd -> names.add(sd.name()));
                            }
                            return names;
                        });
        new GeocodeRoutes(
                        geocoder,
                        areas,
                        new RateLimit("address lookups", config.geocodePerMinute()))
                .mount(router);
        // places and facilities (docs/places.md): the shipped departments, then the routes
        PlaceStore places = new PlaceStore(ds);
        places.syncDepartments(Departments.fromClasspath());
        PlacementStore placements = new PlacementStore(ds);
        AddressIntake addressIntake =
                new AddressIntake(
                        geocoder,
                        config.geocodeThreshold(),
                        placements,
                        incidents,
                        incidentRouter,
                        firstStep,
                        catalog);
        new PlacementRoutes(placements, addressIntake).mount(router);
        new IncidentRoutes(
                        incidents,
                        incidentRouter,
                        catalog,
                        clock,
                        firstStep,
                        anonymousWrites,
                        lookupCodes,
                        mediaIntake,
                        addressIntake)
                .withSubjects(new PlaceSubjects(places))
                .withBatcher(intakeBatcher)
                .withEscalations(new EscalationQueries(ds))
                .mount(router);
        // uploads of the planning imports; places and facilities convert theirs the same way
        org.gridgov.grid.ImportLimits uploads = config.imports();
        new PlaceRoutes(places, new UploadConversion(uploads, config.planarSrid())).mount(router);
        new MediaRoutes(photos, mediaQueries, incidents).mount(router);
        // Open311: jurisdiction_id checked first, then discovery, then GeoReport (docs/open311.md)
        new JurisdictionCheck(areas::codes).mount(router);
        new Discovery(
                        catalog,
                        config.ogc().publicUrl(),
                        () -> config.open311Contact(areas.subdistrictName()),
                        clock.instant())
                .mount(router);
        // telling reporters and other systems (docs/notifications.md): the outbox's worker
        Notifications notifications =
                Notifications.start(
                        config.notifications(config.port()), ds, lookupCodes, clock, instance);
        notifications.routes().mount(router);
        new Open311Routes(
                        catalog,
                        incidentRouter,
                        incidents,
                        firstStep,
                        new Open311Store(ds, deadlines.calendar().zone()),
                        anonymousWrites,
                        clock,
                        deadlines.calendar().zone(),
                        ServiceDefinitions.fromClasspath(),
                        lookupCodes,
                        mediaIntake,
                        publicPhotos,
                        addressIntake)
                .mount(router);
        // 12345 hotline work orders become cases as intake's reports do (docs/workorders.md)
        new WorkOrderRoutes(
                        new WorkOrderStore(ds, incidents, geocoder, config.geocodeThreshold()),
                        hotlineCategories,
                        catalog,
                        incidentRouter,
                        firstStep,
                        clock)
                .mount(router);
        CaseEngine engine = new CaseEngine(ds, deadlines, dispatch, clock, roster, catalog);
        new WorkflowRoutes(
                        engine,
                        incidents,
                        new Duplicates(ds),
                        new Queues(ds),
                        new Subtasks(ds),
                        clock)
                .mount(router);
        // the district command centre's queue and board; its actions are case actions above
        new DistrictRoutes(new DistrictStore(ds), deadlines.calendar().zone(), clock).mount(router);
        // the public tracking page and the reporter's rating (docs/tracking.md); its photos are
        // the ones an operator approved (media/PublicPhotos), without their EXIF time
        PhotoSource trackPhotos =
                id ->
                        publicPhotos.approved(id).stream()
                                .map(u -> new PhotoSource.Photo(u, u + "/thumbnail", null))
                                .toList();
        new TrackRoutes(
                        new TrackStore(ds, engine, clock),
                        lookupCodes,
                        new Guesses(
                                new RateLimit(
                                        "failed tracking attempts",
                                        config.trackGuessesPerAddress()),
                                new RateLimit(
                                        "failed tracking attempts on one ticket",
                                        config.trackGuessesPerTicket(),
                                        java.time.Duration.ofHours(1),
                                        null)),
                        trackPhotos)
                .mount(router);
        new CallbackRoutes(new CallbackStore(ds, clock)).mount(router);
        Scheduler scheduler = new Scheduler(ds, deadlines, 500);
        new AccountabilityRoutes(new AccountabilityQueries(ds), deadlines.calendar().zone(), clock)
                .mount(router);
        KpiCalculator kpiCalculator = new KpiCalculator(ds, calendar::current);
        KpiSettlementStore kpiSettlements =
                new KpiSettlementStore(ds, kpiCalculator, deadlines.calendar().zone());
        new KpiRoutes(kpiCalculator, kpiSettlements, scoring, deadlines.calendar().zone(), clock)
                .mount(router);
        if (kpiSettleDays >= 0)
            vertx.setPeriodic(
                    KPI_SETTLE_FIRST_MS,
                    KPI_SETTLE_PERIOD_MS,
                    id ->
                            vertx.executeBlocking(
                                            () ->
                                                    kpiSettlements.settleDue(
                                                            kpiSettleDays, clock.instant()),
                                            false)
                                    .onSuccess(
                                            months -> {
                                                if (!months.isEmpty())
                                                    log.info("KPIs settled for {}", months);
                                            })
                                    .onFailure(
                                            e ->
                                                    log.warn(
                                                            "KPI settlement failed: {}",
                                                            e.getMessage())));
        EventRelay relay = new EventRelay(ds, config.planarSrid()).start();
        new LiveRoutes(relay, catalog, config.live()).mount(router);
        // Analytics keeps its copy of incident points current from the relay: listen first, then
        // load.
        relay.awaitStart(10_000);
        IncidentPoints points =
                new IncidentPoints(
                        config.planarSrid(), catalog.all().stream().map(c -> c.code()).toList());
        relay.listen(points::apply);
        points.loadAll(ds);
        // field tasks and campaigns (docs/tasks.md): a failed check becomes a report through
        // intake;
        // a recheck follows the closing of its incident (the relay's listener)
        TaskStore taskStore = new TaskStore(ds, roster);
        new TaskRoutes(
                        taskStore,
                        catalog,
                        photos,
                        mediaQueries,
                        incidents,
                        incidentRouter,
                        firstStep)
                .mount(router);
        new CampaignRoutes(new CampaignStore(ds, roster), catalog).mount(router);
        new Rechecks(taskStore).start(relay);
        var roadGraph = new java.util.concurrent.atomic.AtomicReference<>(RoadGraph.load(ds));
        new PatrolRoutes(
                        new PatrolStore(ds), incidents, areas, plans, roadGraph::get, clock, roster)
                .mount(router);
        StudyArea studyArea = StudyArea.load(ds, config.planarSrid());
        AreaRefresh areaRefresh = new AreaRefresh(areas, studyArea);
        new AnalyticsRoutes(new AnalyticsQueries(ds), points, studyArea, catalog, clock)
                .mount(router);
        new BinTiles(new AnalyticsQueries(ds), points, catalog, clock)
                .mount(router); // before the generic /tiles/:layer routes
        // the weights in force, kept current as categories change
        Map<String, Double> weights = new java.util.concurrent.ConcurrentHashMap<>();
        reference.onChange(
                CategoryCatalog.KIND,
                () -> catalog.all().forEach(c -> weights.put(c.code(), c.weight().doubleValue())));
        Planning planning =
                new Planning(
                        ds,
                        plans,
                        WorkloadModel.defaults(),
                        clock,
                        points,
                        weights,
                        config.planarSrid());
        Jobs jobs = new Jobs(ds, vertx, instance);
        new PlanRoutes(planning).mount(router);
        new RebalanceRoutes(planning, jobs).mount(router);
        new WorkloadRoutes(planning).mount(router);
        // a boundary import changes the area intake and analysis read (AreaRefresh, their one
        // keeper, re-reads the boundaries and the hot spots' study areas with them), a road import
        // the network patrol routes on: they read them again
        new ImportRoutes(
                        planning,
                        jobs,
                        uploads,
                        kind -> {
                            if (kind.equals("roads")) roadGraph.set(RoadGraph.load(ds));
                            else if (kind.equals("units"))
                                log.info(
                                        "gazetteer: {} door plates from the units' addresses",
                                        plates.syncImported(geocoder.normaliser()));
                            else areaRefresh.refresh();
                        })
                .mount(router);
        new JobRoutes(jobs).mount(router);
        // The unit graph in the background now, so the first planning request of the process
        // does not wait for it (a request arriving meanwhile waits on the same build).
        vertx.executeBlocking(planning::graph, false)
                .onFailure(e -> log.warn("building the unit graph failed: {}", e.getMessage()));
        ogc.mount(
                router,
                vertx,
                code -> catalog.find(code).isPresent(),
                points,
                new GridTransactions(planning));
        TileCache tiles =
                new TileCache((long) config.ogc().tileCacheMb() << 20, ogc.catalog().all());
        // Committed incident changes, within the relay's 100 ms: only the tiles around each
        // incident go.
        tiles.follow("incident");
        relay.listen(
                changes -> changes.forEach(c -> tiles.changedAt("incident", c.lon(), c.lat())));
        TileRoutes tileRoutes =
                new TileRoutes(
                        ogc.catalog(),
                        ogc.access(),
                        TileSource.reactive(ds, ogc.extent(), vertx, config.db(), 4),
                        tiles,
                        // incident tiles to GRIDGOV_TILE_MEMORY_MAX_ZOOM (17) from the points the
                        // relay keeps current (it applies a change first, then drops the tiles)
                        new IncidentTiles(points, "incidents", config.tileMemoryMaxZoom()),
                        config.ogc().publicUrl());
        tileRoutes.mount(router);
        new OgcTilesRoutes(
                        ogc.catalog(),
                        ogc.access(),
                        tileRoutes,
                        ogc.extent(),
                        config.ogc().publicUrl())
                .mount(router);
        vertx.setPeriodic(
                0,
                1_000,
                id ->
                        vertx.executeBlocking(
                                () -> {
                                    tiles.refresh(ds);
                                    return null;
                                },
                                false));
        OpenApiRoutes.mount(router);
        new WebConfigRoutes(
                        new WebConfig(
                                config.baseMapUrl(),
                                config.baseMapAttribution(),
                                WebConfig.subdistrictExtent(ds, ogc.extent())))
                .mount(router);
        WebApp.mount(
                router,
                config.baseMapUrl()); // last: every server route answers before the app's files

        if (config.schedulerSeconds() > 0) {
            vertx.setPeriodic(
                    config.schedulerSeconds() * 1000L,
                    id ->
                            vertx.executeBlocking(() -> scheduler.tick(clock.instant()), false)
                                    .onSuccess(
                                            n -> {
                                                if (n > 0)
                                                    log.info(
                                                            "workflow scheduler fired {} timers",
                                                            n);
                                            })
                                    .onFailure(
                                            e ->
                                                    log.warn(
                                                            "workflow scheduler tick failed: {}",
                                                            e.getMessage())));
        }
        // files no row cites (an upload whose transaction failed or was cut short), after a grace
        // period that outlasts any open transaction
        MediaSweep mediaSweep = new MediaSweep(mediaFiles, mediaQueries, MEDIA_SWEEP_GRACE);
        vertx.setPeriodic(
                MEDIA_SWEEP_FIRST_MS,
                MEDIA_SWEEP_PERIOD_MS,
                id ->
                        vertx.executeBlocking(() -> mediaSweep.run(clock.instant()), false)
                                .onSuccess(
                                        r -> {
                                            if (r.removed() + r.unfinished() > 0)
                                                log.info(
                                                        "media sweep: removed {} orphan and {}"
                                                                + " unfinished files of {}",
                                                        r.removed(),
                                                        r.unfinished(),
                                                        r.files());
                                        })
                                .onFailure(
                                        e -> log.warn("media sweep failed: {}", e.getMessage())));
        org.gridgov.db.Partitions partitions = new org.gridgov.db.Partitions(ds);
        vertx.setPeriodic(
                0,
                PARTITIONS_PERIOD_MS,
                id ->
                        vertx.executeBlocking(partitions::maintain, false)
                                .onSuccess(
                                        done ->
                                                done.forEach(
                                                        u -> {
                                                            if (!u.created().isEmpty())
                                                                log.info(
                                                                        "partitions of {} created: {}",
                                                                        u.table(),
                                                                        u.created());
                                                            if (u.leftInDefault() > 0)
                                                                log.warn(
                                                                        "{} rows of {} wait in its"
                                                                                + " DEFAULT partition"
                                                                                + " (docs/partitions.md)",
                                                                        u.leftInDefault(),
                                                                        u.table());
                                                        }))
                                .onFailure(
                                        e ->
                                                log.warn(
                                                        "partition upkeep failed: {}",
                                                        e.getMessage())));
        // at a month's turn, the new month's partition of incident (docs/partitions.md)
        IncidentPartitionStore incidentPartitions = new IncidentPartitionStore(ds);
        vertx.setPeriodic(
                INCIDENT_PARTITIONS_FIRST_MS,
                INCIDENT_PARTITIONS_PERIOD_MS,
                id ->
                        vertx.executeBlocking(incidentPartitions::roll, false)
                                .onSuccess(
                                        n -> {
                                            if (n > 0) log.info("incident partitions made: {}", n);
                                        })
                                .onFailure(
                                        e ->
                                                log.warn(
                                                        "incident partitions roll failed: {}",
                                                        e.getMessage())));
        if (retentionDays > 0) {
            ReporterRetention retention = new ReporterRetention(incidents, retentionDays);
            vertx.setPeriodic(
                    RETENTION_FIRST_MS,
                    RETENTION_PERIOD_MS,
                    id ->
                            vertx.executeBlocking(() -> retention.run(clock.instant()), false)
                                    .onSuccess(
                                            n -> {
                                                if (n > 0)
                                                    log.info(
                                                            "reporter retention: anonymised {}"
                                                                    + " ended cases",
                                                            n);
                                            })
                                    .onFailure(
                                            e ->
                                                    log.warn(
                                                            "reporter retention failed: {}",
                                                            e.getMessage())));
        } else {
            log.info("GRIDGOV_REPORTER_RETENTION_DAYS=0: reporters' details are kept for ever");
        }
        vertx.setPeriodic(
                ROSTER_REFRESH_MS,
                id ->
                        vertx.executeBlocking(roster::refreshIfChanged, false)
                                .onFailure(
                                        e ->
                                                log.warn(
                                                        "roster refresh failed: {}",
                                                        e.getMessage())));
        // Reference data another instance changed, or a version dated ahead coming into force.
        vertx.setPeriodic(
                REFERENCE_REFRESH_MS,
                id ->
                        vertx.executeBlocking(reference::refreshIfChanged, false)
                                .onFailure(
                                        e ->
                                                log.warn(
                                                        "reference data refresh failed: {}",
                                                        e.getMessage())));
        vertx.setPeriodic(
                PLAN_REFRESH_MS,
                id ->
                        vertx.executeBlocking(plans::refreshIfChanged, false)
                                .onFailure(
                                        e ->
                                                log.warn(
                                                        "grid plan refresh failed: {}",
                                                        e.getMessage())));
        // Subdistricts and the district boundary another instance imported or added; the hot
        // spots' study areas follow them.
        vertx.setPeriodic(
                REFERENCE_REFRESH_MS,
                id ->
                        vertx.executeBlocking(
                                        () -> {
                                            areaRefresh.refresh();
                                            return null;
                                        },
                                        false)
                                .onFailure(
                                        e ->
                                                log.warn(
                                                        "jurisdiction refresh failed: {}",
                                                        e.getMessage())));

        HttpServer server =
                HeaderTimeout.server(
                                vertx,
                                new HttpServerOptions()
                                        .setCompressionSupported(true)
                                        .setIdleTimeout(config.idleTimeoutSeconds())
                                        // a multipart report's JSON part may be as large as a
                                        // JSON report (Vert.x's default is 8 KiB)
                                        .setMaxFormAttributeSize(config.bodyLimit())
                                        .setMaxInitialLineLength(ApiRouter.MAX_REQUEST_LINE),
                                config.headerTimeoutSeconds(),
                                router)
                        .invalidRequestHandler(ApiRouter::invalidRequest)
                        .listen(config.port(), config.host())
                        .toCompletionStage()
                        .toCompletableFuture()
                        .get();
        log.info("gridgov listening on http://{}:{}/", config.host(), server.actualPort());
        Gridgov started =
                new Gridgov(
                        vertx,
                        server,
                        router,
                        relay,
                        ogc,
                        jobs,
                        sessions,
                        loginThrottle,
                        notifications);
        started.intakeBatcher = intakeBatcher;
        started.areas = areas;
        started.areaRefresh = areaRefresh;
        return started;
    }

    /** Intake's group commit (tests and the bench read its counters); null when turned off. */
    public IntakeBatcher intakeBatcher() {
        return intakeBatcher;
    }

    /**
     * The boundaries routing reads (tests re-read them after adding a subdistrict instead of
     * waiting for the 5 s refresh).
     */
    public Jurisdictions jurisdictions() {
        return areas;
    }

    /**
     * Re-reads the boundaries and the hot spots' study areas now when the table changed, as the
     * timer does every few seconds (tests call it after adding a subdistrict).
     */
    public void refreshAreas() throws java.sql.SQLException {
        areaRefresh.refresh();
    }

    public int port() {
        return server.actualPort();
    }

    public Router router() {
        return router;
    }

    public OgcPublishing ogc() {
        return ogc;
    }

    private static final java.util.concurrent.atomic.AtomicLong UNCAUGHT =
            new java.util.concurrent.atomic.AtomicLong();

    /** Exceptions that reached Vert.x uncaught, in this process (see start). */
    public static long uncaughtExceptions() {
        return UNCAUGHT.get();
    }

    /** The long-task runner (tests hold a job at its completing transaction through it). */
    public Jobs jobs() {
        return jobs;
    }

    /**
     * Who is still logged in (tests expire its cache instead of waiting out the recheck period).
     */
    public Sessions sessions() {
        return sessions;
    }

    /** The outbox and webhooks (tests read and subscribe through it). */
    public Notifications notifications() {
        return notifications;
    }

    /** Failed-login limits (tests hold its clock while they count attempts). */
    public LoginThrottle loginThrottle() {
        return loginThrottle;
    }

    @Override
    public void close() throws ExecutionException {
        notifications.close();
        relay.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            // Not thrown on: an AutoCloseable that throws InterruptedException hides the interrupt
            // when try-with-resources suppresses it.
            Thread.currentThread().interrupt();
        } finally {
            ogc.close();
            if (intakeBatcher != null) intakeBatcher.close();
        }
    }
}
