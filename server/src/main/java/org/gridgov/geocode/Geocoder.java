package org.gridgov.geocode;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Addresses to door plates: the query normalised ({@link AddressNormaliser}, the jurisdiction's own
 * names dropped from its front), trigram candidates from the gazetteer ({@link GazetteerStore}),
 * ranked by {@link MatchScore}. Blocking (the database): call it off the event loop. The one Java
 * door for other capabilities that hold an address instead of a point (intake, Open311, work
 * orders): {@link #best(String)}. docs/addresses.md.
 */
public final class Geocoder {

    /** Trigram candidates fetched before ranking. */
    static final int CANDIDATES = 40;

    private final GazetteerStore store;
    private final Supplier<List<String>> ownNames;
    private final Map<String, String> typos;
    private volatile Cached cached;

    private record Cached(List<String> names, AddressNormaliser normaliser) {}

    /**
     * @param ownNames the jurisdiction's names, widest first, read at each use (a boundary import
     *     may rename them)
     */
    public Geocoder(GazetteerStore store, Supplier<List<String>> ownNames) {
        this.store = store;
        this.ownNames = ownNames;
        this.typos = AddressNormaliser.defaultTypos();
    }

    /** The normaliser for the jurisdiction's names as they are now. */
    public AddressNormaliser normaliser() {
        List<String> names = ownNames.get();
        Cached c = cached;
        if (c == null || !c.names().equals(names)) {
            c = new Cached(List.copyOf(names), new AddressNormaliser(names, typos));
            cached = c;
        }
        return c.normaliser();
    }

    /**
     * The best matches first, at most {@code limit}; none for an address that names nothing.
     *
     * @throws AddressNormaliser.Elsewhere when the address names another city or district
     */
    public List<GeocodeMatch> search(String address, int limit) throws SQLException {
        NormalisedAddress q = normaliser().normalise(address);
        if (q.isEmpty()) return List.of();
        // the road and number as named: one index lookup, enough when a plate there agrees well
        List<GeocodeMatch> out = scored(q, store.byRoadNumber(q, CANDIDATES));
        if (out.isEmpty() || out.get(0).score() < EXACT_ENOUGH || out.size() < limit) {
            Set<Long> seen = new HashSet<>();
            out.forEach(m -> seen.add(m.plate().id()));
            List<GazetteerStore.Candidate> more = new ArrayList<>();
            for (GazetteerStore.Candidate c : store.candidates(q, CANDIDATES))
                if (seen.add(c.plate().id())) more.add(c);
            out.addAll(scored(q, more));
            out.sort(BEST_FIRST);
        }
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /** A score on the road and number's plates that needs no wider search. */
    static final double EXACT_ENOUGH = 0.85;

    private static final Comparator<GeocodeMatch> BEST_FIRST =
            Comparator.comparingDouble(GeocodeMatch::score)
                    .reversed()
                    .thenComparingLong(m -> m.plate().id());

    private static List<GeocodeMatch> scored(
            NormalisedAddress q, List<GazetteerStore.Candidate> candidates) {
        List<GeocodeMatch> out = new ArrayList<>();
        for (GazetteerStore.Candidate c : candidates) {
            DoorPlate p = c.plate();
            NormalisedAddress parts =
                    NormalisedAddress.of(
                            p.road(), p.number(), p.compound(), p.building(), p.unit());
            out.add(new GeocodeMatch(p, MatchScore.of(q, parts, c.similarity())));
        }
        out.sort(BEST_FIRST);
        return out;
    }

    /**
     * The best match for an address, with its score; empty when nothing in the gazetteer is like
     * it. Whether the score is good enough to place a case is the caller's threshold.
     *
     * @throws AddressNormaliser.Elsewhere when the address names another city or district
     */
    public Optional<GeocodeMatch> best(String address) throws SQLException {
        return search(address, 1).stream().findFirst();
    }

    /** The door plate nearest to a point, within {@code withinM} metres. */
    public Optional<GazetteerStore.Nearby> reverse(double lon, double lat, double withinM)
            throws SQLException {
        return store.nearest(lon, lat, withinM);
    }

    public GazetteerStore store() {
        return store;
    }
}
