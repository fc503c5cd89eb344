-- wrk script: POST /api/v1/incidents with random points inside the subdistrict, random
-- categories and channels, and a fresh Idempotency-Key per request (as phones send them).
local points, categories = {}, {}
local channels = {"GRID_PATROL", "HOTLINE", "PUBLIC_ONLINE", "VILLAGE_CADRE", "INSPECTION"}
local counter = 0
-- thread_id is a global: setup() sets it in each thread's own Lua state with thread:set, which
-- a local of the same name would shadow (every thread would then send the same keys).
thread_id = 0

local function lines(path)
  local t = {}
  for line in io.lines(path) do if line ~= "" then t[#t + 1] = line end end
  return t
end

local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
end

function init(args)
  points = lines(os.getenv("BENCH_POINTS"))
  categories = lines(os.getenv("BENCH_CATEGORIES"))
  math.randomseed(thread_id * 7919)
end

request = function()
  counter = counter + 1
  local p = points[math.random(#points)]
  local lon, lat = p:match("([^,]+),([^,]+)")
  local body = string.format(
    '{"category":"%s","channel":"%s","location":{"lon":%s,"lat":%s},"description":"bench"}',
    categories[math.random(#categories)], channels[math.random(#channels)], lon, lat)
  local headers = {
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", os.time(), thread_id, counter),
    -- staff channels need a staff token (anonymous callers may report on PUBLIC_ONLINE only)
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
  }
  return wrk.format("POST", "/api/v1/incidents", headers, body)
end

function done(summary, latency, requests)
  local non2xx = summary.errors.status or 0
  io.write(string.format("http.requests=%d\n", summary.requests))
  io.write(string.format("http.non_2xx=%d\n", non2xx))
  io.write(string.format("http.socket_errors=%d\n", summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("http.per_s=%.0f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("http.p50_ms=%.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("http.p99_ms=%.2f\n", latency:percentile(99) / 1000))
end
