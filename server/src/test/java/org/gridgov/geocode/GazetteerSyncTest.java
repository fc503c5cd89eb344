package org.gridgov.geocode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Statement;
import java.util.List;
import org.gridgov.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real area's addresses come with its base units (base_unit.address): the gazetteer's IMPORT
 * plates are rebuilt from them, and what cannot be read as one of ours is left out.
 */
@Tag("db")
class GazetteerSyncTest {

    private static final String MARK = "测试家园";

    private final AddressNormaliser normaliser =
            new AddressNormaliser(
                    List.of("浙江省", "杭州市", "滨江区", "新街街道"), AddressNormaliser.defaultTypos());

    private static void exec(String sql) throws Exception {
        try (var c = TestDatabase.get().connection();
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @AfterEach
    void restore() throws Exception {
        exec(
                "UPDATE base_unit SET address = NULL"
                        + " WHERE id <= (SELECT min(id) + 2 FROM base_unit)");
        new GazetteerStore(TestDatabase.get().dataSource()).syncImported(normaliser);
    }

    @Test
    void unitAddressesBecomeDoorPlates() throws Exception {
        exec(
                """
                UPDATE base_unit SET address = CASE id
                    WHEN (SELECT min(id) FROM base_unit) THEN '杭州市滨江区 滨河路７７号%1$s'
                    WHEN (SELECT min(id) + 1 FROM base_unit) THEN '上海市黄浦区南京东路1号'
                    ELSE '门卫室' END
                WHERE id <= (SELECT min(id) + 2 FROM base_unit)"""
                        .formatted(MARK));
        GazetteerStore store = new GazetteerStore(TestDatabase.get().dataSource());
        assertEquals(1, store.syncImported(normaliser), "only the readable address of ours");
        assertEquals(
                1,
                TestDatabase.queryLong(
                        "SELECT count(*) FROM door_plate WHERE source = 'IMPORT' AND road = '滨河路'"
                                + " AND number = '77' AND compound = '"
                                + MARK
                                + "' AND base_unit_id = (SELECT min(id) FROM base_unit)"));
        Geocoder g = new Geocoder(store, () -> List.of("浙江省", "杭州市", "滨江区", "新街街道"));
        assertEquals("杭州市滨江区 滨河路７７号" + MARK, g.best("滨河路77号" + MARK).orElseThrow().plate().label());
        // a second import replaces what the first wrote
        exec("UPDATE base_unit SET address = NULL WHERE address LIKE '%" + MARK + "'");
        assertEquals(0, store.syncImported(normaliser));
        assertEquals(
                0,
                TestDatabase.queryLong("SELECT count(*) FROM door_plate WHERE source = 'IMPORT'"));
    }
}
