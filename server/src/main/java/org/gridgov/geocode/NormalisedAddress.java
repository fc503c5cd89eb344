package org.gridgov.geocode;

/**
 * An address in the geocoder's compared form: its parts (null where absent) and {@link #text()},
 * the parts in one order (road, number, compound, building, unit), which the gazetteer's trigram
 * index holds.
 */
public record NormalisedAddress(
        String road, String number, String compound, String building, String unit, String text) {

    static NormalisedAddress of(
            String road, String number, String compound, String building, String unit) {
        StringBuilder t = new StringBuilder();
        if (road != null) t.append(road);
        if (number != null) t.append(number).append('号');
        if (compound != null) t.append(compound);
        if (building != null) t.append(building).append('幢');
        if (unit != null) t.append(unit).append("单元");
        return new NormalisedAddress(road, number, compound, building, unit, t.toString());
    }

    /** Whether nothing that names a place is left (an empty or all-punctuation address). */
    public boolean isEmpty() {
        return text.isEmpty();
    }
}
