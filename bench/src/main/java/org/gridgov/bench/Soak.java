package org.gridgov.bench;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.gridgov.geo.TileScheme;

/**
 * A steady mixed load for a long time: intake at a fixed rate, vector tiles and heatmaps, and SSE
 * screens held open, reported per window: the server's RSS, errors (5xx, no answer, a screen
 * dropped) and p99 latency of each kind. A leak shows as RSS or p99 climbing window after window.
 */
public final class Soak {

    /** One reporting window. */
    public record Window(
            int index,
            double rssMb,
            long requests,
            long errors,
            double intakeP99Ms,
            double tileP99Ms,
            double heatmapP99Ms,
            long screensOpen,
            long events) {}

    /** The whole run: its windows and its totals. */
    public record Result(
            List<Window> windows, long requests, long errors, List<String> errorSamples) {
        public void print(String prefix) {
            for (Window w : windows) {
                System.out.printf(
                        "%s.window%d rss_mb=%.0f requests=%d errors=%d intake_p99_ms=%.1f tile_p99_ms=%.1f heatmap_p99_ms=%.1f screens=%d events=%d%n",
                        prefix,
                        w.index,
                        w.rssMb,
                        w.requests,
                        w.errors,
                        w.intakeP99Ms,
                        w.tileP99Ms,
                        w.heatmapP99Ms,
                        w.screensOpen,
                        w.events);
            }
            System.out.printf("%s.requests=%d%n%s.errors=%d%n", prefix, requests, prefix, errors);
            if (!windows.isEmpty()) {
                System.out.printf(
                        "%s.rss_first_mb=%.0f%n%s.rss_last_mb=%.0f%n",
                        prefix,
                        windows.get(0).rssMb,
                        prefix,
                        windows.get(windows.size() - 1).rssMb);
            }
            errorSamples.stream()
                    .limit(5)
                    .forEach(e -> System.out.println(prefix + ".error: " + e));
        }
    }

    /**
     * Rates per second of each kind of request, screens held open, and the area's box (lon/lat) to
     * draw tiles and maps in.
     */
    public record Mix(
            double intakePerSecond,
            double tilesPerSecond,
            double heatmapsPerSecond,
            int screens,
            double minLon,
            double minLat,
            double maxLon,
            double maxLat) {}

