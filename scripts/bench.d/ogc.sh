# OGC publishing (docs/ogc.md): heatmap GetMap through the gateway (gridgov's in-memory renderer)
# against MapServer's kernel density direct; gateway vs MapServer direct for the same MapServer
# map (grids); grids GetMap/s; vector tile time vs the bare ST_AsMVT SQL.
# Sourced by scripts/bench (lib.sh loaded, GRIDGOV_DB_URL = the bench database, $port, $work, $seconds).
log "ogc: heatmap, gateway vs MapServer direct, grids GetMap, MVT"
ogc_secs="${BENCH_OGC_SECONDS:-$(( seconds / 3 > 5 ? seconds / 3 : 5 ))}"
export GRIDGOV_MAPSERVER_DIR="$work/mapserver" GRIDGOV_MAPSERVER_WORKERS=4 GRIDGOV_TILE_CACHE_MB=0
export GRIDGOV_OGC_PUBLIC_LAYERS=subdistrict,communities,roads,grids,heatmap,workload,incidents,base_units
start_bench_server
for _ in $(seq 1 60); do grep -q "incident points in memory" "$work/server.log" && break; sleep 1; done
ms_port="$(sed -n 's/^server.port = //p' "$GRIDGOV_MAPSERVER_DIR/lighttpd.conf")"
gw="http://127.0.0.1:$port/ows"
direct="http://127.0.0.1:$ms_port/mapserv?map=public&"
lua="$GRIDGOV_HOME/scripts/bench.d/ogc.lua"
# The subdistrict, square in EPSG:3857 (square pixels for the heatmap).
b3857="13386900,3524000,13393800,3530900"
heat="SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=heatmap&STYLES=&CRS=EPSG:3857&BBOX=$b3857&FORMAT=image/png&TRANSPARENT=TRUE"
grids="SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=grids&STYLES=&CRS=EPSG:3857&BBOX=$b3857&WIDTH=512&HEIGHT=512&FORMAT=image/png"
filter="&from=2026-01-01&to=2026-06-30&category=$(db_psql -d $bench_db -tAc "SELECT category FROM incident GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")"

run_wrk() {  # key url connections seconds
  BENCH_KEY="$1" wrk -t2 -c"$3" -d"$4s" --timeout 60s -s "$lua" "$2" | grep -E '^[a-z_.0-9]+='
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
val() { echo "$1" | sed -n "s/^$2=//p"; }

h512="$(run_wrk ogc.heatmap512.gateway "$gw?$heat&WIDTH=512&HEIGHT=512" 4 "$ogc_secs")"; echo "$h512"
h1024="$(run_wrk ogc.heatmap1024.gateway "$gw?$heat&WIDTH=1024&HEIGHT=1024" 4 "$ogc_secs")"; echo "$h1024"
hf="$(run_wrk ogc.heatmap512_filtered.gateway "$gw?$heat&WIDTH=512&HEIGHT=512$filter" 4 "$ogc_secs")"; echo "$hf"
# MapServer 8.0.0 kernel density over the snapped raw points (2-pixel grid in SQL): seconds a map.
hm="$(run_wrk ogc.heatmap512.mapserver_direct "${direct}$heat&WIDTH=512&HEIGHT=512" 2 "$(( ogc_secs * 2 ))")"; echo "$hm"
hmf="$(run_wrk ogc.heatmap512_filtered.mapserver_direct "${direct}$heat&WIDTH=512&HEIGHT=512$filter" 2 "$(( ogc_secs * 2 ))")"; echo "$hmf"
echo "ogc.heatmap512.mapserver_over_gridgov_p50=$(ratio "$(val "$hm" ogc.heatmap512.mapserver_direct.p50_ms)" "$(val "$h512" ogc.heatmap512.gateway.p50_ms)")"
echo "ogc.heatmap512_filtered.mapserver_over_gridgov_p50=$(ratio "$(val "$hmf" ogc.heatmap512_filtered.mapserver_direct.p50_ms)" "$(val "$hf" ogc.heatmap512_filtered.gateway.p50_ms)")"
# The same MapServer map through the gateway and direct.
gg="$(run_wrk ogc.grids512.gateway "$gw?$grids" 8 "$ogc_secs")"; echo "$gg"
gd="$(run_wrk ogc.grids512.mapserver_direct "${direct}$grids" 8 "$ogc_secs")"; echo "$gd"
echo "ogc.grids512.gateway_over_direct_throughput=$(ratio "$(val "$gg" ogc.grids512.gateway.req_per_s)" "$(val "$gd" ogc.grids512.mapserver_direct.req_per_s)")"
wfs="$(run_wrk ogc.wfs_geojson.gateway "$gw?SERVICE=WFS&VERSION=2.0.0&REQUEST=GetFeature&TYPENAMES=grids&OUTPUTFORMAT=application/json" 8 "$ogc_secs")"; echo "$wfs"
# Vector tiles, every tile over the subdistrict, cold (cache off) vs the same SQL over JDBC.
for lz in grids:15 communities:14 incidents:13 incidents:16; do
  java -Xmx1g -cp "$GRIDGOV_JAR" org.gridgov.bench.TileBench "http://127.0.0.1:$port" "${lz%%:*}" "${lz##*:}"
done
stop_bench_server
unset GRIDGOV_MAPSERVER_DIR GRIDGOV_MAPSERVER_WORKERS GRIDGOV_TILE_CACHE_MB GRIDGOV_OGC_PUBLIC_LAYERS
