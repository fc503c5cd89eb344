package org.gridgov.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.gridgov.app.Config;
import org.gridgov.area.Jurisdictions;
import org.gridgov.db.Database;
import org.gridgov.demo.DemoLoader;
import org.gridgov.demo.DemoParams;
import org.gridgov.geocode.GazetteerStore;
import org.gridgov.geocode.GeocodeMatch;
import org.gridgov.geocode.Geocoder;

/**
 * Geocoding: precision@1 and latency of {@link Geocoder#best} on noisy addresses generated from the
 * demo gazetteer (prefixes of the province, city, district and subdistrict, common slips, a
 * misspelt compound, building and unit swapped, full-width digits, Chinese numerals, 栋/号楼 forms,
 * room numbers), beside a baseline in the same run: plain pg_trgm similarity of the raw text to the
 * written form, without normalisation. docs/benchmarks.md.
 *
 * <p>java -cp gridgov-bench.jar org.gridgov.bench.GeocodeBench [addresses] [seed]
 */
public final class GeocodeBench {

    /** The baseline: the nearest written form by trigram distance, the raw text as sent. */
    static final String BASELINE = "SELECT id FROM door_plate ORDER BY label <-> ?, id LIMIT 1";

    /** A noisy address and the plate it was made from. */
    public record Noisy(String text, long plateId) {}

    /** The figures of one run. */
    public record Figures(
            int addresses,
            double precision,
            double p50Ms,
            double p95Ms,
            double baselinePrecision,
            double baselineP95Ms) {}

    private record Plate(
            long id, String road, String number, String compound, String building, String unit) {}

    private static final String[] PREFIXES = {
        "", "浙江省杭州市滨江区", "杭州市滨江区", "滨江区", "杭州", "浙江杭州滨江", "杭州市滨江区新街街道", "新街街道"
    };
    private static final String[][] SLIPS = {
        {"幢", "撞"},
        {"单元", "单远"},
        {"花园", "花圆"},
        {"大道", "大到"},
        {"号", "號"},
        {"小区", "小曲"},
        {"家园", "家圆"},
        {"单元", "單元"}
    };
    private static final String NUMERALS = "零一二三四五六七八九";
    private static final String NOISE_CHARS = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要";

