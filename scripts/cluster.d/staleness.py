#!/usr/bin/env python3
"""How stale one instance's memory is after a change made through another (docs/cluster.md).

Run by `scripts/cluster staleness` on a running cluster with the demo subdistrict: a change is
made through instance 1 and instance 2 is polled directly (past HAProxy) until it shows it.
Prints key=value lines (milliseconds): the live relay (incident points and the live feed), an
incident tile, the routing index after a plan adoption, a grid tile after that adoption.
Standard library only.
"""
import json
import math
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

A, B, PASSWORD, LON, LAT, CATEGORY = sys.argv[1:7]
SAMPLES = int(sys.argv[7]) if len(sys.argv) > 7 else 10


def call(base, method, path, body=None, token=None, headers=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r.status, r.headers, raw
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def login(base, user):
    s, _, raw = call(base, "POST", "/api/v1/auth/token", {"username": user, "password": PASSWORD})
    if s != 200:
        sys.exit(f"login {user} on {base}: {s} {raw[:200]}")
    return json.loads(raw)["token"]


def until(check, bound=120.0, step=0.02):
    """Polls check() until it is true; the milliseconds it took from now."""
    t0 = time.monotonic()
    while not check():
        if time.monotonic() - t0 > bound:
            sys.exit("gave up after %.0f s" % bound)
        time.sleep(step)
    return (time.monotonic() - t0) * 1000


def tile_xy(lon, lat, z):
    n = 2 ** z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def report(base, lon, lat, category, token, key):
    body = {"category": category, "channel": "HOTLINE", "description": key,
            "location": {"lon": lon, "lat": lat}}
    s, _, raw = call(base, "POST", "/api/v1/incidents", body, token, {"Idempotency-Key": key})
    if s != 201:
        sys.exit(f"report: {s} {raw[:300]}")
    return json.loads(raw)["id"]


def summary(name, ms):
    print(f"staleness.{name}.samples={len(ms)}")
    print(f"staleness.{name}.median_ms={statistics.median(ms):.0f}")
    print(f"staleness.{name}.max_ms={max(ms):.0f}")


def main():
    op_a, op_b, planner = login(A, "operator"), login(B, "operator"), login(A, "planner")
    category, lon, lat = CATEGORY, float(LON), float(LAT)

    # 1. the relay: a report through A, seen on B's live feed (incident points are fed by the
    # same relay batch, before the feed)
    seen = {}
    stop = threading.Event()

    def feed():
        req = urllib.request.Request(B + "/api/v1/events")
        req.add_header("Authorization", "Bearer " + op_b)
        with urllib.request.urlopen(req, timeout=300) as r:
            for line in r:
                if stop.is_set():
                    return
                line = line.decode()
                if line.startswith("data:"):
                    try:
                        seen.setdefault(json.loads(line[5:])["incidentId"], time.monotonic())
                    except (ValueError, KeyError):
                        pass

    threading.Thread(target=feed, daemon=True).start()
    time.sleep(2)
    relay = []
    for i in range(SAMPLES):
        t0 = time.monotonic()
        iid = report(A, lon, lat, category, op_a, f"staleness-relay-{time.time_ns()}-{i}")
        t1 = time.monotonic()
        until(lambda: iid in seen)
        relay.append((seen[iid] - t1) * 1000)
        _ = t0
        time.sleep(0.3)
    stop.set()
    summary("relay_live_feed", relay)

    # 2. an incident tile on B after a report through A at its point
    z = 15
    x, y = tile_xy(lon, lat, z)
    path = f"/tiles/incidents/{z}/{x}/{y}.mvt"
    tiles = []
    for i in range(SAMPLES):
        call(B, "GET", path, token=op_b)
        _, h, _ = call(B, "GET", path, token=op_b)
        etag = h.get("ETag")
        report(A, lon, lat, category, op_a, f"staleness-tile-{time.time_ns()}-{i}")
        tiles.append(until(lambda: call(B, "GET", path, token=op_b)[1].get("ETag") != etag))
        time.sleep(0.3)
    summary("incident_tile", tiles)

    # 3. a plan adopted through A: B's routing index (the plan a report would go to) and B's grid
    # tiles
    def routed_plan(base, token):
        body = {"category": category, "channel": "HOTLINE", "location": {"lon": lon, "lat": lat}}
        s, _, raw = call(base, "POST", "/api/v1/incidents/preview", body, token)
        if s != 200:
            sys.exit(f"preview: {s} {raw[:300]}")
        n = json.loads(raw)
        return (n.get("routing") or n).get("planId")

    grid_path = f"/tiles/grids/{z - 2}/{x >> 2}/{y >> 2}.mvt"
    index, grid_tiles = [], []
    for i in range(max(2, SAMPLES // 3)):
        before = routed_plan(B, op_b)
        call(B, "GET", grid_path, token=op_b)
        grid_etag = call(B, "GET", grid_path, token=op_b)[1].get("ETag")
        s, _, raw = call(A, "POST", "/api/v1/plans", {"from": "active", "name": f"staleness {i}"}, planner)
        if s not in (200, 201):
            sys.exit(f"draft: {s} {raw[:300]}")
        draft = json.loads(raw)
        now = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        s, _, raw = call(A, "POST", f"/api/v1/plans/{draft['id']}/adopt", {"effectiveFrom": now, "band": 0.99}, planner)
        if s not in (200, 201):
            sys.exit(f"adopt: {s} {raw[:300]}")
        t0 = time.monotonic()
        if routed_plan(A, op_a) == before:
            sys.exit("instance 1 still routes under the old plan")
        done = {}

        def check():
            if "tile" not in done and call(B, "GET", grid_path, token=op_b)[1].get("ETag") != grid_etag:
                done["tile"] = (time.monotonic() - t0) * 1000
            if "index" not in done and routed_plan(B, op_b) != before:
                done["index"] = (time.monotonic() - t0) * 1000
            return len(done) == 2

        until(check, bound=120, step=0.1)
        index.append(done["index"])
        grid_tiles.append(done["tile"])
    summary("routing_index_after_adoption", index)
    summary("grid_tile_after_adoption", grid_tiles)


main()
