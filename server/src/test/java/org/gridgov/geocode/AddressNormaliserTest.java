package org.gridgov.geocode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressNormaliserTest {

    private static final AddressNormaliser N =
            new AddressNormaliser(
                    List.of("浙江省", "杭州市", "滨江区", "新街街道"), AddressNormaliser.defaultTypos());

    private static String text(String raw) {
        return N.normalise(raw).text();
    }

    @Test
    void theCanonicalFormIsKept() {
        assertEquals("江南大道588号春晓花园3幢2单元", text("江南大道588号春晓花园3幢2单元"));
    }

    @Test
    void ownPrefixesAreDroppedWithOrWithoutTheirSuffix() {
        String want = "江南大道588号春晓花园3幢2单元";
        assertEquals(want, text("浙江省杭州市滨江区新街街道江南大道588号春晓花园3幢2单元"));
        assertEquals(want, text("杭州滨江江南大道588号春晓花园3幢2单元"));
        assertEquals(want, text("新街街道 江南大道588号 春晓花园 3幢 2单元"));
    }

    @Test
    void aShortOwnNameThatStartsARoadStays() {
        assertEquals("新街路12号", text("新街路12号"));
        assertEquals("新街路12号", text("滨江区新街路12号"));
    }

    @Test
    void anotherCityOrDistrictIsRefused() {
        AddressNormaliser.Elsewhere e =
                assertThrows(
                        AddressNormaliser.Elsewhere.class, () -> N.normalise("上海市黄浦区南京东路100号"));
        assertEquals("上海市", e.place());
        assertEquals(
                "西湖区",
                assertThrows(AddressNormaliser.Elsewhere.class, () -> N.normalise("杭州市西湖区文三路10号"))
                        .place());
    }

    @Test
    void wordsThatEndLikePlacesAreNotPlaces() {
        assertEquals("春晓3幢", text("春晓小区3幢"));
        assertEquals("江南大道1号农贸市场", text("江南大道1号农贸市场"));
    }

    @Test
    void buildingAndUnitFormsAreOne() {
        String want = "滨盛路12号3幢2单元";
        assertEquals(want, text("滨盛路12号3栋2单元"));
        assertEquals(want, text("滨盛路12号3号楼2单元"));
        assertEquals(want, text("滨盛路12号3#2单元"));
        assertEquals(want, text("滨盛路12号3座2单元"));
        assertEquals(want, text("滨盛路12号3楼2单元"));
        assertEquals(want, text("滨盛路12號3棟2單元"));
    }

    @Test
    void buildingAndUnitMayBeSwapped() {
        assertEquals("滨盛路12号春晓3幢2单元", text("滨盛路12号春晓小区2单元3幢"));
    }

    @Test
    void roomsAndFloorsAreDropped() {
        assertEquals("滨盛路12号3幢2单元", text("滨盛路12号3幢2单元501室"));
        assertEquals("滨盛路12号3幢2单元", text("滨盛路12号3幢2单元501"));
        assertEquals("滨盛路12号3幢", text("滨盛路12号3幢5层"));
    }

    @Test
    void fullWidthDigitsAndLettersAreHalfWidth() {
        assertEquals("滨盛路12号A幢", text("滨盛路１２号Ａ栋"));
        assertEquals("滨盛路12号3幢2单元", text("滨盛路　１２号（３幢）２单元"));
    }

    @Test
    void chineseNumeralsInNumbersAreDigits() {
        assertEquals("滨盛路108号3幢2单元", text("滨盛路一百零八号三号楼二单元"));
        assertEquals("滨盛路12号", text("滨盛路十二号"));
        assertEquals("滨盛路20号", text("滨盛路二十号"));
        // a numeral in a name stays
        assertEquals("八一路5号", text("八一路5号"));
    }

    @Test
    void commonSlipsAreCorrected() {
        assertEquals("江南大道5号春晓花园3幢2单元", text("江南大到5号春晓花圆3撞2单远"));
    }

    @Test
    void laneNumbersBecomeNumberAndBuilding() {
        assertEquals("长河路123号5幢", text("长河路123弄5号"));
        assertEquals("长河路123号", text("长河路123弄"));
    }

    @Test
    void partsAreKept() {
        NormalisedAddress a = N.normalise("江南大道588号春晓花园小区3幢2单元");
        assertEquals("江南大道", a.road());
        assertEquals("588", a.number());
        assertEquals("春晓花园", a.compound());
        assertEquals("3", a.building());
        assertEquals("2", a.unit());
        NormalisedAddress b = N.normalise("春晓花园3幢");
        assertNull(b.road());
        assertEquals("春晓花园", b.compound());
    }

    @Test
    void punctuationOnlyIsEmpty() {
        assertTrue(N.normalise(" ，。 ").isEmpty());
    }

    @Test
    void numeralsReadPositionallyOrDigitByDigit() {
        assertEquals(108, ChineseNumerals.value("一百零八"));
        assertEquals(501, ChineseNumerals.value("五零一"));
        assertEquals(2, ChineseNumerals.value("两"));
        assertEquals(10, ChineseNumerals.value("十"));
    }
}
