-- wrk script for the vector-tile benchmark (scripts/bench.d/ogc.sh): every tile of TILE_LAYER at
-- TILE_Z over TILE_X0..X1 × TILE_Y0..Y1, in order, pass after pass, until TILE_REQUESTS answers
-- (the same sequence pgbench runs), with the server's own database time from each answer's
-- Server-Timing header. Run it with one thread and one connection. Prints key=value lines.
local layer, z = os.getenv("TILE_LAYER"), tonumber(os.getenv("TILE_Z"))
local x0, x1 = tonumber(os.getenv("TILE_X0")), tonumber(os.getenv("TILE_X1"))
local y0, y1 = tonumber(os.getenv("TILE_Y0")), tonumber(os.getenv("TILE_Y1"))
local total = tonumber(os.getenv("TILE_REQUESTS"))
local rows, ntiles = y1 - y0 + 1, (x1 - x0 + 1) * (y1 - y0 + 1)
local threads = {}
local sent, answered = 0, 0
db, dbn, bad = 0, 0, 0

function setup(thread)
  table.insert(threads, thread)
end

function request()
  local t = sent % ntiles
  sent = sent + 1
  return wrk.format("GET", "/tiles/" .. layer .. "/" .. z .. "/" .. (x0 + math.floor(t / rows)) .. "/" .. (y0 + t % rows) .. ".mvt")
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
  local timing = headers["Server-Timing"] or headers["server-timing"]
  local d = timing and string.match(timing, "db;dur=([0-9.]+)")
  if d then db, dbn = db + tonumber(d), dbn + 1 end
  answered = answered + 1
  if answered >= total then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local k = os.getenv("BENCH_KEY")
  local sum, n, errors = 0, 0, 0
  for _, t in ipairs(threads) do
    sum, n, errors = sum + t:get("db"), n + t:get("dbn"), errors + t:get("bad")
  end
  io.write(string.format("%s.http_mean_ms=%.3f\n", k, latency.mean / 1000))
  io.write(string.format("%s.http_p50_ms=%.3f\n", k, latency:percentile(50) / 1000))
  io.write(string.format("%s.requests=%d\n", k, summary.requests))
  if n > 0 then io.write(string.format("%s.server_db_mean_ms=%.3f\n", k, sum / n)) end
  io.write(string.format("%s.errors=%d\n", k, errors + summary.errors.status + summary.errors.read + summary.errors.timeout))
end
