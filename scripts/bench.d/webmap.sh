# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# The web map: bundle size (gzip -9 of what Vite built) and the time from navigation to a map
# with grids on screen, in headless Debian chromium on localhost (the performance mark
# gridgov:grids-rendered that web-map/src/map/basemap.js sets at the first render with grid
# tiles), against the same navigation's DOMContentLoaded as the baseline (ratio).
# Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL set to the bench database).
# BENCH_WEBMAP_RUNS (10) navigations, each in a fresh profile-less tab with the HTTP cache kept.
ensure_packages chromium chromium-driver
dist="$GRIDGOV_HOME/web-map/dist"
[ -d "$dist/assets" ] || die "web-map/dist is missing: build first (mvn -pl web-map package)"
total=0; js=0; largest=0
for f in "$dist"/index.html "$dist"/assets/*; do
  z=$(gzip -9c "$f" | wc -c); total=$((total + z))
  case "$f" in *.js) js=$((js + z)); [ "$z" -gt "$largest" ] && largest=$z ;; esac
done
echo "webmap.bundle_gzip_bytes=$total"
echo "webmap.bundle_js_gzip_bytes=$js"
echo "webmap.largest_chunk_gzip_bytes=$largest"
start_bench_server
python3 "$GRIDGOV_HOME/scripts/bench.d/webmap.py" "http://127.0.0.1:$port" "${BENCH_WEBMAP_RUNS:-10}" "${BENCH_CHROMEDRIVER_PORT:-$((port + 1000))}" "$dist"
stop_bench_server
