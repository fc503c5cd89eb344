package org.gridgov.ogc.catalog;

import java.util.List;
import java.util.Map;

/** A named style from styles/styles.yaml: vector classes, or a colour ramp for a raster. */
public record Style(String name, String title, List<StyleClass> classes, List<RampStop> ramp) {

    public Style {
        classes = classes == null ? List.of() : List.copyOf(classes);
        ramp = ramp == null ? List.of() : List.copyOf(ramp);
    }

    /** One legend entry. where: attribute → value, or attribute → [min, max) range. */
    public record StyleClass(
            String name,
            Map<String, Object> where,
            String fill,
            Double fillOpacity,
            String stroke,
            Double width,
            Double size) {}

    /** A ramp stop: density value 0..255 → colour #rrggbbaa. */
    public record RampStop(int value, String color) {}
}
