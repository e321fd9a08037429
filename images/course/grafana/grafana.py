#!/usr/bin/env python3
"""Course stand-in for grafana/grafana, Python stdlib only. Not Grafana.

It keeps the parts of Grafana's surface the OCS lessons use:

  GET /                   a live-monitor dashboard: the latest value and a sparkline of every
                          field InfluxDB holds, per measurement and feed (refreshes every 5 s)
  GET /api/health         {"commit": ..., "database": "ok", "version": "11.3.0"}
  GET /api/datasources    the one InfluxDB datasource
  GET /api/datasources/proxy/uid/influxdb/<path>
                          forwards a GET to the datasource (e.g. query?db=...&q=...), as
                          Grafana's datasource proxy does

Settings: GF_SERVER_HTTP_PORT (3000), GF_PATHS_DATA (/var/lib/grafana), and the datasource:
INFLUX_URL (http://influxdb:8086) and INFLUX_DB (ocs_feeds). Real Grafana is given its
datasources in the UI or in provisioning files instead. All links are relative, so the page
also works behind a proxy that serves it under a path prefix.
"""

import html
import json
import os
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "11.3.0"
PORT = int(os.environ.get("GF_SERVER_HTTP_PORT", "3000"))
DATA = os.environ.get("GF_PATHS_DATA", "/var/lib/grafana")
INFLUX_URL = os.environ.get("INFLUX_URL", "http://influxdb:8086").rstrip("/")
INFLUX_DB = os.environ.get("INFLUX_DB", "ocs_feeds")
STARTED = time.time()
STATE = {}


def log(msg):
    print(f'logger=server t={time.strftime("%Y-%m-%dT%H:%M:%S%z")} msg="{msg}"', flush=True)


def init_storage():
    """Keeps a small state file in the data folder, like Grafana keeps grafana.db there."""
    path = os.path.join(DATA, "course-standin.json")
    if not os.access(DATA, os.W_OK):
        print(
            f"GF_PATHS_DATA='{DATA}' is not writable.\nYou may have issues with file "
            f"permissions, more information here: "
            "http://docs.grafana.org/installation/docker/#migrate-to-v51-or-later",
            file=sys.stderr,
            flush=True,
        )
        sys.exit(1)
    try:
        with open(path) as f:
            state = json.load(f)
    except (OSError, ValueError):
        state = {"created": time.time(), "starts": 0}
    state["starts"] = state.get("starts", 0) + 1
    state["last_start"] = STARTED
    with open(path + ".tmp", "w") as f:
        json.dump(state, f)
    os.replace(path + ".tmp", path)
    STATE.update(state)
    log(f"storage {path}: created {time.ctime(state['created'])}, start number {state['starts']}")


def influx(q, timeout=3):
    params = urllib.parse.urlencode({"db": INFLUX_DB, "q": q, "epoch": "s"})
    with urllib.request.urlopen(f"{INFLUX_URL}/query?{params}", timeout=timeout) as r:
        return json.load(r)


def datasource_status():
    """(ok, text) for the datasource line on the dashboard."""
    try:
        with urllib.request.urlopen(f"{INFLUX_URL}/ping", timeout=3) as r:
            version = r.headers.get("X-Influxdb-Version", "?")
        return True, f"InfluxDB {version} answers"
    except urllib.error.HTTPError as e:
        return False, f"InfluxDB answered HTTP {e.code}"
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        host = urllib.parse.urlsplit(INFLUX_URL).hostname
        hint = ""
        if isinstance(reason, socket.gaierror):
            hint = (
                f" The name '{host}' does not resolve from this container: is Grafana on "
                "the same Docker network as InfluxDB?"
            )
        return False, f"cannot reach {INFLUX_URL}: {reason}.{hint}"


def sparkline(values, w=260, h=40):
    nums = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(nums) < 2:
        return ""
    lo, hi = min(nums), max(nums)
    span = (hi - lo) or 1.0
    pts = " ".join(
        f"{i * w / (len(nums) - 1):.1f},{h - 2 - (v - lo) * (h - 4) / span:.1f}"
        for i, v in enumerate(nums)
    )
    return (
        f'<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        f'aria-label="last {len(nums)} values"><polyline fill="none" stroke="#f2a33a" '
        f'stroke-width="1.5" points="{pts}"/></svg>'
    )


def panels():
    """Latest values per (measurement, feed) from the last 5 minutes."""
    res = influx("SHOW MEASUREMENTS")
    series = res["results"][0].get("series", [])
    names = [v[0] for s in series for v in s.get("values", [])]
    out = []
    for m in names:
        q = f'SELECT * FROM "{m}" WHERE time > now() - 5m GROUP BY "feed"'
        r = influx(q)["results"][0]
        for s in r.get("series", []):
            cols = s["columns"]
            rows = s.get("values", [])[-300:]
            if not rows:
                continue
            feed = (s.get("tags") or {}).get("feed", "")
            fields = [c for c in cols if c not in ("time", "feed")]
            latest = rows[-1]
            out.append(
                {
                    "measurement": m,
                    "feed": feed,
                    "time": latest[0],
                    "points": len(rows),
                    "fields": [
                        (f, latest[cols.index(f)], [row[cols.index(f)] for row in rows])
                        for f in fields
                    ],
                }
            )
    return out


