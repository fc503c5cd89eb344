package org.gridgov.place;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.gridgov.api.Responses;
import org.gridgov.incident.ReporterMask;

/** Places, facilities and departments as the API answers them (docs/places.md). */
final class PlaceJson {

    private PlaceJson() {}

    /**
     * @param owner whether the owner's name and phone are shown as stored (else masked as a
     *     reporter's are, incident/ReporterMask)
     */
    static ObjectNode place(Place p, boolean owner) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("id", p.id()).put("code", p.code()).put("kind", p.kind()).put("name", p.name());
        ObjectNode o = n.putObject("owner");
        o.put("name", owner ? p.ownerName() : ReporterMask.name(p.ownerName()));
        o.put("phone", owner ? p.ownerPhone() : ReporterMask.phone(p.ownerPhone()));
        o.put("masked", !owner);
        n.putObject("unit").put("id", p.unitId()).put("code", p.unitCode());
        if (p.gridId() == null) n.putNull("grid");
        else
            n.putObject("grid")
                    .put("id", p.gridId())
                    .put("code", p.gridCode())
                    .put("name", p.gridName());
        n.putObject("location").put("lon", p.lon()).put("lat", p.lat());
        n.put("active", p.active()).put("updatedAt", p.updatedAt().toString());
        return n;
    }

    static ObjectNode facility(Facility f) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("id", f.id())
                .put("code", f.code())
                .put("kind", f.kind())
                .put("department", f.department());
        if (f.unitId() == null) n.putNull("unit");
        else n.putObject("unit").put("id", f.unitId()).put("code", f.unitCode());
        n.putObject("location").put("lon", f.lon()).put("lat", f.lat());
        n.put("active", f.active()).put("updatedAt", f.updatedAt().toString());
        return n;
    }

    static ObjectNode department(PlaceStore.DepartmentCount dc) {
        Department d = dc.department();
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("code", d.code())
                .put("nameZh", d.nameZh())
                .put("nameEn", d.nameEn())
                .put("platform", d.platform());
        if (d.handlerId() == null) n.putNull("handlerId");
        else n.put("handlerId", d.handlerId());
        n.put("facilities", dc.facilities());
        return n;
    }
}
