package org.gridgov.geocode;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gridgov.api.Csv;

/**
 * Brings a Chinese address to the one form the gazetteer is compared in: half-width digits and
 * letters, no spaces or punctuation, common slips corrected (the table geocode/typos.csv), Chinese
 * numerals in numbers as digits, the jurisdiction's own province/city/district/subdistrict names
 * dropped from the front, one word for each kind of number (栋/座/号楼 → 幢, 弄 → 号), rooms and floors
 * dropped (a door plate ends at the unit), and the parts in one order: road, number, compound,
 * building, unit. Pure: no I/O after construction. docs/addresses.md.
 */
public final class AddressNormaliser {

    /** The address names another province, city or district than the jurisdiction's. */
    public static final class Elsewhere extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String place;

        Elsewhere(String place) {
            super("'" + place + "' is not in this jurisdiction");
            this.place = place;
        }

        public String place() {
            return place;
        }
    }

    /** Administrative suffixes a name may be written with or without (杭州市, 杭州). */
    private static final List<String> ADMIN_SUFFIXES =
            List.of("特别行政区", "自治区", "街道", "省", "市", "区", "县", "镇", "乡");

    /** Another place's name at the front: two to seven characters and a province/city/county. */
    private static final Pattern OTHER_PLACE =
            Pattern.compile("^(\\p{IsHan}{2,7}?(?:特别行政区|自治区|省|市|区|县))");

    /** Words that end like a place but are not one (小区, 市场, …). */
    private static final List<String> NOT_PLACES =
            List.of("小区", "社区", "园区", "校区", "景区", "厂区", "片区", "城区", "市场", "街区");

    private static final Pattern ROAD_NUMBER =
            Pattern.compile("(\\p{IsHan}[\\p{IsHan}0-9A-Z]*?(?:大道|大街|路|街|巷|道))(\\d+(?:-\\d+)?)号");
    private static final Pattern ROAD_SUFFIX = Pattern.compile("大道|大街|路|街|巷|道");
    private static final Pattern BUILDING = Pattern.compile("([0-9A-Z]+)幢");
    private static final Pattern UNIT = Pattern.compile("(\\d+)单元");

    private final List<String> ownNames;
    private final Map<String, String> typos;

    /**
     * @param ownNames the jurisdiction's names, widest first (浙江省, 杭州市, 滨江区, 新街街道); each is dropped
     *     from the front with or without its suffix
     * @param typos wrong → right, applied longest first
     */
    public AddressNormaliser(List<String> ownNames, Map<String, String> typos) {
        List<String> names = new ArrayList<>();
        for (String n : ownNames) {
            if (n == null || n.isBlank()) continue;
            String full = clean(n);
            names.add(full);
            for (String s : ADMIN_SUFFIXES) {
                if (full.endsWith(s) && full.length() - s.length() >= 2) {
                    names.add(full.substring(0, full.length() - s.length()));
                    break;
                }
            }
        }
        names.sort(Comparator.comparingInt(String::length).reversed());
        this.ownNames = List.copyOf(names);
        Map<String, String> t = new LinkedHashMap<>();
        typos.entrySet().stream()
                .sorted(
                        Comparator.comparingInt(
                                        (Map.Entry<String, String> e) -> e.getKey().length())
                                .reversed())
                .forEach(e -> t.put(e.getKey(), e.getValue()));
        this.typos = t;
    }

    /** The typo table packaged with the build. */
    public static Map<String, String> defaultTypos() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Csv.Row r :
                Csv.rowsFromClasspath(
                        AddressNormaliser.class, "/geocode/typos.csv", List.of("wrong", "right")))
            m.put(r.text("wrong"), r.text("right"));
        return m;
    }

    /**
     * The address in its compared form.
     *
     * @throws Elsewhere when its front names another province, city or district
     */
    public NormalisedAddress normalise(String raw) {
        String s = clean(raw);
        for (Map.Entry<String, String> e : typos.entrySet())
            s = s.replace(e.getKey(), e.getValue());
        s = ChineseNumerals.inNumbers(s);
        s = dropOwnPrefixes(s);
        s = forms(s);
        return parts(s);
    }

    /** NFKC (full-width → half-width), upper case, only letters, digits and '-' between digits. */
    static String clean(String raw) {
        String s = Normalizer.normalize(raw, Normalizer.Form.NFKC).toUpperCase();
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) out.appendCodePoint(cp);
            else if (cp == '#') out.append('#');
            else if ((cp == '-' || cp == '—' || cp == '–')
                    && out.length() > 0
                    && Character.isDigit(out.charAt(out.length() - 1))
                    && i < s.length()
                    && Character.isDigit(s.charAt(i))) out.append('-');
        }
        return out.toString();
    }

    private String dropOwnPrefixes(String s) {
        boolean dropped = true;
        while (dropped && !s.isEmpty()) {
            dropped = false;
            for (String n : ownNames) {
                // 新街 of 新街街道 is not dropped from 新街路: there it names a road
                if (s.startsWith(n)
                        && s.length() > n.length()
                        && !ROAD_SUFFIX.matcher(s.substring(n.length())).lookingAt()) {
                    s = s.substring(n.length());
                    dropped = true;
                    break;
                }
            }
            if (dropped) continue;
            Matcher m = OTHER_PLACE.matcher(s);
            if (m.find() && !notAPlace(s, m.group(1))) throw new Elsewhere(m.group(1));
        }
        return s;
    }

    /** Whether the place-like match is part of a word such as 小区 or 市场. */
    private static boolean notAPlace(String s, String match) {
        char suffix = match.charAt(match.length() - 1);
        for (String w : NOT_PLACES) {
            int k = w.indexOf(suffix);
            int at = match.length() - 1 - k;
            if (k >= 0 && at >= 0 && s.startsWith(w, at)) return true;
        }
        return false;
    }

    /** One word for each kind of number; rooms and floors dropped. */
    private static String forms(String s) {
        s = s.replaceAll("(\\d+)弄(\\d+)号", "$1号$2幢");
        s = s.replaceAll("(\\d+)弄", "$1号");
        s = s.replaceAll("([0-9A-Z]+)(?:号楼|#楼|#|栋|座|幢楼)", "$1幢");
        // 3楼2单元: a building before a unit; 3楼 alone is a floor, dropped below
        s = s.replaceAll("(\\d+)楼(?=\\d+单元)", "$1幢");
        s = s.replaceAll("(\\d+)(?:层|楼)", "");
        s = s.replaceAll("(\\d+)室", "");
        // 2单元501: the room after a unit
        s = s.replaceAll("(\\d+单元)\\d+$", "$1");
        s = s.replaceAll("(\\d+幢)\\d{3,4}$", "$1");
        return s;
    }

    private static NormalisedAddress parts(String s) {
        s = s.replace("#", "");
        String building = null, unit = null;
        Matcher b = BUILDING.matcher(s);
        if (b.find()) {
            building = b.group(1);
            s = s.substring(0, b.start()) + s.substring(b.end());
        }
        Matcher u = UNIT.matcher(s);
        if (u.find()) {
            unit = u.group(1);
            s = s.substring(0, u.start()) + s.substring(u.end());
        }
        String road = null, number = null, compound;
        Matcher rn = ROAD_NUMBER.matcher(s);
        if (rn.find()) {
            road = rn.group(1);
            number = rn.group(2);
            compound = s.substring(0, rn.start()) + s.substring(rn.end());
        } else {
            compound = s;
        }
        if (compound.endsWith("小区") && compound.length() > 3)
            compound = compound.substring(0, compound.length() - 2);
        return NormalisedAddress.of(
                road, number, compound.isEmpty() ? null : compound, building, unit);
    }
}
