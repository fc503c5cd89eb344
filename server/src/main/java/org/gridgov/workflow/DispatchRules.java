package org.gridgov.workflow;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Category → kind of handler, from gis-data/workflow/dispatch.csv. */
public final class DispatchRules {

    static final String RESOURCE = "/gis-data/workflow/dispatch.csv";

    private final Map<String, String> handlerBy;

    DispatchRules(Map<String, String> handlerBy) {
        if (!handlerBy.containsKey("*"))
            throw new IllegalStateException(RESOURCE + ": a default row '*' is required");
        this.handlerBy = Map.copyOf(handlerBy);
    }

    public static DispatchRules fromClasspath() {
        try (InputStream in = DispatchRules.class.getResourceAsStream(RESOURCE)) {
            if (in == null)
                throw new IllegalStateException(
                        "dispatch rules missing from the build: " + RESOURCE);
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<String, String> m = new HashMap<>();
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#") || line.equals("category,handler"))
                    continue;
                String[] f = line.split(",");
                if (f.length != 2
                        || !(f[1].equals("GRID_WORKER") || f[1].equals("PLATFORM_HANDLER"))) {
                    throw new IllegalStateException(RESOURCE + ": bad row '" + line + "'");
                }
                m.put(f[0], f[1]);
            }
            return new DispatchRules(m);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    /** GRID_WORKER or PLATFORM_HANDLER. */
    public String handlerKind(String category, String platform) {
        String h = handlerBy.get(category);
        if (h == null) h = handlerBy.get("platform:" + platform);
        return h == null ? handlerBy.get("*") : h;
    }
}
