#!/usr/bin/env python3
"""Frame time while the command centre's heatmap plays through a year, in headless chromium driven
over WebDriver (chromedriver's HTTP API, standard library only). requestAnimationFrame intervals
are recorded in the page during play (window = one week, stepping a week — or a day — at a time
from a year ago to today, each step drawn once its WMS image has loaded) and, as the baseline,
for the same time on the same page standing still. Prints key=value figures.
usage: heatplay.py BASE_URL CHROMEDRIVER_PORT STEP(day|week)"""
import json, statistics, sys, time, urllib.request
import os

from headless import Chromium

base, port, step = sys.argv[1], int(sys.argv[2]), sys.argv[3]



def login():
    req = urllib.request.Request(f"{base}/api/v1/auth/token", method="POST",
                                 data=json.dumps({"username": "director", "password": os.environ["GRIDGOV_DEMO_PASSWORD"]}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        a = json.load(r)
    return {"token": a["token"], "claims": a.get("claims", {}), "username": a.get("claims", {}).get("username"),
            "expiresAt": int(time.time() * 1000) + a.get("expiresIn", 3600) * 1000}


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


# each recording ends the previous one's loop (a generation number), so frames are never counted twice
RECORD = """const gen = window.__gen = (window.__gen || 0) + 1; window.__frames = []; window.__stop = false;
  let last = performance.now();
  const tick = (t) => { if (window.__gen !== gen) return; window.__frames.push(t - last); last = t;
    if (!window.__stop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);"""

with Chromium(port, call_timeout=900) as browser:
    call, sid = browser.call, browser.sid
    call("POST", f"/session/{sid}/timeouts", {"script": 900000})
    js = lambda script, *args: call("POST", f"/session/{sid}/execute/sync", {"script": script, "args": list(args)})
    ajs = lambda script, *args: call("POST", f"/session/{sid}/execute/async", {"script": script, "args": list(args)})
    call("POST", f"/session/{sid}/url", {"url": f"{base}/#/intake"})
    js("sessionStorage.setItem('gridgov.session', arguments[0]);", json.dumps(login()))
    call("POST", f"/session/{sid}/url", {"url": f"{base}/?play#/command"})
    ajs("""const done = arguments[arguments.length - 1];
      const poll = () => { const m = document.getElementById('command-map');
        if (m && m.dataset.gridsRendered === 'true' && m.dataset.heatmapLoaded) done(true); else setTimeout(poll, 50); };
      poll();""")
    # a one-week window, stepping by `step`, from the slider's start (a year ago)
    js("""const set = (id, v, ev) => { const e = document.getElementById(id); e.value = v; e.dispatchEvent(new Event(ev)); };
      set('cmd-span', 'week', 'change'); set('cmd-step', arguments[0], 'change'); set('cmd-time', '0', 'input');""", step)
    time.sleep(3)
    # baseline: the same page standing still for a few seconds
    js(RECORD)
    time.sleep(5)
    idle = js("window.__stop = true; return window.__frames.slice(1);")
    # play through the year, recording frames and each window's image arriving
    r = ajs("""const done = arguments[arguments.length - 1];
      const cmd = document.getElementById('cmd'), map = document.getElementById('command-map');
      const steps = []; let t0 = performance.now();
      new MutationObserver(() => steps.push(performance.now())).observe(map, { attributes: true, attributeFilter: ['data-heatmap-loaded'] });
      """ + RECORD + """
      document.getElementById('cmd-play').click();
      const poll = () => { if (cmd.dataset.playedThrough === 'true') { window.__stop = true;
          done({ frames: window.__frames.slice(1), steps, seconds: (performance.now() - t0) / 1000 }); } else setTimeout(poll, 100); };
      poll();""")
    call("DELETE", f"/session/{sid}")
    frames, steps = r["frames"], r["steps"]
    gaps = [b - a for a, b in zip(steps, steps[1:])]
    print(f"heatplay.step={step}")
    print(f"heatplay.windows_drawn={len(steps)}")
    print(f"heatplay.seconds={r['seconds']:.1f}")
    print(f"heatplay.window_interval_p50_ms={statistics.median(gaps):.0f}")
    print(f"heatplay.frames={len(frames)}")
    print(f"heatplay.frame_p50_ms={statistics.median(frames):.1f}")
    print(f"heatplay.frame_p95_ms={pct(frames, 95):.1f}")
    print(f"heatplay.frame_p99_ms={pct(frames, 99):.1f}")
    print(f"heatplay.frame_max_ms={max(frames):.1f}")
    print(f"heatplay.frames_over_50ms={sum(1 for f in frames if f > 50)}")
    print(f"heatplay.idle_frame_p50_ms={statistics.median(idle):.1f}")
    print(f"heatplay.idle_frame_p95_ms={pct(idle, 95):.1f}")
    print(f"heatplay.frame_p95_vs_idle_ratio={pct(frames, 95) / pct(idle, 95):.2f}")
