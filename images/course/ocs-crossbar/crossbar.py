#!/usr/bin/env python3
"""Course stand-in for simonsobs/ocs-crossbar: a small WAMP v2 router, Python stdlib only.

Not Crossbar.io. It serves the same web transport the OCS crossbar config describes:

  /ws     WebSocket transport, subprotocol wamp.2.json: HELLO/WELCOME, SUBSCRIBE/PUBLISH/EVENT
          (exact, prefix and wildcard matching), REGISTER/CALL/INVOCATION/YIELD, GOODBYE
  /call   HTTP caller bridge: POST {"procedure": ..., "args": [...], "kwargs": {...}}
          -> {"args": [...], "kwargs": {...}} or {"error": ..., "args": [...]}
  /info   node info page (JSON with ?format=json), used as a health check

Settings (the same variables the OCS crossbar image reads): OCS_REALM (test_realm),
OCS_PORT (8001), OCS_ADDRESS_ROOT (observatory).
"""

import itertools
import json
import os
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import wsproto

REALM = os.environ.get("OCS_REALM", "test_realm")
PORT = int(os.environ.get("OCS_PORT", "8001"))
ADDRESS_ROOT = os.environ.get("OCS_ADDRESS_ROOT", "observatory")
VERSION = "ocs-crossbar stand-in (Slipway course), WAMP v2 JSON"
STARTED = time.time()

HELLO, WELCOME, ABORT, GOODBYE, ERROR = 1, 2, 3, 6, 8
PUBLISH, PUBLISHED = 16, 17
SUBSCRIBE, SUBSCRIBED, UNSUBSCRIBE, UNSUBSCRIBED, EVENT = 32, 33, 34, 35, 36
CALL, RESULT = 48, 50
REGISTER, REGISTERED, UNREGISTER, UNREGISTERED, INVOCATION, YIELD = 64, 65, 66, 67, 68, 70


def log(msg):
    print(time.strftime("%Y-%m-%dT%H:%M:%S") + " [Router] " + msg, flush=True)


def new_id():
    return random.randint(1, 2**53)


def topic_matches(pattern, match, topic):
    if match == "prefix":
        return topic.startswith(pattern)
    if match == "wildcard":
        p, t = pattern.split("."), topic.split(".")
        return len(p) == len(t) and all(a == "" or a == b for a, b in zip(p, t))
    return pattern == topic


class Session:
    def __init__(self, ws, peer):
        self.id = new_id()
        self.ws = ws
        self.peer = peer
        self.joined = time.time()
        self.authrole = "iocs_agent"

    def send(self, msg):
        try:
            self.ws.send_text(json.dumps(msg))
            return True
        except wsproto.Closed:
            return False


