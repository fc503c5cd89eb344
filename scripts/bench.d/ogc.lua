-- wrk report for scripts/bench.d/ogc.sh: key=value lines, key prefix from BENCH_KEY.
done = function(summary, latency, requests)
  local k = os.getenv("BENCH_KEY") or "ogc"
  local secs = summary.duration / 1e6
  io.write(string.format("%s.p50_ms=%.1f\n", k, latency:percentile(50) / 1000))
  io.write(string.format("%s.p95_ms=%.1f\n", k, latency:percentile(95) / 1000))
  io.write(string.format("%s.req_per_s=%.1f\n", k, summary.requests / secs))
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout
  io.write(string.format("%s.errors=%d\n", k, bad))
end
