package org.gridgov.ogc.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one layer catalog (org/gridgov/ogc/layers.yaml) and the styles it names (styles/styles.yaml,
 * packaged from the repository's styles/ folder). Everything published over WMS, WFS, OGC API
 * Features and vector tiles comes from here.
 */
public final class LayerCatalog {

    /**
     * The map's own name: the WMS capabilities' top layer, which stands for every layer the caller
     * may see.
     */
    public static final String ROOT = "gridgov";

    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,31}$");
    private static final Set<String> TYPES = Set.of("integer", "real", "text", "datetime");

    private final Map<String, Layer> layers;
    private final Map<String, Style> styles;
    private final Set<String> publicLayers;

    LayerCatalog(List<Layer> layers, Map<String, Style> styles, Set<String> publicOverride) {
        Map<String, Layer> byName = new LinkedHashMap<>();
        for (Layer l : layers) {
            if (!NAME.matcher(l.name()).matches())
                throw new IllegalStateException("bad layer name " + l.name());
            if (l.name().equals(ROOT))
                throw new IllegalStateException(ROOT + " is the root layer's name");
            if (byName.put(l.name(), l) != null)
                throw new IllegalStateException("layer " + l.name() + " is listed twice");
            if (!l.isRaster() && (l.sql() == null || l.sql().isBlank()))
                throw new IllegalStateException(l.name() + " needs sql");
            for (var a : l.attributes().entrySet()) {
                if (!NAME.matcher(a.getKey()).matches() || !TYPES.contains(a.getValue()))
                    throw new IllegalStateException(l.name() + ": bad attribute " + a);
            }
            if (l.tiles() && l.tables().isEmpty())
                throw new IllegalStateException(
                        l.name()
                                + " is tiled, so it must list the tables its SQL reads (tables:) for its tile cache");
            for (String t : l.tables()) {
                if (!NAME.matcher(t).matches())
                    throw new IllegalStateException(l.name() + ": bad table name " + t);
            }
            boolean timeInSql = l.sql() != null && l.sql().contains("%time%");
            if (l.time() != null
                    && (!NAME.matcher(l.time().table()).matches()
                            || !NAME.matcher(l.time().column()).matches()))
                throw new IllegalStateException(l.name() + ": bad time dimension " + l.time());
            if (timeInSql != (l.time() != null && l.sql() != null))
                throw new IllegalStateException(
                        l.name() + ": a time dimension and %time% in the SQL go together");
            for (String s : l.styles()) {
                if (!styles.containsKey(s))
                    throw new IllegalStateException(l.name() + " names unknown style " + s);
            }
        }
        this.layers = Map.copyOf(byName);
        this.styles = Map.copyOf(styles);
        List<String> order = new ArrayList<>(byName.keySet());
        this.order = List.copyOf(order);
        if (publicOverride != null) {
            for (String n : publicOverride) {
                if (!byName.containsKey(n))
                    throw new IllegalStateException(
                            "GRIDGOV_OGC_PUBLIC_LAYERS names unknown layer " + n);
            }
            this.publicLayers = Set.copyOf(publicOverride);
        } else {
            this.publicLayers =
                    Set.copyOf(
                            byName.values().stream()
                                    .filter(l -> "public".equals(l.access()))
                                    .map(Layer::name)
                                    .toList());
        }
    }

    private final List<String> order;

    /**
     * Loads the packaged catalog; publicOverride (GRIDGOV_OGC_PUBLIC_LAYERS) replaces the public
     * set when not null.
     */
    public static LayerCatalog load(Set<String> publicOverride) {
        ObjectMapper yaml =
                new ObjectMapper(new YAMLFactory())
                        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        try (InputStream layersIn = resource("org/gridgov/ogc/layers.yaml");
                InputStream stylesIn = resource("styles/styles.yaml")) {
            Map<String, List<Layer>> l = yaml.readValue(layersIn, new TypeReference<>() {});
            Map<String, Map<String, Style>> s = yaml.readValue(stylesIn, new TypeReference<>() {});
            Map<String, Style> named = new LinkedHashMap<>();
            s.get("styles")
                    .forEach(
                            (name, st) ->
                                    named.put(
                                            name,
                                            new Style(name, st.title(), st.classes(), st.ramp())));
            return new LayerCatalog(l.get("layers"), named, publicOverride);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the layer catalog: " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = LayerCatalog.class.getClassLoader().getResourceAsStream(path);
        if (in == null) throw new IllegalStateException(path + " is not on the classpath");
        return in;
    }

    public Optional<Layer> find(String name) {
        return Optional.ofNullable(name == null ? null : layers.get(name));
    }

    /** Layers in catalog order. */
    public List<Layer> all() {
        return order.stream().map(layers::get).toList();
    }

    public Collection<Layer> vectorLayers() {
        return all().stream().filter(l -> !l.isRaster()).toList();
    }

    /**
     * Layers that are not public, in catalog order: each subset of them a role set may see gets its
     * own mapfile.
     */
    public List<Layer> restricted() {
        return all().stream().filter(l -> !isPublic(l)).toList();
    }

    /**
     * The MapServer map (a MAPS alias) holding exactly the public layers plus the restricted ones
     * in {@code visible}: "public", "full", or "r" + the bit mask of the visible restricted layers.
     */
    public String mapName(Set<Layer> visible) {
        List<Layer> r = restricted();
        int mask = 0;
        for (int i = 0; i < r.size(); i++) if (visible.contains(r.get(i))) mask |= 1 << i;
        return mapName(mask);
    }

    public String mapName(int mask) {
        int all = (1 << restricted().size()) - 1;
        return mask == 0 ? "public" : mask == all ? "full" : "r" + mask;
    }

    public boolean isPublic(Layer layer) {
        return publicLayers.contains(layer.name());
    }

    public Style style(String name) {
        Style s = styles.get(name);
        if (s == null) throw new IllegalArgumentException("no style " + name);
        return s;
    }

    public Map<String, Style> styles() {
        return styles;
    }
}
