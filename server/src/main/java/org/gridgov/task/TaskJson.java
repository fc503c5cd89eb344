package org.gridgov.task;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.gridgov.api.Responses;

/** Tasks as the API answers them (the Tasks contract in docs/tasks.md). */
final class TaskJson {

    private TaskJson() {}

    static ObjectNode of(Task t) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("id", t.id());
        n.put("kind", t.kind().name());
        n.put("title", t.title());
        putLong(n, "campaignId", t.campaignId());
        ObjectNode target = n.putObject("target");
        target.put("type", t.targetType().name());
        putLong(target, "id", t.targetId());
        target.put("name", t.targetName());
        target.putObject("location").put("lon", t.lon()).put("lat", t.lat());
        putLong(n, "gridId", t.gridId());
        putLong(n, "communityId", t.communityId());
        putLong(n, "assigneeId", t.assigneeId());
        n.put("dueAt", t.dueAt().toString());
        n.put("state", t.state());
        n.put("version", t.version());
        n.put("createdAt", t.createdAt().toString());
        if (t.completedAt() == null) n.putNull("completedAt");
        else n.put("completedAt", t.completedAt().toString());
        putLong(n, "recheckOf", t.recheckOf());
        putLong(n, "recheckIncidentId", t.recheckIncidentId());
        ArrayNode inc = n.putArray("incidentIds");
        t.incidentIds().forEach(inc::add);
        n.set("checks", checks(t.checks()));
        if (t.note() != null) n.put("note", t.note());
        return n;
    }

    static ArrayNode checks(List<CheckItem> items) {
        ArrayNode arr = Responses.JSON.createArrayNode();
        for (CheckItem c : items) {
            ObjectNode o = arr.addObject();
            o.put("key", c.key());
            o.put("label", c.label());
            o.put("type", c.type().name());
            o.put("required", c.required());
            o.put("photoRequired", c.photoRequired());
            if (c.expected() != null) o.put("expected", c.expected());
            if (c.min() != null) o.put("min", c.min());
            if (c.max() != null) o.put("max", c.max());
            if (c.category() != null) o.put("category", c.category());
        }
        return arr;
    }

    static ObjectNode list(List<Task> tasks) {
        ObjectNode n = Responses.JSON.createObjectNode();
        ArrayNode arr = n.putArray("tasks");
        tasks.forEach(t -> arr.add(of(t)));
        return n;
    }

    private static void putLong(ObjectNode n, String f, Long v) {
        if (v == null) n.putNull(f);
        else n.put(f, v);
    }
}
