#!/usr/bin/env python3
"""Navigation → grids on screen, in headless chromium driven over WebDriver (chromedriver's HTTP
API, standard library only, so the bench needs no Selenium). Prints key=value figures: the intake
screen (anonymous) cold and warm against DOMContentLoaded, then for each screen (intake, command
as operator, planner as planner) the warm time to grids and its initial load: gzip -9 of the
dist files the page fetched by then (HTML, JS, CSS chunks).
usage: webmap.py BASE_URL RUNS CHROMEDRIVER_PORT DIST_DIR"""
import gzip, json, os, statistics, sys, time, urllib.request
import os

from headless import Chromium

base, runs, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
dist = sys.argv[4] if len(sys.argv) > 4 else None
MARK = "gridgov:grids-rendered"

with Chromium(port, call_timeout=60) as browser:
    call, sid = browser.call, browser.sid
    script = """const done = arguments[arguments.length - 1];
      const poll = () => { const m = performance.getEntriesByName('%s')[0];
        if (m) { const nav = performance.getEntriesByType('navigation')[0];
                 done({map: m.startTime, dcl: nav.domContentLoadedEventEnd, transfer: nav.transferSize}); }
        else setTimeout(poll, 10); };
      poll();""" % MARK
    call("POST", f"/session/{sid}/timeouts", {"script": 60000})
    maps, dcls = [], []
    for i in range(runs + 1):
        call("POST", f"/session/{sid}/url", {"url": "about:blank"})
        call("POST", f"/session/{sid}/url", {"url": f"{base}/?run={i}#/intake"})
        r = call("POST", f"/session/{sid}/execute/async", {"script": script, "args": []})
        if i == 0:
            print(f"webmap.cold_grids_rendered_ms={r['map']:.0f}")
            print(f"webmap.cold_dom_content_loaded_ms={r['dcl']:.0f}")
        else:
            maps.append(r["map"]); dcls.append(r["dcl"])
    p50m, p50d = statistics.median(maps), statistics.median(dcls)
    print(f"webmap.runs={runs}")
    print(f"webmap.grids_rendered_p50_ms={p50m:.0f}")
    print(f"webmap.grids_rendered_max_ms={max(maps):.0f}")
    print(f"webmap.dom_content_loaded_p50_ms={p50d:.0f}")
    print(f"webmap.grids_rendered_vs_dom_content_loaded_ratio={p50m / p50d:.1f}")

    # per screen: warm navigations, then what the page had fetched from dist 1.5 s after the map
    def login(user):
        req = urllib.request.Request(f"{base}/api/v1/auth/token", method="POST",
                                     data=json.dumps({"username": user, "password": os.environ["GRIDGOV_DEMO_PASSWORD"]}).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            a = json.load(r)
        return json.dumps({"token": a["token"], "claims": a.get("claims", {}), "username": user,
                           "expiresAt": int(time.time() * 1000) + a.get("expiresIn", 3600) * 1000})

    gz = {}
    def gzipped(name):
        if name not in gz:
            with open(os.path.join(dist, name), "rb") as f:
                gz[name] = len(gzip.compress(f.read(), 9))
        return gz[name]

    for screen, user in (("intake", None), ("command", "operator"), ("planner", "planner")):
        call("POST", f"/session/{sid}/url", {"url": f"{base}/?login#/login"})
        call("POST", f"/session/{sid}/execute/sync", {"script": "sessionStorage.clear(); if (arguments[0]) sessionStorage.setItem('gridgov.session', arguments[0]);",
                                                       "args": [login(user) if user else None]})
        times = []
        for i in range(runs + 1):
            call("POST", f"/session/{sid}/url", {"url": "about:blank"})
            call("POST", f"/session/{sid}/url", {"url": f"{base}/?{screen}={i}#/{screen}"})
            r = call("POST", f"/session/{sid}/execute/async", {"script": script, "args": []})
            if i > 0:
                times.append(r["map"])
        print(f"webmap.{screen}.grids_rendered_p50_ms={statistics.median(times):.0f}")
        if dist:
            time.sleep(1.5)
            names = call("POST", f"/session/{sid}/execute/sync", {"script": """
                return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)
                  .filter(p => p.startsWith('/assets/'));""", "args": []})
            files = ["index.html"] + sorted({n.lstrip("/") for n in names})
            js_bytes = sum(gzipped(f) for f in files if f.endswith(".js"))
            print(f"webmap.{screen}.initial_gzip_bytes={sum(gzipped(f) for f in files)}")
            print(f"webmap.{screen}.initial_js_gzip_bytes={js_bytes}")
            print(f"webmap.{screen}.initial_files={len(files)}")