def dashboard():
    ok, ds_text = datasource_status()
    body = []
    if ok:
        try:
            ps = panels()
        except (urllib.error.URLError, OSError, ValueError, KeyError, IndexError) as e:
            ps, ok = [], False
            ds_text = f"query failed: {e}"
        if ok and not ps:
            body.append(
                f'<p class="empty">No data in database <code>{html.escape(INFLUX_DB)}</code> '
                "from the last 5 minutes yet. Data appears here once the OCS agents write "
                "to InfluxDB.</p>"
            )
        for p in ps:
            age = max(0, int(time.time() - p["time"]))
            rows = "".join(
                f"<tr><td><code>{html.escape(f)}</code></td><td class=num>{html.escape(str(v))}</td>"
                f"<td>{sparkline(hist)}</td></tr>"
                for f, v, hist in p["fields"]
            )
            body.append(
                f'<section class="panel"><h2>{html.escape(p["measurement"])} '
                f'<small>feed={html.escape(p["feed"])}</small></h2>'
                f"<p>last point {age} s ago, {p['points']} points in the last 5 minutes</p>"
                f"<table><tr><th>field</th><th>latest</th><th>last 5 min</th></tr>{rows}</table>"
                "</section>"
            )
    status = "ok" if ok else "error"
    up = int(time.time() - STARTED)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>OCS live monitor - Grafana</title>
<style>
body{{font-family:system-ui,sans-serif;background:#111217;color:#ccccdc;margin:0;padding:1rem 1.5rem}}
h1{{font-size:1.3rem;margin:.2rem 0}} h2{{font-size:1rem;margin:.2rem 0}} small{{color:#8e8e9e}}
.note{{color:#8e8e9e;font-size:.85rem}} .ds{{padding:.4rem .6rem;border-radius:4px;margin:.6rem 0}}
.ds.ok{{background:#1b3a2a}} .ds.error{{background:#4a1d1d}}
.panel{{background:#181b1f;border:1px solid #2c3235;border-radius:4px;padding:.6rem .8rem;margin:.8rem 0}}
table{{border-collapse:collapse}} td,th{{padding:.15rem .8rem .15rem 0;text-align:left}}
.num{{font-variant-numeric:tabular-nums}} a{{color:#6e9fff}} code{{color:#e0e0ef}}
</style></head><body>
<h1>OCS live monitor</h1>
<p class="note">Grafana stand-in for this course (not Grafana itself), version {VERSION}.
Refreshes every 5 seconds.</p>
<p class="ds {status}" data-testid="datasource-status">Datasource <b>InfluxDB</b>
<code>{html.escape(INFLUX_URL)}</code>, database <code>{html.escape(INFLUX_DB)}</code>:
{html.escape(ds_text)}</p>
{"".join(body)}
<p class="note">Server up {up} s; storage created {time.ctime(STATE.get("created", STARTED))},
start number {STATE.get("starts", 1)}. API: <a href="api/health">api/health</a>,
<a href="api/datasources">api/datasources</a>.</p>
</body></html>
"""


class Handler(BaseHTTPRequestHandler):
    server_version = "Grafana-standin"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, code, body, ctype="application/json"):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        u = urllib.parse.urlsplit(self.path)
        path = u.path.rstrip("/") or "/"
        if path == "/api/health":
            ok = os.access(DATA, os.W_OK)
            body = {"commit": "course-standin", "database": "ok" if ok else "failing", "version": VERSION}
            self.send(200 if ok else 503, json.dumps(body, indent=2) + "\n")
        elif path == "/api/datasources":
            ds = {
                "id": 1,
                "uid": "influxdb",
                "name": "InfluxDB",
                "type": "influxdb",
                "access": "proxy",
                "url": INFLUX_URL,
                "database": INFLUX_DB,
                "isDefault": True,
            }
            self.send(200, json.dumps([ds], indent=2) + "\n")
        elif path.startswith("/api/datasources/proxy/uid/influxdb/"):
            rest = path[len("/api/datasources/proxy/uid/influxdb/") :]
            target = f"{INFLUX_URL}/{rest}" + (f"?{u.query}" if u.query else "")
            try:
                with urllib.request.urlopen(target, timeout=5) as r:
                    self.send(r.status, r.read(), r.headers.get("Content-Type", "application/json"))
            except urllib.error.HTTPError as e:
                self.send(e.code, e.read(), "application/json")
            except (urllib.error.URLError, OSError) as e:
                msg = {"message": f"datasource unreachable: {getattr(e, 'reason', e)}"}
                self.send(502, json.dumps(msg) + "\n")
        elif path in ("/", "/dashboards"):
            self.send(200, dashboard(), "text/html; charset=utf-8")
        else:
            self.send(404, json.dumps({"message": "Not found"}) + "\n")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    init_storage()
    srv = Server(("0.0.0.0", PORT), Handler)
    log(f"HTTP Server Listen address=[::]:{PORT} protocol=http (Grafana stand-in {VERSION})")
    log(f"datasource InfluxDB url={INFLUX_URL} database={INFLUX_DB}")
    srv.serve_forever()


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    main()
