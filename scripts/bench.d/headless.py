"""Headless Debian chromium over WebDriver (chromedriver's HTTP API, standard library only, so the
browser benchmarks need no Selenium). Shared by webmap.py and heatplay.py.

    with Chromium(port, call_timeout=60) as b:
        b.call("POST", f"/session/{b.sid}/url", {"url": ...})
"""
import json, os, shutil, subprocess, tempfile, time, urllib.request

# the flags Debian chromium needs on these machines (docs/web-map.md)
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,800"]


class Chromium:
    def __init__(self, port, call_timeout):
        self.port, self.call_timeout, self.sid = port, call_timeout, None

    def call(self, method, path, body=None):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=self.call_timeout) as r:
            return json.load(r)["value"]

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="gridgov-bench-chromium-")
        self.driver = subprocess.Popen(["/usr/bin/chromedriver", f"--port={self.port}"], stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, env={**os.environ, "SE_OFFLINE": "true"})
        try:
            for _ in range(50):
                try:
                    self.call("GET", "/status")
                    break
                except OSError:
                    time.sleep(0.1)
            caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
                "binary": "/usr/bin/chromium", "args": FLAGS + [f"--user-data-dir={self.profile}"]}}}}
            self.sid = self.call("POST", "/session", caps)["sessionId"]
        except BaseException:
            self._stop()
            raise
        return self

    def __exit__(self, *exc):
        try:
            if self.sid:
                self.call("DELETE", f"/session/{self.sid}")
        finally:
            self._stop()

    def _stop(self):
        self.driver.terminate()
        self.driver.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
