package org.gridgov.incident;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.util.Optional;
import org.gridgov.api.Problem;
import org.gridgov.api.ProblemException;
import org.gridgov.category.Category;
import org.gridgov.category.CategoryCatalog;
import org.gridgov.geocode.AddressInput;
import org.gridgov.geocode.AddressNormaliser;
import org.gridgov.geocode.GeocodeMatch;
import org.gridgov.geocode.Geocoder;

/**
 * A report given by an address instead of a point (REST intake, Open311's address_string): the
 * geocoder's best match places it when its score reaches the threshold, and the case keeps the
 * address, the door plate and the score; below it, the report is kept in the placement queue and
 * acknowledged, and an operator places it later ({@link #place}). Nothing acknowledged is lost:
 * either way the answer follows the commit. Blocking. docs/addresses.md.
 */
public final class AddressIntake {

    /** What became of a report given by address. */
    public sealed interface Outcome permits Placed, Queued {}

    /** Placed by its best match: a case. */
    public record Placed(IncidentStore.Intake intake, Routing routing, GeocodeMatch match)
            implements Outcome {}

    /** In the queue, with the best (too weak) match if there was one. */
    public record Queued(PlacementStore.Held held, GeocodeMatch best) implements Outcome {}

    private final Geocoder geocoder;
    private final double threshold;
    private final PlacementStore placements;
    private final IncidentStore incidents;
    private final IncidentRouter router;
    private final FirstStep.Planner firstStep;
    private final CategoryCatalog catalog;

    public AddressIntake(
            Geocoder geocoder,
            double threshold,
            PlacementStore placements,
            IncidentStore incidents,
            IncidentRouter router,
            FirstStep.Planner firstStep,
            CategoryCatalog catalog) {
        this.geocoder = geocoder;
        this.threshold = threshold;
        this.placements = placements;
        this.incidents = incidents;
        this.router = router;
        this.firstStep = firstStep;
        this.catalog = catalog;
    }

    public double threshold() {
        return threshold;
    }

    public Outcome take(
            IncidentReport report,
            String address,
            String field,
            EnteredBy by,
            String idempotencyKey,
            String requestHash)
            throws SQLException {
        return take(report, address, field, by, idempotencyKey, requestHash, null);
    }

    /**
     * @param report the report, its point not yet known
     * @param field where the address was given, for a refusal ("/address", "address_string")
     * @param extra more facts for staff (an Open311 service's answers), kept with the queued report
     *     and put on the case's REPORTED event; null for none
     */
    public Outcome take(
            IncidentReport report,
            String address,
            String field,
            EnteredBy by,
            String idempotencyKey,
            String requestHash,
            ObjectNode extra)
            throws SQLException {
        Optional<GeocodeMatch> best;
        try {
            if (geocoder.normaliser().normalise(address).isEmpty())
                throw AddressInput.nothingLeft(field, 422);
            best = geocoder.best(address);
        } catch (AddressNormaliser.Elsewhere e) {
            throw AddressInput.elsewhere(e, field);
        }
        if (best.isPresent() && best.get().score() >= threshold) {
            GeocodeMatch m = best.get();
            IncidentReport at = report.at(m.plate().lon(), m.plate().lat());
            Routing routing = router.route(at);
            IncidentStore.Intake intake =
                    incidents.insert(
                            at,
                            routing,
                            firstStep.plan(at, routing),
                            idempotencyKey,
                            requestHash,
                            by,
                            extra,
                            new AddressPlacement(
                                    address, m.plate().id(), m.plate().label(), m.score(), null));
            return new Placed(intake, routing, m);
        }
        GeocodeMatch weak = best.orElse(null);
        return new Queued(
                placements.hold(report, address, weak, by, idempotencyKey, requestHash, extra),
                weak);
    }

    /**
     * An operator places a queued report at a point: intake as usual (routing, first step), the
     * case keeps the address given and who placed it, and the queue item points to the case.
     * Placing it twice gives the same case (the queue item is the intake's idempotency key).
     */
    public IncidentStore.Intake place(long placementId, double lon, double lat, long operator)
            throws SQLException {
        PlacementStore.Waiting w =
                placements
                        .find(placementId)
                        .orElseThrow(
                                () ->
                                        new ProblemException(
                                                Problem.notFound(
                                                        "no report "
                                                                + placementId
                                                                + " in the placement queue")));
        if (w.incidentId() != null)
            throw new ProblemException(
                    Problem.of(
                            409,
                            "already-placed",
                            "The report is already placed",
                            "report " + placementId + " was placed as incident " + w.incidentId(),
                            null));
        // the category as it was in force when it was reported, as intake keeps it
        Category category =
                catalog.at(w.reportedAt().toInstant())
                        .find(w.category())
                        .or(() -> catalog.find(w.category()))
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "category " + w.category() + " vanished"));
        IncidentReport r =
                new IncidentReport(
                        category,
                        Channel.valueOf(w.channel()),
                        lon,
                        lat,
                        w.description(),
                        w.reportedAt(),
                        w.reporterName(),
                        w.reporterPhone(),
                        w.reporterEmail(),
                        w.notifyReporter());
        Routing routing = router.route(r);
        String key = "placement-" + placementId;
        IncidentStore.Intake intake =
                incidents.insert(
                        r,
                        routing,
                        firstStep.plan(r, routing),
                        key,
                        key,
                        w.enteredBy(),
                        w.extra(),
                        new AddressPlacement(w.address(), null, null, null, operator));
        placements.placed(placementId, intake.incident().id(), operator);
        return intake;
    }
}
