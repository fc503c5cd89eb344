-- wrk script for the vector-tile benchmark (scripts/bench.d/ogc.sh): random tiles of one layer and
-- zoom over the range TILE_X0..X1 × TILE_Y0..Y1 (the same range pgbench draws from), and the
-- server's own database time from each answer's Server-Timing header. Prints key=value lines.
local layer, z = os.getenv("TILE_LAYER"), tonumber(os.getenv("TILE_Z"))
local x0, x1 = tonumber(os.getenv("TILE_X0")), tonumber(os.getenv("TILE_X1"))
local y0, y1 = tonumber(os.getenv("TILE_Y0")), tonumber(os.getenv("TILE_Y1"))
local threads = {}
db = {}
bad = 0

function setup(thread)
  table.insert(threads, thread)
end

function request()
  return wrk.format("GET", "/tiles/" .. layer .. "/" .. z .. "/" .. math.random(x0, x1) .. "/" .. math.random(y0, y1) .. ".mvt")
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
  local timing = headers["Server-Timing"] or headers["server-timing"]
  local d = timing and string.match(timing, "db;dur=([0-9.]+)")
  if d then db[#db + 1] = tonumber(d) end
end

function done(summary, latency, requests)
  local k = os.getenv("BENCH_KEY")
  local all, errors = {}, 0
  for _, t in ipairs(threads) do
    for _, v in ipairs(t:get("db")) do all[#all + 1] = v end
    errors = errors + t:get("bad")
  end
  local sum = 0
  for _, v in ipairs(all) do sum = sum + v end
  -- Means: a zoom's tiles differ by 10× and more (empty edge tiles, dense centre ones), so a
  -- median of a few tiles flips between them; the mean over uniformly drawn tiles does not.
  io.write(string.format("%s.http_mean_ms=%.3f\n", k, latency.mean / 1000))
  io.write(string.format("%s.http_p50_ms=%.3f\n", k, latency:percentile(50) / 1000))
  io.write(string.format("%s.requests=%d\n", k, summary.requests))
  if #all > 0 then io.write(string.format("%s.server_db_mean_ms=%.3f\n", k, sum / #all)) end
  io.write(string.format("%s.errors=%d\n", k, errors + summary.errors.status + summary.errors.read + summary.errors.timeout))
end
