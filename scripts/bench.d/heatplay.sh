# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# Frame time while the command centre's heatmap plays through a year (one-week window stepping by
# BENCH_HEATPLAY_STEP, week (default) or day), in headless Debian chromium against a bench server
# over the bench database; requestAnimationFrame intervals during play against the same page
# standing still (ratio). Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL set).
ensure_packages chromium chromium-driver
start_bench_server
python3 "$GRIDGOV_HOME/scripts/bench.d/heatplay.py" "http://127.0.0.1:$port" "${BENCH_CHROMEDRIVER_PORT:-$((port + 1000))}" "${BENCH_HEATPLAY_STEP:-week}"
stop_bench_server