    private GeocodeBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 20261205L;
        try (Database db = Database.connect(Config.fromEnvironment().db())) {
            int added = DemoLoader.addAddresses(db.dataSource(), DemoParams.defaults());
            if (added > 0) System.out.printf("geocode.plates_added=%d%n", added);
            Figures f = run(db.dataSource(), n, seed);
            System.out.printf("geocode.plates=%d%n", count(db.dataSource()));
            System.out.printf("geocode.addresses=%d%n", f.addresses());
            System.out.printf("geocode.precision_at_1=%.3f%n", f.precision());
            System.out.printf("geocode.p50_ms=%.2f%n", f.p50Ms());
            System.out.printf("geocode.p95_ms=%.2f%n", f.p95Ms());
            System.out.printf("geocode.baseline_precision_at_1=%.3f%n", f.baselinePrecision());
            System.out.printf("geocode.baseline_p95_ms=%.2f%n", f.baselineP95Ms());
            System.out.printf(
                    "geocode.precision_ratio=%.2f%n", f.precision() / f.baselinePrecision());
            System.out.printf("geocode.p95_ratio=%.2f%n", f.p95Ms() / f.baselineP95Ms());
        }
    }

    /** Generates {@code n} noisy addresses and measures both methods on them, one at a time. */
    public static Figures run(DataSource ds, int n, long seed) throws Exception {
        List<Noisy> queries = noisy(ds, n, seed);
        Jurisdictions areas = Jurisdictions.load(ds);
        Geocoder geocoder =
                new Geocoder(
                        new GazetteerStore(ds),
                        () -> List.of("浙江省", "杭州市", areas.districtName(), areas.subdistrictName()));
        // warm-up: the index and the plans, as a running server has them
        for (int i = 0; i < Math.min(50, queries.size()); i++) geocoder.best(queries.get(i).text());
        int hits = 0;
        double[] ms = new double[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
            Noisy q = queries.get(i);
            long t0 = System.nanoTime();
            var best = geocoder.best(q.text());
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (best.map(GeocodeMatch::plate).map(p -> p.id() == q.plateId()).orElse(false)) hits++;
        }
        int baseHits = 0;
        double[] baseMs = new double[queries.size()];
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(BASELINE)) {
            for (int i = 0; i < queries.size(); i++) {
                Noisy q = queries.get(i);
                long t0 = System.nanoTime();
                ps.setString(1, q.text());
                long got = -1;
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) got = rs.getLong(1);
                }
                baseMs[i] = (System.nanoTime() - t0) / 1e6;
                if (got == q.plateId()) baseHits++;
            }
        }
        return new Figures(
                queries.size(),
                (double) hits / queries.size(),
                percentile(ms, 0.50),
                percentile(ms, 0.95),
                (double) baseHits / queries.size(),
                percentile(baseMs, 0.95));
    }

    /** {@code n} plates drawn at random, each written with one to three kinds of noise. */
    public static List<Noisy> noisy(DataSource ds, int n, long seed) throws SQLException {
        List<Plate> plates = new ArrayList<>();
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT id, road, number, compound, building, unit FROM door_plate"
                                        + " ORDER BY id")) {
            while (rs.next())
                plates.add(
                        new Plate(
                                rs.getLong(1),
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6)));
        }
        if (plates.isEmpty()) throw new IllegalStateException("the gazetteer is empty");
        SplittableRandom r = new SplittableRandom(seed);
        List<Noisy> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Plate p = plates.get(r.nextInt(plates.size()));
            out.add(new Noisy(write(p, r), p.id()));
        }
        return out;
    }

    private static String write(Plate p, SplittableRandom r) {
        boolean numerals = r.nextInt(4) == 0;
        boolean fullWidth = r.nextInt(4) == 0;
        boolean swapped = r.nextInt(3) == 0;
        String number = numerals && r.nextBoolean() ? chinese(p.number()) : p.number();
        StringBuilder b = new StringBuilder(PREFIXES[r.nextInt(PREFIXES.length)]);
        b.append(p.road()).append(number).append('号');
        if (p.compound() != null) {
            String compound = p.compound();
            // a misspelt name: one character replaced
            if (compound.length() >= 3 && r.nextInt(5) == 0) {
                int k = r.nextInt(compound.length());
                compound =
                        compound.substring(0, k)
                                + NOISE_CHARS.charAt(r.nextInt(NOISE_CHARS.length()))
                                + compound.substring(k + 1);
            }
            b.append(compound);
            if (r.nextInt(4) == 0) b.append("小区");
        }
        String building = null, unit = null;
        if (p.building() != null) {
            String no = numerals ? chinese(p.building()) : p.building();
            building =
                    switch (r.nextInt(4)) {
                        case 0 -> no + "幢";
                        case 1 -> no + "栋";
                        case 2 -> no + "号楼";
                        default -> no + "#";
                    };
        }
        if (p.unit() != null) unit = (numerals ? chinese(p.unit()) : p.unit()) + "单元";
        if (swapped && building != null && unit != null) b.append(unit).append(building);
        else {
            if (building != null) b.append(building);
            if (unit != null) b.append(unit);
        }
        if (unit != null && r.nextInt(3) == 0)
            b.append(100 * (1 + r.nextInt(18)) + 1 + r.nextInt(4)).append('室');
        String s = b.toString();
        if (r.nextInt(3) == 0) {
            String[] slip = SLIPS[r.nextInt(SLIPS.length)];
            s = s.replaceFirst(slip[0], slip[1]);
        }
        if (r.nextInt(5) == 0) s = s.replace("号", " 号 ");
        return fullWidth ? fullWidth(s) : s;
    }

    /** 12 → 十二, 108 → 一百零八: as a caller says it. */
    static String chinese(String digits) {
        if (!digits.matches("\\d{1,3}")) return digits;
        int v = Integer.parseInt(digits);
        if (v == 0) return "零";
        StringBuilder b = new StringBuilder();
        int h = v / 100, t = v / 10 % 10, o = v % 10;
        if (h > 0) b.append(NUMERALS.charAt(h)).append('百');
        if (t > 0) {
            if (!(h == 0 && t == 1)) b.append(NUMERALS.charAt(t));
            b.append('十');
        } else if (h > 0 && o > 0) b.append('零');
        if (o > 0) b.append(NUMERALS.charAt(o));
        return b.toString();
    }

    private static String fullWidth(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray())
            b.append(ch >= '0' && ch <= '9' ? (char) (ch - '0' + '０') : ch);
        return b.toString();
    }

    private static double percentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[Math.min(s.length - 1, (int) Math.ceil(q * s.length) - 1)];
    }

    private static long count(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM door_plate")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
