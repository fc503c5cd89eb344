# shellcheck shell=bash disable=SC2154
# Sourced by scripts/bench, whose settings (work, port, bench_db, seconds, ...) it uses.
# Intake over HTTP (wrk) against the same write straight into PostgreSQL (pgbench), in alternating
# rounds of the same run (these machines are noisy: one round of each can be off by a third).
# Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL set to the bench database).
# Both write into a copy of the bench database (the event log is append-only, so the hundreds of
# thousands of reports they add could never be taken out again and would skew other benches).
intake_db=gridgov_bench_intake
rounds="${BENCH_ROUNDS:-3}"
db_psql -d postgres -c "DROP DATABASE IF EXISTS $intake_db WITH (FORCE)" >/dev/null
db_psql -d postgres -c "CREATE DATABASE $intake_db TEMPLATE $bench_db OWNER $PG_OWNER_ROLE" >/dev/null
GRIDGOV_DB_URL="$(db_url $intake_db)"
intake_fixture $intake_db

wrk_run() {   # seconds → key=value lines
  BENCH_POINTS="$work/points.txt" BENCH_CATEGORIES="$work/categories.txt" \
    wrk -t2 -c"$conns" -d"$1s" --timeout 5s -s "$GRIDGOV_HOME/scripts/bench.d/intake.lua" "http://127.0.0.1:$port" | grep '^http\.'
}
pgbench_run() { direct_insert $intake_db "$1"; }
value() { grep -oP "^$1=\K[0-9.]+" "$2"; }
median() { sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

start_bench_server
export BENCH_TOKEN; BENCH_TOKEN="$(curl -sf -H 'Content-Type: application/json' -d '{"username":"operator","password":"'"$GRIDGOV_DEMO_PASSWORD"'"}' \
  "http://127.0.0.1:$port/api/v1/auth/token" | sed -n 's/.*"token" *: *"\([^"]*\)".*/\1/p')"
[ -n "$BENCH_TOKEN" ] || die "intake: the operator could not log in"
log "intake: $rounds rounds of HTTP (wrk) then direct (pgbench), $conns connections, ${seconds}s each, after a warm-up"
wrk_run 10 >/dev/null
pgbench_run 5 >/dev/null
: > "$work/rounds.txt"
for r in $(seq 1 "$rounds"); do
  wrk_run "$seconds" > "$work/http.txt"
  pgbench_run "$seconds" > "$work/direct.txt"
  h=$(value http.per_s "$work/http.txt"); d=$(value direct.per_s "$work/direct.txt")
  printf 'round %s: http %s/s p50 %s ms p99 %s ms non-2xx %s | direct %s/s p50 %s ms p99 %s ms | ratio %s\n' "$r" "$h" \
    "$(value http.p50_ms "$work/http.txt")" "$(value http.p99_ms "$work/http.txt")" "$(value http.non_2xx "$work/http.txt")" \
    "$d" "$(value direct.p50_ms "$work/direct.txt")" "$(value direct.p99_ms "$work/direct.txt")" \
    "$(awk -v h="$h" -v d="$d" 'BEGIN{printf "%.2f", h/d}')" | tee -a "$work/rounds.txt" >&2
done
stop_bench_server
for k in http.per_s http.p50_ms http.p99_ms direct.per_s direct.p50_ms direct.p99_ms; do
  case $k in
    http.per_s) col=4 ;; http.p50_ms) col=6 ;; http.p99_ms) col=9 ;; direct.per_s) col=15 ;; direct.p50_ms) col=17 ;; direct.p99_ms) col=20 ;;
  esac
  echo "$k=$(awk -v "c=$col" '{gsub("/s","",$c); print $c}' "$work/rounds.txt" | median) (median of $rounds)"
done
echo "intake.http_to_direct_ratio=$(awk '{print $NF}' "$work/rounds.txt" | median) (median of per-round ratios)"
echo "intake.http_non_2xx=$(awk '{s+=$12} END{print s}' "$work/rounds.txt")"
# the server's group commit over the whole leg (warm-up included), logged when it stops
echo "intake.group_commit=$(grep -oP 'intake group commit: \K.*' "$work/server.log" | tail -1)"
GRIDGOV_DB_URL="$(db_url "$bench_db")"; export GRIDGOV_DB_URL
db_psql -d postgres -c "DROP DATABASE IF EXISTS $intake_db WITH (FORCE)" >/dev/null
