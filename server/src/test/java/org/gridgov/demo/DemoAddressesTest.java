package org.gridgov.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.gridgov.geocode.AddressNormaliser;
import org.gridgov.geocode.GazetteerStore.NewPlate;
import org.junit.jupiter.api.Test;

/** The demo's door plates: every unit has some, each is one door, the same seed the same ones. */
class DemoAddressesTest {

    @Test
    void everyUnitHasDistinctDoorPlatesFromTheSeed() {
        DemoData d = DemoSubdistrict.generate(DemoParams.small());
        List<NewPlate> plates = DemoAddresses.of(d, DemoParams.small().seed());
        assertEquals(plates, DemoAddresses.of(d, DemoParams.small().seed()), "deterministic");
        Set<Long> units = new HashSet<>();
        plates.forEach(p -> units.add(p.baseUnitId()));
        assertEquals(d.units().size(), units.size(), "every unit has a door plate");
        AddressNormaliser n =
                new AddressNormaliser(
                        List.of(DemoSubdistrict.DISTRICT_NAME, DemoSubdistrict.SUBDISTRICT_NAME),
                        AddressNormaliser.defaultTypos());
        Set<String> seen = new HashSet<>();
        for (NewPlate p : plates) {
            var a = n.normalise(p.label());
            assertTrue(a.road() != null && a.number() != null, p.label());
            assertTrue(seen.add(a.text()), "one door, one address: " + p.label());
        }
    }
}