class Router:
    def __init__(self):
        self.lock = threading.Lock()
        self.sessions = {}  # id -> Session
        self.subs = {}  # sub id -> {"topic", "match", "sessions": set}
        self.regs = {}  # procedure -> {"id", "session", "created"}
        self.pending = {}  # invocation id -> callback(result_or_error)
        self.pub_ids = itertools.count(1)

    # --- sessions ---------------------------------------------------------------------------
    def join(self, session):
        with self.lock:
            self.sessions[session.id] = session
        log(f"session {session.id} joined realm '{REALM}' from {session.peer}")

    def leave(self, session):
        with self.lock:
            self.sessions.pop(session.id, None)
            gone = [p for p, r in self.regs.items() if r["session"] is session]
            for p in gone:
                del self.regs[p]
            for sid in list(self.subs):
                self.subs[sid]["sessions"].discard(session.id)
                if not self.subs[sid]["sessions"]:
                    del self.subs[sid]
            waiting = [
                (k, cb) for k, (owner, cb) in self.pending.items() if owner is session
            ]
            for k, _ in waiting:
                del self.pending[k]
        for _, cb in waiting:
            cb(("error", "wamp.error.canceled", ["callee left"]))
        for p in gone:
            log(f"unregistered {p} (session {session.id} left)")
        log(f"session {session.id} left")

    # --- pub/sub ----------------------------------------------------------------------------
    def subscribe(self, session, topic, match):
        with self.lock:
            for sid, s in self.subs.items():
                if s["topic"] == topic and s["match"] == match:
                    s["sessions"].add(session.id)
                    return sid
            sid = new_id()
            self.subs[sid] = {"topic": topic, "match": match, "sessions": {session.id}}
        log(f"session {session.id} subscribed to {topic} (match={match})")
        return sid

    def unsubscribe(self, session, sid):
        with self.lock:
            s = self.subs.get(sid)
            if not s or session.id not in s["sessions"]:
                return False
            s["sessions"].discard(session.id)
            if not s["sessions"]:
                del self.subs[sid]
        return True

    def publish(self, publisher, topic, args, kwargs, exclude_me=True):
        pub = next(self.pub_ids)
        with self.lock:
            targets = []
            for sid, s in self.subs.items():
                if topic_matches(s["topic"], s["match"], topic):
                    details = {} if s["match"] == "exact" else {"topic": topic}
                    for sess_id in s["sessions"]:
                        if exclude_me and publisher is not None and sess_id == publisher.id:
                            continue
                        sess = self.sessions.get(sess_id)
                        if sess:
                            targets.append((sess, sid, details))
        for sess, sid, details in targets:
            msg = [EVENT, sid, pub, details]
            if args or kwargs:
                msg.append(args or [])
            if kwargs:
                msg.append(kwargs)
            sess.send(msg)
        return pub

    # --- RPC --------------------------------------------------------------------------------
    def register(self, session, procedure):
        with self.lock:
            if procedure in self.regs:
                return None
            rid = new_id()
            self.regs[procedure] = {"id": rid, "session": session, "created": time.time()}
        log(f"registered procedure {procedure} for session {session.id}")
        return rid

    def unregister(self, session, rid):
        with self.lock:
            for p, r in list(self.regs.items()):
                if r["id"] == rid and r["session"] is session:
                    del self.regs[p]
                    return True
        return False

    def call(self, procedure, args, kwargs, callback):
        """Routes a call; callback gets ("result", args, kwargs) or ("error", uri, args)."""
        meta = self.meta(procedure, args or [])
        if meta is not None:
            callback(("result", [meta], {}))
            return
        with self.lock:
            reg = self.regs.get(procedure)
            if reg is None:
                callback(
                    (
                        "error",
                        "wamp.error.no_such_procedure",
                        [f"no callee registered for procedure <{procedure}>"],
                    )
                )
                return
            inv = new_id()
            self.pending[inv] = (reg["session"], callback)
        msg = [INVOCATION, inv, reg["id"], {}]
        if args or kwargs:
            msg.append(args or [])
        if kwargs:
            msg.append(kwargs)
        if not reg["session"].send(msg):
            with self.lock:
                self.pending.pop(inv, None)
            callback(("error", "wamp.error.canceled", ["callee is gone"]))

    def finish(self, inv, outcome):
        with self.lock:
            entry = self.pending.pop(inv, None)
        if entry:
            entry[1](outcome)

    def meta(self, procedure, args):
        """A few of Crossbar's WAMP meta procedures, answered by the router itself."""
        with self.lock:
            if procedure == "wamp.session.count":
                return len(self.sessions)
            if procedure == "wamp.session.list":
                return list(self.sessions)
            if procedure == "wamp.registration.list":
                return {"exact": [r["id"] for r in self.regs.values()], "prefix": [], "wildcard": []}
            if procedure == "wamp.registration.lookup":
                r = self.regs.get(args[0]) if args else None
                return r["id"] if r else None
            if procedure == "wamp.subscription.list":
                out = {"exact": [], "prefix": [], "wildcard": []}
                for sid, s in self.subs.items():
                    out.setdefault(s["match"], []).append(sid)
                return out
        return None

    def info(self):
        with self.lock:
            return {
                "node": VERSION,
                "realm": REALM,
                "address_root": ADDRESS_ROOT,
                "uptime_s": round(time.time() - STARTED),
                "sessions": [
                    {"session": s.id, "peer": s.peer, "authrole": s.authrole}
                    for s in self.sessions.values()
                ],
                "registrations": sorted(self.regs),
                "subscriptions": sorted(
                    f"{s['topic']} ({s['match']})" for s in self.subs.values()
                ),
            }


