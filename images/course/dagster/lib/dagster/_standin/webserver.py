"""dagster-webserver: a small UI over the instance and the workspace, plus /server_info.

Every link and form action is relative, so the UI also works behind a path prefix (a
reverse proxy serving it at /something/3000/).
"""

import html
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote

import dagster

from . import daemon, log as logmod, runs
from .storage import StorageError

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2433;background:#f6f7fb}
header{background:#1d2433;color:#fff;padding:.7rem 1.4rem;display:flex;gap:1rem;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600;font-size:1.1rem}
.badge{font-size:.75rem;background:#f2c14e;color:#1d2433;border-radius:.6rem;padding:.1rem .55rem}
main{padding:1rem 1.4rem 3rem;max-width:72rem}
h2{font-size:1.05rem;margin:1.6rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #dde1ea}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eceef4;vertical-align:top}
th{background:#eef0f6;font-weight:600;font-size:.85rem}
code,pre{font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
pre{background:#fff;border:1px solid #dde1ea;padding:.6rem;overflow:auto;max-height:24rem;white-space:pre-wrap}
.ok{color:#0a7d33;font-weight:600}.bad{color:#b3261e;font-weight:600}.warn{color:#9a6700;font-weight:600}
.muted{color:#667}
button{font:inherit;padding:.15rem .7rem;border:1px solid #4f43dd;background:#4f43dd;color:#fff;border-radius:.3rem;cursor:pointer}
button.light{background:#fff;color:#4f43dd}
form{display:inline}
.error{white-space:pre-wrap;color:#b3261e;font:13px ui-monospace,monospace}
"""

STATUS_CLASS = {"SUCCESS": "ok", "FAILURE": "bad", "CANCELED": "bad", "QUEUED": "warn",
                "STARTING": "warn", "STARTED": "warn", "NOT_STARTED": "muted"}


def esc(v):
    return html.escape("" if v is None else str(v))


def ago(epoch):
    if not epoch:
        return "never"
    d = max(0, int(time.time() - epoch))
    if d < 90:
        return f"{d}s ago"
    if d < 5400:
        return f"{d // 60} min ago"
    if d < 86400 * 2:
        return f"{d // 3600} h ago"
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(epoch))


def utc(epoch):
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch)) if epoch else ""


class App:
    def __init__(self, instance, storage, locations):
        self.instance = instance
        self.storage = storage
        self.locations = locations
        self.log = logmod.get("dagster-webserver")

    # -- background: follow code servers that restart ------------------------------------------
    def watch(self):
        while True:
            time.sleep(3)
            for loc in self.locations:
                try:
                    if loc.changed():
                        ok = loc.reload()
                        self.log.info("Code location %s %s", loc.name,
                                      "reloaded: its code server restarted" if ok else f"failed to reload: {loc.error}")
                except Exception as e:  # noqa: BLE001
                    self.log.warning("Watching code location %s failed: %s", loc.name, e)

    # -- pages --------------------------------------------------------------------------------
    def page(self, title, body, base="", refresh=None):
        meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
        return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">{meta}
<title>{esc(title)} · Dagster</title><style>{CSS}</style></head><body>
<header><a href="{base}./">Dagster</a><span class="badge">course stand-in</span>
<span class="muted" style="color:#b9c0d4">{esc(self.instance.describe_storage())}</span></header>
<main>{body}</main></body></html>"""

    def overview(self):
        st = self.storage
        parts = ["<h1 style='font-size:1.4rem'>Deployment overview</h1>"]
        # code locations
        rows = []
        for loc in self.locations:
            if loc.loaded:
                n = len(loc.snapshot["assets"])
                status = f'<span class="ok">Loaded</span> <span class="muted">({n} assets)</span>'
                state = "loaded"
            elif loc.error:
                status = f'<span class="bad">Failed</span><div class="error">{esc(loc.error)}</div>'
                state = "failed"
            else:
                status = '<span class="warn">Loading…</span>'
                state = "loading"
            rows.append(
                f'<tr data-location="{esc(loc.name)}" data-status="{state}"><td><b>{esc(loc.name)}</b></td>'
                f"<td>{esc(loc.describe())}</td><td>{status}</td>"
                f'<td><form method="post" action="reload"><input type="hidden" name="location" value="{esc(loc.name)}">'
                f'<button class="light">Reload</button></form></td></tr>'
            )
        parts.append("<h2>Code locations</h2><table><tr><th>Name</th><th>Source</th><th>Status</th><th></th></tr>"
                     + "".join(rows) + "</table>")
        # assets
        mats = st.last_materializations()
        arows = []
        for loc in self.locations:
            for a in (loc.snapshot or {}).get("assets", []):
                m = mats.get(a["key"])
                last = (f'<a href="runs/{esc(m["run_id"])}">{esc(ago(m["timestamp"]))}</a>' if m else
                        '<span class="muted">never materialized</span>')
                arows.append(f"<tr><td><b>{esc(a['key'])}</b><div class='muted'>{esc(a['description'])}</div></td>"
                             f"<td>{esc(a['group'])}</td><td>{esc(', '.join(a['deps']) or '—')}</td>"
                             f"<td>{esc(a.get('compute_kind') or '')}</td><td>{last}</td></tr>")
        if arows:
            mat_all = "".join(
                f'<form method="post" action="launch"><input type="hidden" name="job" value="__ASSET_JOB">'
                f'<input type="hidden" name="location" value="{esc(loc.name)}">'
                f'<button>Materialize all ({esc(loc.name)})</button></form> '
                for loc in self.locations if loc.loaded)
            parts.append(f"<h2>Assets</h2><p>{mat_all}</p><table><tr><th>Asset</th><th>Group</th><th>Depends on</th>"
                         "<th>Kind</th><th>Last materialized</th></tr>" + "".join(arows) + "</table>")
        # jobs and schedules
        jrows, srows = [], []
        for loc in self.locations:
            snap = loc.snapshot or {}
            for j in snap.get("jobs", []):
                if j.get("hidden"):
                    continue
                jrows.append(
                    f"<tr data-job='{esc(j['name'])}'><td><b>{esc(j['name'])}</b></td><td>{esc(', '.join(j['assets']))}</td>"
                    f"<td>{esc(loc.name)}</td><td><form method='post' action='launch'>"
                    f"<input type='hidden' name='job' value='{esc(j['name'])}'>"
                    f"<input type='hidden' name='location' value='{esc(loc.name)}'><button>Launch run</button></form></td></tr>")
            for s in snap.get("schedules", []):
                tick = st.last_tick(f"{loc.name}:{s['name']}")
                running = s["default_status"] == "RUNNING"
                srows.append(
                    f"<tr><td><b>{esc(s['name'])}</b></td><td>{esc(s['job'])}</td><td><code>{esc(s['cron'])}</code> UTC</td>"
                    f"<td>{'<span class=ok>Running</span>' if running else '<span class=muted>Stopped</span>'}</td>"
                    f"<td>{esc(ago(tick['timestamp']) if tick else 'no ticks yet')}</td></tr>")
        if jrows:
            parts.append("<h2>Jobs</h2><table><tr><th>Job</th><th>Assets</th><th>Code location</th><th></th></tr>"
                         + "".join(jrows) + "</table>")
        if srows:
            parts.append("<h2>Schedules</h2><table><tr><th>Schedule</th><th>Job</th><th>Cron</th><th>Status</th>"
                         "<th>Last tick</th></tr>" + "".join(srows) + "</table>")
        # daemons
        fresh, beats = daemon.liveness(st)
        fresh_types = {b["daemon_type"] for b in fresh}
        drows = []
        for b in sorted(beats, key=lambda b: b["daemon_type"]):
            ok = b["daemon_type"] in fresh_types
            drows.append(f"<tr data-daemon='{esc(b['daemon_type'])}' data-status='{'running' if ok else 'stale'}'>"
                         f"<td>{esc(daemon.NAMES.get(b['daemon_type'], b['daemon_type']))}</td>"
                         f"<td>{'<span class=ok>Running</span>' if ok else '<span class=bad>Not running</span>'}</td>"
                         f"<td>{esc(ago(b['timestamp']))}</td><td class='muted'>{esc(b['body'].get('host', ''))}</td></tr>")
        if not drows:
            drows.append("<tr><td colspan=4><span class='bad'>No daemon heartbeats in this instance's storage.</span> "
                         "Schedules, sensors and queued runs need <code>dagster-daemon run</code>, using the same "
                         "dagster.yaml storage as this webserver.</td></tr>")
        parts.append("<h2>Daemons</h2><table><tr><th>Daemon</th><th>Status</th><th>Last heartbeat</th><th>Host</th></tr>"
                     + "".join(drows) + "</table>")
        # runs
        rrows = []
        for r in st.list_runs(limit=20):
            cls = STATUS_CLASS.get(r["status"], "")
            dur = ""
            if r["start_time"] and r["end_time"]:
                dur = f"{r['end_time'] - r['start_time']:.1f}s"
            rrows.append(f"<tr data-run='{esc(r['run_id'])}'><td><a href='runs/{esc(r['run_id'])}'><code>{esc(r['run_id'][:8])}</code></a></td>"
                         f"<td>{esc(r['job_name'])}</td><td class='{cls}'>{esc(r['status'])}</td>"
                         f"<td>{esc(ago(r['created']))}</td><td>{esc(dur)}</td></tr>")
        if not rrows:
            rrows.append("<tr><td colspan=5 class='muted'>No runs yet.</td></tr>")
        parts.append("<h2>Runs</h2><table><tr><th>Run</th><th>Job</th><th>Status</th><th>Created</th><th>Duration</th></tr>"
                     + "".join(rrows) + "</table>")
        cfg = (f"<h2>Instance</h2><table><tr><th>DAGSTER_HOME</th><td><code>{esc(self.instance.home)}</code>"
               f"{' (temporary: nothing is kept!)' if self.instance.ephemeral else ''}</td></tr>"
               f"<tr><th>Storage</th><td>{esc(st.describe())}</td></tr>"
               f"<tr><th>Run coordinator</th><td>{'QueuedRunCoordinator (the daemon launches runs)' if self.instance.queued else 'DefaultRunCoordinator (runs launch at once)'}</td></tr>"
               f"<tr><th>Compute logs</th><td><code>{esc(self.instance.compute_logs_dir)}</code></td></tr>"
               f"<tr><th>Artifacts</th><td><code>{esc(self.instance.artifact_dir)}</code></td></tr></table>")
        parts.append(cfg)
        return self.page("Overview", "".join(parts), refresh=10)

    def run_page(self, run_id):
        r = self.storage.get_run(run_id)
        if r is None:
            return None
        events = self.storage.events_for_run(run_id)
        cls = STATUS_CLASS.get(r["status"], "")
        parts = [f"<p><a href='../'>← Overview</a></p><h1 style='font-size:1.3rem'>Run <code>{esc(run_id)}</code></h1>",
                 f"<p>Job <b>{esc(r['job_name'])}</b> · code location {esc(r['body'].get('location'))} · "
                 f"status <span class='{cls}' data-status='{esc(r['status'])}'>{esc(r['status'])}</span> · created {esc(utc(r['created']))}</p>"]
        erows = []
        for e in events:
            kind = e["type"] or (e.get("level") or "LOG")
            erows.append(f"<tr><td class='muted'>{esc(time.strftime('%H:%M:%S', time.gmtime(e['timestamp'] or 0)))}</td>"
                         f"<td><code>{esc(kind)}</code></td><td>{esc(e['step_key'] or '')}</td>"
                         f"<td style='white-space:pre-wrap'>{esc(e['message'])}</td></tr>")
        parts.append("<h2>Event log</h2><table><tr><th>Time</th><th>Event</th><th>Step</th><th>Message</th></tr>"
                     + "".join(erows) + "</table>")
        log_dir = os.path.join(self.instance.compute_logs_dir, run_id, "compute_logs")
        parts.append(f"<h2>Compute logs</h2><p class='muted'>Read from <code>{esc(log_dir)}</code> in this webserver's container.</p>")
        steps = sorted({e["step_key"] for e in events if e["step_key"]})
        if os.path.isdir(log_dir):
            for step in steps:
                for ext in ("out", "err"):
                    p = os.path.join(log_dir, f"{step}.{ext}")
                    if os.path.exists(p):
                        with open(p, encoding="utf-8", errors="replace") as f:
                            text = f.read()[-20000:]
                        parts.append(f"<h3 style='font-size:.95rem'>{esc(step)} · std{esc(ext)}</h3><pre>{esc(text) or '(empty)'}</pre>")
        elif steps:
            parts.append("<p class='warn'>No compute logs found here. The process that ran the steps wrote them to "
                         "its own compute log folder: is the same volume mounted at this path in the webserver's "
                         "container?</p>")
        done = r["status"] in ("SUCCESS", "FAILURE", "CANCELED")
        return self.page(f"Run {run_id[:8]}", "".join(parts), base="../", refresh=None if done else 2)

    def server_info(self):
        v = dagster.__version__
        return {"dagster_webserver_version": v, "dagster_version": v, "dagster_graphql_version": v}

    def launch(self, form):
        job = form.get("job", [""])[0]
        loc_name = form.get("location", [None])[0]
        loc = runs.find_job(self.locations, job, loc_name)
        return runs.submit(self.instance, self.storage, loc, job)

    def reload(self, form):
        name = form.get("location", [None])[0]
        for loc in self.locations:
            if name in (None, loc.name):
                loc.reload()


def make_handler(app):
    class Handler(BaseHTTPRequestHandler):
        server_version = "dagster-webserver-standin"

        def log_message(self, fmt, *args):
            if os.environ.get("DAGSTER_WEBSERVER_LOG_REQUESTS"):
                app.log.info("%s %s", self.address_string(), fmt % args)

        def send(self, status, body, ctype="text/html; charset=utf-8", headers=None):
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def error_page(self, status, message, base=""):
            self.send(status, app.page("Error", f"<h1 style='font-size:1.2rem'>Something went wrong</h1>"
                                                f"<div class='error'>{esc(message)}</div>"
                                                f"<p><a href='{base}./'>Back to the overview</a></p>", base=base))

        def do_HEAD(self):  # noqa: N802
            self.do_GET()

        def do_GET(self):  # noqa: N802
            path = unquote(self.path.split("?", 1)[0])
            try:
                if path in ("/server_info", "/dagit_info"):
                    return self.send(200, json.dumps(app.server_info()), "application/json")
                if path in ("/", "/overview", "/index.html"):
                    return self.send(200, app.overview())
                if path.startswith("/runs/"):
                    body = app.run_page(path[len("/runs/"):].strip("/"))
                    if body is None:
                        return self.error_page(404, "No such run in this instance's storage.", base="../")
                    return self.send(200, body)
                if path == "/favicon.ico":
                    return self.send(204, "")
                return self.error_page(404, f"Nothing at {path}.")
            except StorageError as e:
                app.log.error("Storage error: %s", e)
                return self.error_page(503, f"The instance storage does not answer:\n{e}",
                                       base="../" if path.startswith("/runs/") else "")

        def do_POST(self):  # noqa: N802
            path = self.path.split("?", 1)[0]
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode("utf-8"))
            try:
                if path == "/launch":
                    run_id = app.launch(form)
                    return self.send(303, "", headers={"Location": f"runs/{run_id}"})
                if path == "/reload":
                    app.reload(form)
                    return self.send(303, "", headers={"Location": "./"})
                return self.error_page(404, f"Nothing at {path}.")
            except runs.SubmitError as e:
                return self.error_page(400, str(e))
            except StorageError as e:
                return self.error_page(503, f"The instance storage does not answer:\n{e}")

    return Handler


def serve(host, port, instance, storage, locations):
    app = App(instance, storage, locations)
    for loc in locations:
        if loc.reload():
            app.log.info("Loaded code location %s (%s)", loc.name, loc.describe())
        else:
            app.log.warning("Error loading code location %s: %s", loc.name, loc.error)
    threading.Thread(target=app.watch, daemon=True).start()
    server = ThreadingHTTPServer((host, port), make_handler(app))
    server.daemon_threads = True
    app.log.info("Serving dagster-webserver on http://%s:%d in process %d", host, port, os.getpid())
    server.serve_forever()
