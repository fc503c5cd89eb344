package org.gridgov.geocode;

import java.util.Objects;

/**
 * How well a door plate matches a query, from their normalised forms: half the trigram similarity
 * of the whole texts (pg_trgm's, computed in the database) and half the agreement of the parts the
 * query names, weighted by how much each tells plates apart: a wrong number or building is a
 * different door, a misspelt compound is not. A part the query names that the plate lacks counts as
 * a disagreement. Pure.
 */
final class MatchScore {

    static final int ROAD = 2, NUMBER = 3, COMPOUND = 1, BUILDING = 2, UNIT = 2;

    private MatchScore() {}

    /**
     * @param similarity pg_trgm similarity of the two normalised texts, 0..1
     */
    static double of(NormalisedAddress q, NormalisedAddress plate, double similarity) {
        int asked = 0, agreed = 0;
        if (q.road() != null) {
            asked += ROAD;
            if (Objects.equals(q.road(), plate.road())) agreed += ROAD;
        }
        if (q.number() != null) {
            asked += NUMBER;
            if (Objects.equals(q.number(), plate.number())) agreed += NUMBER;
        }
        if (q.compound() != null) {
            asked += COMPOUND;
            if (Objects.equals(q.compound(), plate.compound())) agreed += COMPOUND;
        }
        if (q.building() != null) {
            asked += BUILDING;
            if (Objects.equals(q.building(), plate.building())) agreed += BUILDING;
        }
        if (q.unit() != null) {
            asked += UNIT;
            if (Objects.equals(q.unit(), plate.unit())) agreed += UNIT;
        }
        // a plate with more parts than asked for is a narrower place than the caller named
        int extra = 0;
        if (q.building() == null && plate.building() != null) extra++;
        if (q.unit() == null && plate.unit() != null) extra++;
        double parts = asked == 0 ? similarity : (double) agreed / asked;
        double s = 0.5 * similarity + 0.5 * parts - 0.02 * extra;
        return Math.max(0, Math.min(1, s));
    }
}