ROUTER = Router()


def run_session(ws, peer):
    """Speaks WAMP with one WebSocket client until it leaves."""
    session = None
    try:
        while True:
            try:
                msg = json.loads(ws.recv())
            except ValueError:
                continue
            if not isinstance(msg, list) or not msg:
                continue
            code = msg[0]
            if session is None:
                if code != HELLO:
                    return
                realm = msg[1]
                if realm != REALM:
                    ws.send_text(
                        json.dumps(
                            [
                                ABORT,
                                {"message": f"no realm '{realm}' exists on this router"},
                                "wamp.error.no_such_realm",
                            ]
                        )
                    )
                    log(f"refused {peer}: no realm '{realm}'")
                    return
                session = Session(ws, peer)
                ROUTER.join(session)
                session.send(
                    [
                        WELCOME,
                        session.id,
                        {
                            "realm": REALM,
                            "authrole": session.authrole,
                            "authmethod": "anonymous",
                            "roles": {"broker": {"features": {"pattern_based_subscription": True}}, "dealer": {"features": {}}},
                        },
                    ]
                )
                continue
            if code == GOODBYE:
                session.send([GOODBYE, {}, "wamp.close.goodbye_and_out"])
                return
            if code == SUBSCRIBE:
                _, req, opts, topic = msg[:4]
                sid = ROUTER.subscribe(session, topic, opts.get("match", "exact"))
                session.send([SUBSCRIBED, req, sid])
            elif code == UNSUBSCRIBE:
                _, req, sid = msg[:3]
                if ROUTER.unsubscribe(session, sid):
                    session.send([UNSUBSCRIBED, req])
                else:
                    session.send([ERROR, UNSUBSCRIBE, req, {}, "wamp.error.no_such_subscription"])
            elif code == PUBLISH:
                _, req, opts, topic = msg[:4]
                args = msg[4] if len(msg) > 4 else []
                kwargs = msg[5] if len(msg) > 5 else {}
                pub = ROUTER.publish(session, topic, args, kwargs, opts.get("exclude_me", True))
                if opts.get("acknowledge"):
                    session.send([PUBLISHED, req, pub])
            elif code == REGISTER:
                _, req, _opts, proc = msg[:4]
                rid = ROUTER.register(session, proc)
                if rid is None:
                    session.send(
                        [ERROR, REGISTER, req, {}, "wamp.error.procedure_already_exists", [proc]]
                    )
                else:
                    session.send([REGISTERED, req, rid])
            elif code == UNREGISTER:
                _, req, rid = msg[:3]
                if ROUTER.unregister(session, rid):
                    session.send([UNREGISTERED, req])
                else:
                    session.send([ERROR, UNREGISTER, req, {}, "wamp.error.no_such_registration"])
            elif code == CALL:
                _, req, _opts, proc = msg[:4]
                args = msg[4] if len(msg) > 4 else []
                kwargs = msg[5] if len(msg) > 5 else {}

                def reply(outcome, req=req, caller=session):
                    if outcome[0] == "result":
                        caller.send([RESULT, req, {}, outcome[1] or [], outcome[2] or {}])
                    else:
                        caller.send([ERROR, CALL, req, {}, outcome[1], outcome[2] or []])

                ROUTER.call(proc, args, kwargs, reply)
            elif code == YIELD:
                _, inv, _opts = msg[:3]
                args = msg[3] if len(msg) > 3 else []
                kwargs = msg[4] if len(msg) > 4 else {}
                ROUTER.finish(inv, ("result", args, kwargs))
            elif code == ERROR and len(msg) >= 5 and msg[1] == INVOCATION:
                ROUTER.finish(msg[2], ("error", msg[4], msg[5] if len(msg) > 5 else []))
    except wsproto.Closed:
        pass
    finally:
        if session is not None:
            ROUTER.leave(session)
        ws.close()


