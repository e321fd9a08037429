#!/usr/bin/python3
"""flaky: a small web service that fails when you tell it to.

  GET /         200, a line about this instance
  GET /health   200 "ok"; 503 "starting" during START_DELAY; 500 "broken" while /tmp/broken exists
  GET /break    creates /tmp/broken (the health endpoint fails from now on)
  GET /fix      removes /tmp/broken
  GET /crash    exits with code 1 right after answering

Environment: PORT (default 8000), START_DELAY seconds before /health says ok (default 0),
CRASH_AFTER seconds after which the process exits with code 1 (default: never).
SIGTERM and SIGINT end it cleanly with code 0 (it runs as PID 1, so it must handle them).
"""

import os
import signal


def stop(signum, _frame):
    print(f"flaky: got {signal.Signals(signum).name}, shutting down cleanly", flush=True)
    os._exit(0)


# First thing: as PID 1, a signal without a handler is ignored, so `docker stop` would
# have to wait for its timeout and then SIGKILL.
signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)

import socket  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # noqa: E402

BROKEN = "/tmp/broken"
STARTED = time.monotonic()
PORT = int(os.environ.get("PORT", "8000"))
START_DELAY = float(os.environ.get("START_DELAY", "0") or 0)
CRASH_AFTER = os.environ.get("CRASH_AFTER", "")
HOST = socket.gethostname()
last_health = None


def log(msg):
    print(f"flaky: {msg}", flush=True)


def health():
    if time.monotonic() - STARTED < START_DELAY:
        return 503, "starting"
    if os.path.exists(BROKEN):
        return 500, "broken"
    return 200, "ok"


class Handler(BaseHTTPRequestHandler):
    server_version = "flaky/1.0"

    def reply(self, code, text):
        body = (text + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        global last_health
        path = self.path.split("?", 1)[0]
        if path == "/health":
            code, text = health()
            if text != last_health:
                log(f"health is now {text} ({code})")
                last_health = text
            self.reply(code, text)
            return
        log(f"GET {path}")
        if path == "/":
            up = int(time.monotonic() - STARTED)
            self.reply(200, f"flaky on {HOST}, up {up} s, health {health()[1]}")
        elif path == "/break":
            open(BROKEN, "w").close()
            self.reply(200, "broken: /health fails from now on")
        elif path == "/fix":
            if os.path.exists(BROKEN):
                os.remove(BROKEN)
            self.reply(200, "fixed: /health answers ok again")
        elif path == "/crash":
            self.reply(200, "crashing now")
            self.wfile.flush()
            log("crashing on purpose (exit code 1)")
            os._exit(1)
        else:
            self.reply(404, "not found")

    def log_message(self, fmt, *args):
        pass  # one line per request is logged above; health probes stay quiet


def crash_later(seconds):
    time.sleep(seconds)
    log(f"crashing after {seconds:g} s as CRASH_AFTER asks (exit code 1)")
    os._exit(1)


def main():
    if CRASH_AFTER:
        threading.Thread(target=crash_later, args=(float(CRASH_AFTER),), daemon=True).start()
    server = ThreadingHTTPServer(("0.0.0.0", PORT), Handler)
    extra = f", crashing after {CRASH_AFTER} s" if CRASH_AFTER else ""
    log(f"listening on port {PORT} (start delay {START_DELAY:g} s{extra})")
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
