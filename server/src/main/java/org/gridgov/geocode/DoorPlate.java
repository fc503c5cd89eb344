package org.gridgov.geocode;

/**
 * One door plate of the gazetteer (门牌): road and number, optionally compound (小区), building (幢) and
 * unit (单元); the community it lies in; its point (WGS 84). {@link #label()} is its written form.
 */
public record DoorPlate(
        long id,
        String label,
        String road,
        String number,
        String compound,
        String building,
        String unit,
        Long communityId,
        String communityName,
        double lon,
        double lat) {

    /**
     * The written form: 江南大道588号春晓花园3幢2单元.
     *
     * @param compound its name as written (春晓花园), or null
     */
    public static String label(
            String road, String number, String compound, String building, String unit) {
        StringBuilder t = new StringBuilder(road).append(number).append('号');
        if (compound != null) t.append(compound);
        if (building != null) t.append(building).append('幢');
        if (unit != null) t.append(unit).append("单元");
        return t.toString();
    }

    /**
     * What of it the public may read of a case's place: the road, number and compound, never the
     * building or unit, which with a case's time could name a household.
     */
    public String publicLabel() {
        return label(road, number, compound, null, null);
    }
}