    private final HttpClient http =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
    private final String base;
    private final String token;
    private final Mix mix;
    private final long serverPid;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong requests = new AtomicLong(),
            errors = new AtomicLong(),
            screensOpen = new AtomicLong(),
            events = new AtomicLong();
    private final ConcurrentLinkedQueue<Double> tileMs = new ConcurrentLinkedQueue<>(),
            heatmapMs = new ConcurrentLinkedQueue<>();
    private final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());

    /** The screens' open feeds, closed at the end so their readers return. */
    private final ConcurrentLinkedQueue<InputStream> feeds = new ConcurrentLinkedQueue<>();

    public Soak(String base, String token, Mix mix, long serverPid) {
        this.base = base;
        this.token = token;
        this.mix = mix;
        this.serverPid = serverPid;
    }

    /**
     * Runs for {@code total}, reporting every {@code window}; intake reports go to {@code category}
     * at (lon, lat).
     */
    public Result run(Duration total, Duration window, String category, double lon, double lat)
            throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < mix.screens(); s++)
            threads.add(daemon(this::screen, "soak-screen-" + s));
        IntakeLoad intake =
                new IntakeLoad(
                        () -> base,
                        token,
                        category,
                        lon,
                        lat,
                        "soak-" + Long.toHexString(System.nanoTime()),
                        mix.intakePerSecond());
        intake.start(Math.max(2, (int) Math.ceil(mix.intakePerSecond() / 20)));
        Random random = new Random(7);
        threads.add(
                daemon(
                        () -> paced(mix.tilesPerSecond(), () -> timed(tile(random), tileMs)),
                        "soak-tiles"));
        threads.add(
                daemon(
                        () ->
                                paced(
                                        mix.heatmapsPerSecond(),
                                        () -> timed(heatmap(random), heatmapMs)),
                        "soak-heatmaps"));
        List<Window> windows = new ArrayList<>();
        long t0 = System.nanoTime();
        long lastRequests = 0,
                lastErrors = 0,
                lastEvents = 0,
                lastIntakeErrors = 0,
                intakeTotal = 0;
        try {
            for (int i = 0; System.nanoTime() - t0 < total.toNanos(); i++) {
                long end = Math.min(t0 + (i + 1) * window.toNanos(), t0 + total.toNanos());
                while (System.nanoTime() < end)
                    Thread.sleep(
                            Math.max(1, Math.min(1000, (end - System.nanoTime()) / 1_000_000)));
                List<Double> intakeMs = intake.drainLatencies();
                long intakeErrors =
                        intake.serverErrors().size()
                                + intake.noAnswer()
                                + intake.statuses().getOrDefault(503, 0L);
                intakeTotal += intakeMs.size();
                long req = requests.get() + intakeTotal,
                        err = errors.get() + intakeErrors,
                        ev = events.get();
                windows.add(
                        new Window(
                                i + 1,
                                rssMb(),
                                req - lastRequests,
                                err - lastErrors,
                                p99(intakeMs),
                                p99(drain(tileMs)),
                                p99(drain(heatmapMs)),
                                screensOpen.get(),
                                ev - lastEvents));
                lastRequests = req;
                lastErrors = err;
                lastEvents = ev;
                lastIntakeErrors = intakeErrors;
            }
        } finally {
            stop.set(true);
            intake.stop();
            for (InputStream in; (in = feeds.poll()) != null; ) {
                try {
                    in.close();
                } catch (Exception ignored) {
                    // closing is all that is wanted
                }
            }
        }
        intake.serverErrors().forEach(errorSamples::add);
        for (Thread t : threads) t.join(120_000);
        long all = windows.stream().mapToLong(Window::requests).sum();
        return new Result(windows, all, errors.get() + lastIntakeErrors, List.copyOf(errorSamples));
    }

    private String tile(Random random) {
        int z = 14 + random.nextInt(3);
        double lon = mix.minLon() + random.nextDouble() * (mix.maxLon() - mix.minLon());
        double lat = mix.minLat() + random.nextDouble() * (mix.maxLat() - mix.minLat());
        String layer = random.nextBoolean() ? "grids" : "incidents";
        return "/tiles/"
                + layer
                + "/"
                + z
                + "/"
                + TileScheme.x(z, lon)
                + "/"
                + TileScheme.y(z, lat)
                + ".mvt";
    }

    private String heatmap(Random random) {
        // a quarter of the area, somewhere in it, as a panning screen asks
        double w = (mix.maxLon() - mix.minLon()) / 2, h = (mix.maxLat() - mix.minLat()) / 2;
        double lon = mix.minLon() + random.nextDouble() * w,
                lat = mix.minLat() + random.nextDouble() * h;
        return "/ows?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=heatmap&STYLES=&CRS=EPSG:4326&BBOX="
                + lat
                + ","
                + lon
                + ","
                + (lat + h)
                + ","
                + (lon + w)
                + "&WIDTH=256&HEIGHT=256&FORMAT=image/png&TRANSPARENT=TRUE";
    }

    private void timed(String path, ConcurrentLinkedQueue<Double> into) {
        long t = System.nanoTime();
        try {
            HttpResponse<byte[]> r =
                    http.send(request(path).build(), HttpResponse.BodyHandlers.ofByteArray());
            into.add((System.nanoTime() - t) / 1e6);
            requests.incrementAndGet();
            if (r.statusCode() >= 500)
                error(
                        r.statusCode()
                                + " "
                                + path
                                + " "
                                + new String(r.body(), 0, Math.min(300, r.body().length)));
        } catch (Exception e) {
            requests.incrementAndGet();
            error("no answer " + path + ": " + e);
        }
    }

    /**
     * One command-centre screen: the SSE feed held open for the whole run; a feed that ends early
     * is an error.
     */
    private void screen() {
        while (!stop.get()) {
            try {
                HttpResponse<InputStream> r =
                        http.send(
                                request("/api/v1/events")
                                        .header("Accept", "text/event-stream")
                                        .build(),
                                HttpResponse.BodyHandlers.ofInputStream());
                if (r.statusCode() != 200) {
                    error("events: " + r.statusCode());
                    r.body().close();
                    Thread.sleep(1000);
                    continue;
                }
                screensOpen.incrementAndGet();
                feeds.add(r.body());
                if (stop.get()) r.body().close(); // the run ended while this screen connected
                try (var in =
                        new java.io.BufferedReader(
                                new java.io.InputStreamReader(
                                        r.body(), java.nio.charset.StandardCharsets.UTF_8))) {
                    String line;
                    while (!stop.get() && (line = in.readLine()) != null)
                        if (line.startsWith("data:")) events.incrementAndGet();
                } finally {
                    screensOpen.decrementAndGet();
                }
                if (!stop.get()) error("an events feed ended during the run");
            } catch (Exception e) {
                if (!stop.get()) error("events: " + e);
            }
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private void paced(double perSecond, Runnable work) {
        if (perSecond <= 0) return;
        long t0 = System.nanoTime();
        for (long n = 0; !stop.get(); n++) {
            long wait = t0 + (long) (n * 1e9 / perSecond) - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
            work.run();
        }
    }

    private void error(String what) {
        errors.incrementAndGet();
        if (errorSamples.size() < 50) errorSamples.add(what);
    }

    /** The server process's resident set (Linux /proc), in MB; NaN where that cannot be read. */
    private double rssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + serverPid + "/status"))) {
                if (line.startsWith("VmRSS:"))
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        } catch (Exception ignored) {
            // not Linux, or the process is gone
        }
        return Double.NaN;
    }

    private static List<Double> drain(ConcurrentLinkedQueue<Double> q) {
        List<Double> out = new ArrayList<>();
        for (Double d; (d = q.poll()) != null; ) out.add(d);
        return out;
    }

    static double p99(List<Double> ms) {
        if (ms.isEmpty()) return Double.NaN;
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        return s.get((int) Math.min(s.size() - 1, Math.ceil(s.size() * 0.99) - 1));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