class Handler(BaseHTTPRequestHandler):
    server_version = "Crossbar-standin/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _send(self, code, body, ctype="application/json"):
        data = body if isinstance(body, bytes) else body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0].rstrip("/") or "/"
        if path == "/ws":
            if self.headers.get("Upgrade", "").lower() != "websocket":
                self._send(
                    426,
                    "This is a WAMP-over-WebSocket endpoint: connect with a WebSocket client "
                    "(subprotocol wamp.2.json).\n",
                    "text/plain",
                )
                return
            self._upgrade()
            return
        if path in ("/", "/info"):
            info = ROUTER.info()
            if "format=json" in self.path or path == "/":
                self._send(200, json.dumps(info, indent=2) + "\n")
            else:
                rows = "".join(f"<li>{r}</li>" for r in info["registrations"]) or "<li>none</li>"
                page = (
                    "<!doctype html><html><head><title>Crossbar node info</title></head><body>"
                    f"<h1>Crossbar node info</h1><p>{info['node']}</p>"
                    f"<p>Realm <b>{info['realm']}</b>, {len(info['sessions'])} session(s), "
                    f"up {info['uptime_s']} s.</p><h2>Registered procedures</h2><ul>{rows}</ul>"
                    '<p><a href="info?format=json">as JSON</a></p></body></html>'
                )
                self._send(200, page, "text/html; charset=utf-8")
            return
        if path == "/call":
            self._send(405, json.dumps({"error": "use POST with a JSON body"}) + "\n")
            return
        self._send(404, json.dumps({"error": "not found"}) + "\n")

    def do_POST(self):
        path = self.path.split("?")[0].rstrip("/")
        if path not in ("/call", "/publish"):
            self._send(404, json.dumps({"error": "not found"}) + "\n")
            return
        try:
            n = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(n) or b"{}")
            if not isinstance(body, dict):
                raise ValueError("body must be a JSON object")
        except ValueError as e:
            self._send(400, json.dumps({"error": f"bad JSON body: {e}"}) + "\n")
            return
        if path == "/publish":
            topic = body.get("topic")
            if not isinstance(topic, str):
                self._send(400, json.dumps({"error": "missing topic"}) + "\n")
                return
            pub = ROUTER.publish(None, topic, body.get("args") or [], body.get("kwargs") or {})
            self._send(200, json.dumps({"id": pub}) + "\n")
            return
        proc = body.get("procedure")
        if not isinstance(proc, str):
            self._send(400, json.dumps({"error": "missing procedure"}) + "\n")
            return
        done = threading.Event()
        box = {}

        def cb(outcome):
            box["outcome"] = outcome
            done.set()

        ROUTER.call(proc, body.get("args") or [], body.get("kwargs") or {}, cb)
        if not done.wait(float(body.get("timeout", 10))):
            self._send(504, json.dumps({"error": "wamp.error.timeout", "args": [proc]}) + "\n")
            return
        kind, a, b = box["outcome"]
        if kind == "result":
            self._send(200, json.dumps({"args": a or [], "kwargs": b or {}}) + "\n")
        else:
            self._send(200, json.dumps({"error": a, "args": b or [], "kwargs": {}}) + "\n")

    def _upgrade(self):
        key = self.headers.get("Sec-WebSocket-Key")
        offered = [p.strip() for p in self.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        if not key or "wamp.2.json" not in offered:
            self._send(
                400,
                "WebSocket upgrade needs Sec-WebSocket-Key and the subprotocol wamp.2.json\n",
                "text/plain",
            )
            return
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", wsproto.accept_key(key))
        self.send_header("Sec-WebSocket-Protocol", "wamp.2.json")
        self.end_headers()
        self.wfile.flush()
        self.close_connection = True
        ws = wsproto.WebSocket(self.connection, self.rfile, mask=False)
        run_session(ws, f"{self.client_address[0]}:{self.client_address[1]}")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    srv = Server(("0.0.0.0", PORT), Handler)
    log(f"{VERSION}")
    log(f"realm '{REALM}', web transport on port {PORT}: /ws (WebSocket), /call (HTTP caller), /info")
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    main()
